"""Prototype: training schedules that may narrow the seed spread of the default fits.

Runs ``run.py`` (same data sets, models, records and report) with the epoch loop of
``sk_rnn._train.fit_epochs`` replaced by :func:`fit_epochs_variant`, a copy of it
that adds one of these variants (``--variant``, also the records' label unless
``--label`` is given):

- ``loop``: the copy unchanged (must reproduce the library's defaults exactly);
- ``cosine``: Adam's step size annealed from ``learning_rate_init`` to 0 over
  ``max_iter`` epochs along a half cosine, set at the start of each epoch;
- ``linear``: the same, linearly;
- ``cosine-half``: constant for the first half of ``max_iter``, then a half cosine
  to 0 over the second half;
- ``swa``: the weights returned are the mean of the weights at the end of the last
  25% of the epochs run (``--swa-fraction``), stochastic weight averaging at a
  constant step size;
- ``cosine-swa``: ``cosine-half`` and ``swa`` together;
- ``ema``: an exponential moving average of the weights at the end of each epoch,
  ``--ema-decay`` per epoch (0.9: about the last 10 epochs), returned at the end;
- ``best-loss``: the weights at the end of the epoch whose training loss (the mean
  of its batch losses) was lowest.

``--summary JSON...`` prints the tables of ``notes_variance.md``; ``--probe DATASET
SEED`` the gradient norms and loss curve of one fit (``--max-train``, ``--set``).

The library is not changed: the script patches ``sk_rnn._estimators._fitting``'s
reference to ``fit_epochs`` in this process only. Everything else (stopping rule,
``n_iter_no_change``, batches, the records of ``run.py``) is as in the library.

    PYTHONPATH=. python benchmarks/accuracy/variance.py --variant cosine \
        --datasets UnitTest Coffee Trace PickupGestureWiimoteZ --models gru \
        --seeds 0 1 2 --out benchmarks/accuracy/results_variance.json
"""

import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import run  # noqa: E402

VARIANTS = (
    "loop",
    "cosine",
    "linear",
    "cosine-half",
    "swa",
    "cosine-swa",
    "ema",
    "best-loss",
)


def lr_factor(variant, epoch, max_iter):
    """The multiple of ``learning_rate_init`` for 0-based ``epoch``."""
    progress = epoch / max_iter  # 0 at the first epoch, (max_iter - 1) / max_iter last
    if variant == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * progress))
    if variant == "linear":
        return 1.0 - progress
    if variant in ("cosine-half", "cosine-swa"):
        if progress < 0.5:
            return 1.0
        return 0.5 * (1.0 + math.cos(math.pi * (progress - 0.5) / 0.5))
    return 1.0


class Averager:
    """Keeps what the variant returns instead of the last epoch's weights."""

    def __init__(self, variant, fraction, decay):
        self.variant = variant
        self.fraction = fraction
        self.decay = decay
        self.snapshots = []
        self.ema = None
        self.best, self.best_loss = None, np.inf

    def epoch(self, params, loss):
        if self.variant in ("swa", "cosine-swa"):
            self.snapshots.append(params.copy())
        elif self.variant == "ema":
            if self.ema is None:
                self.ema = params.copy()
            else:
                self.ema *= self.decay
                self.ema += (1.0 - self.decay) * params
        elif self.variant == "best-loss" and loss < self.best_loss:
            self.best, self.best_loss = params.copy(), loss

    def result(self, params):
        if self.snapshots:
            n = max(1, int(math.ceil(self.fraction * len(self.snapshots))))
            return np.mean(self.snapshots[-n:], axis=0).astype(params.dtype)
        if self.ema is not None:
            return self.ema
        if self.best is not None:
            return self.best
        return params


def make_fit_epochs(variant, fraction, decay):
    """A copy of ``sk_rnn._train._epochs.fit_epochs`` with ``variant`` added."""
    from sk_rnn._train._epochs import run_epoch
    from sk_rnn._train._monitor import TrainingMonitor
    from sk_rnn._train._state import TrainingResult, make_optimizer

    def fit_epochs_variant(
        objective,
        params,
        state,
        settings,
        random_state,
        *,
        n_samples,
        sizes=None,
        scorer=None,
        incremental=False,
    ):
        if incremental or settings.stop_on_validation:
            raise SystemExit("the prototype covers fit without early stopping only")
        state = state.copy()
        state.optimizer = make_optimizer(settings, [params])
        base_lr = state.optimizer.learning_rate_init
        averager = Averager(variant, fraction, decay)
        monitor = TrainingMonitor(state, params, settings, scorer, settings.max_iter)
        converged = False
        try:
            for epoch in range(settings.max_iter):
                state.optimizer.learning_rate_init = base_lr * lr_factor(
                    variant, epoch, settings.max_iter
                )
                loss = run_epoch(
                    objective,
                    params,
                    state.optimizer,
                    n_samples,
                    settings.batch_size,
                    shuffle=settings.shuffle,
                    random_state=random_state,
                    clip_norm=settings.clip_norm,
                    sizes=sizes,
                )
                monitor.end_epoch(loss)
                averager.epoch(params, loss)
                state.t += n_samples
                state.optimizer.iteration_ends(state.t)
                if state.no_improvement_count > settings.n_iter_no_change:
                    converged = state.optimizer.trigger_stopping("", False)
                    if not converged:
                        state.no_improvement_count = 0
                if converged:
                    break
        finally:
            monitor.close()
        state.optimizer.learning_rate_init = base_lr
        final = averager.result(monitor.final_params())
        if converged:
            return TrainingResult(final, state)
        return TrainingResult(final, state, False, message="max_iter reached")

    return fit_epochs_variant


