"""What two 0.2.0 defaults cost in time: gradient clipping and patch scaling.

Each workload of ``run.py`` is timed with the same model twice, interleaved:

- an epoch with ``clip_norm=1.0`` (the default) against ``clip_norm=None``, reading
  every step (``patch_size=1``);
- ``predict`` with patches of ``k`` steps whose inputs are standardised (the
  default, ``_patch_scaling`` fitted) against the same patches unscaled
  (``_patch_scaling = None``, the weights unchanged).

Printed are the medians of ``--repeats`` runs and their ratio, one thread.

    python benchmarks/bench_defaults.py [--workloads W1 W3 W5] [--repeats 7]
"""

import argparse
import time
import warnings

import numpy as np
from run import WORKLOADS, workload_data
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import RNNRegressor


def seconds(method, *args):
    start = time.perf_counter()
    method(*args)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=["W1", "W3", "W5"])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--patch", type=int, default=4)
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    print(
        "| workload | epoch s, clip_norm=None | epoch s, 1.0 | ratio "
        "| predict s, patches as they come | standardised | ratio |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in args.workloads:
        _, _, _, h, batch = WORKLOADS[name]
        X, y = workload_data(name, np.float32)
        common = dict(
            cell="gru",
            hidden_layer_sizes=(h,),
            batch_size=batch,
            max_iter=1,
            warm_start=True,
            random_state=0,
            n_jobs=1,
        )
        fits = {
            clip: RNNRegressor(clip_norm=clip, patch_size=1, **common)
            for clip in (None, 1.0)
        }
        epochs = {clip: [] for clip in fits}
        for _ in range(args.repeats + 1):  # the first epoch warms up
            for clip, model in fits.items():
                epochs[clip].append(seconds(model.fit, X, y))
        patched = RNNRegressor(patch_size=args.patch, **common).fit(X, y)
        scaling = patched._patch_scaling
        predicts = {False: [], True: []}
        for _ in range(args.repeats + 1):
            for scaled in predicts:
                patched._patch_scaling = scaling if scaled else None
                predicts[scaled].append(seconds(patched.predict, X))
        e0, e1 = (np.median(epochs[c][1:]) for c in (None, 1.0))
        p0, p1 = (np.median(predicts[s][1:]) for s in (False, True))
        print(
            f"| {name} | {e0:.3f} | {e1:.3f} | {e1 / e0:.2f} "
            f"| {p0:.4f} | {p1:.4f} | {p1 / p0:.2f} |"
        )


if __name__ == "__main__":
    main()
