"""Probe: a soft vote of several seeds of the default pipeline.

Between seeds the default GRU's accuracy varies by about the binomial noise of the
test set (``notes_variance.md``): the seeds are equally good classifiers that err on
different series. Averaging their probabilities is the one thing measured that
narrows it. This script fits, for each group ``g`` of ``--size`` seeds (seeds
``g * size`` to ``g * size + size - 1``), scikit-learn's
``VotingClassifier(voting="soft")`` of ``make_pipeline(SequenceScaler(),
RNNClassifier(random_state=seed))``, everything else at its default, on the
classification sets of ``datasets.py``, and records its accuracy under the label
``"soft vote of K seeds"`` with the group as the seed (``run.py``'s records;
``run.py --report`` prints them).

    cd benchmarks/accuracy
    PYTHONPATH=../.. python ensemble.py --datasets OSULeaf PLAID --groups 0 1 2 \
        --out results_ensemble.json
"""

import argparse
import os
import sys
import time
import warnings

from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from datasets import DATASETS  # noqa: E402
from run import load_records, record_key, save_records, subsample  # noqa: E402


def vote(X_train, y_train, X_test, y_test, seeds):
    from sklearn.ensemble import VotingClassifier
    from sklearn.pipeline import make_pipeline

    from sk_rnn import RNNClassifier, SequenceScaler

    members = [
        (
            f"seed{seed}",
            make_pipeline(SequenceScaler(), RNNClassifier(random_state=seed, n_jobs=1)),
        )
        for seed in seeds
    ]
    start = time.perf_counter()
    model = VotingClassifier(members, voting="soft").fit(X_train, y_train)
    seconds = time.perf_counter() - start
    return model.score(X_test, y_test), seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", nargs="+", required=True, choices=list(DATASETS))
    parser.add_argument("--groups", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--size", type=int, default=3)
    parser.add_argument("--max-train", type=int, default=None)
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    label = f"soft vote of {args.size} seeds"
    for name in args.datasets:
        X_train, y_train, X_test, y_test, kind = DATASETS[name]()
        if kind != "classification":
            raise SystemExit(f"{name} is not a classification set")
        X_train, y_train = subsample(X_train, y_train, args.max_train, kind)
        for group in args.groups:
            seeds = range(group * args.size, (group + 1) * args.size)
            with threadpool_limits(1):
                score, seconds = vote(X_train, y_train, X_test, y_test, seeds)
            record = {
                "dataset": name,
                "kind": kind,
                "model": "gru",
                "label": label,
                "seed": group,
                "score": score,
                "fit_seconds": round(seconds, 3),
                "epochs": None,
                "n_train": len(y_train),
                "max_train": args.max_train,
            }
            print(
                f"{name:22s} {label}, seeds {list(seeds)}: {score:.4f} "
                f"in {seconds:.1f} s",
                flush=True,
            )
            if args.out:
                key = record_key(record)
                records = [r for r in load_records(args.out) if record_key(r) != key]
                save_records(args.out, records + [record])


if __name__ == "__main__":
    main()