def summary(paths, labels, seeds):
    """Markdown: per setting and data set, ``mean (worst-best)`` over ``seeds``,
    the largest spread and the mean training accuracy."""
    records = run.read_reports(paths)
    labels = labels or list(dict.fromkeys(r["label"] for r in records))
    names = [d for d in run.DATASETS if any(r["dataset"] == d for r in records)]
    print("| setting | " + " | ".join(names) + " | largest spread | training |")
    print("| --- |" + " --- |" * (len(names) + 2))
    for label in labels:
        row, spreads, train = [], [], []
        for name in names:
            rs = [
                r
                for r in records
                if r["label"] == label and r["dataset"] == name and r["seed"] in seeds
            ]
            if not rs:
                row.append("-")
                continue
            s = 100 * np.array([r["score"] for r in rs])
            spreads.append(s.max() - s.min())
            train += [100 * r["train_score"] for r in rs if "train_score" in r]
            row.append(f"{s.mean():.1f} ({s.min():.0f}-{s.max():.0f})")
        print(
            f"| {label} | " + " | ".join(row) + f" | {max(spreads):.1f} | "
            f"{np.mean(train):.1f} |"
        )


def probe(name, seed, max_train, params):
    """Per-batch gradient norms and the loss curve of one default fit."""
    import warnings

    from sklearn.pipeline import make_pipeline
    from threadpoolctl import threadpool_limits

    import sk_rnn._train._epochs as epochs
    from sk_rnn import RNNClassifier, SequenceScaler

    norms, clip = [], epochs.clip_grad_norm

    def recording_clip(grads, max_norm):
        norms.append(clip(grads, max_norm))
        return norms[-1]

    epochs.clip_grad_norm = recording_clip
    X_train, y_train, X_test, y_test, kind = run.DATASETS[name]()
    X_train, y_train = run.subsample(X_train, y_train, max_train, kind)
    est = RNNClassifier(random_state=seed, n_jobs=1, **params)
    pipe = make_pipeline(SequenceScaler(), est)
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe.fit(X_train, y_train)
    norms, curve = np.array(norms), np.array(est.loss_curve_)
    steps = len(norms) // est.n_iter_
    print(
        f"{name} seed {seed}: test {pipe.score(X_test, y_test):.3f}, training "
        f"{pipe.score(X_train, y_train):.3f}, {est.n_iter_} epochs of {steps} steps"
    )
    pcts = np.percentile(norms, [50, 90, 99, 100])
    print("gradient norm, median / 90% / 99% / largest:", pcts.round(2))
    print(f"largest at epoch {int(np.argmax(norms)) // steps + 1}")
    print("loss every 5 epochs:", " ".join(f"{v:.3f}" for v in curve[::5]))
    print(f"lowest loss {curve.min():.4f} at epoch {int(curve.argmin()) + 1}")


def main(argv=None):
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--probe", nargs=2, metavar=("DATASET", "SEED"))
    parser.add_argument("--summary", nargs="+", metavar="JSON")
    parser.add_argument("--labels", nargs="+", default=None)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    args, rest = parser.parse_known_args(argv)
    if args.probe:
        more = argparse.ArgumentParser(add_help=False)
        more.add_argument("--max-train", type=int, default=None)
        more.add_argument("--set", nargs="*", default=[])
        extra, _ = more.parse_known_args(rest)
        params = run.parse_sets(extra.set)
        probe(args.probe[0], int(args.probe[1]), extra.max_train, params)
        return
    if args.summary:
        summary(args.summary, args.labels, args.seeds)
        return
    parser.add_argument("--variant", choices=VARIANTS, required=True)
    parser.add_argument("--swa-fraction", type=float, default=0.25)
    parser.add_argument("--ema-decay", type=float, default=0.9)
    args, rest = parser.parse_known_args(argv)
    rest += ["--seeds", *map(str, args.seeds)]
    from sk_rnn._estimators import _fitting

    _fitting.fit_epochs = make_fit_epochs(
        args.variant, args.swa_fraction, args.ema_decay
    )
    if "--label" not in rest:
        label = args.variant
        if args.variant in ("swa", "cosine-swa") and args.swa_fraction != 0.25:
            label += f":{args.swa_fraction:g}"
        if args.variant == "ema" and args.ema_decay != 0.9:
            label += f":{args.ema_decay:g}"
        sets = [a for a in rest if "=" in a and not a.startswith("--")]
        if sets:
            label += "," + ",".join(sets)
        rest += ["--label", label]
    run.main(rest)


if __name__ == "__main__":
    main()
