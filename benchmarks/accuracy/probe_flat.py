"""Probe: rescale each sequence of a feature whose sequences are nearly flat.

``SequenceScaler(per_sequence="auto")`` rescales each sequence of a feature by its
own size where the sizes span more than two decades (PLAID). CardanoSentiment's
price feature is flat another way: each day's 24 prices vary by 0.04 of the
feature's spread over all days (the median), so after the global standardisation
each sequence is a nearly flat line at its level. This script tries a second
"auto" rule, **"flat"**: rescale (as ``per_sequence`` does) the features whose
median per-sequence standard deviation is below a tenth of their standard
deviation over all steps, among the sequences of ``SIZE_MIN_STEPS`` steps or more.
It was not shipped: see ``notes_variance.md``, "CardanoSentiment".

Four commands:

- ``--rule``: each benchmark set's features, their median per-sequence standard
  deviation over the global one, and whether either rule fires;
- ``--run ...``: ``run.py`` with ``SequenceScaler`` replaced by :class:`FlatScaler`
  (the shipped rule or "flat"); everything after ``--run`` goes to ``run.py``;
- ``--signal``: CardanoSentiment's target against three summaries of each day
  (price level, the day's return, log volume): correlations on the training and
  the test set;
- ``--random-walk``: one-step forecasting of positive random walks (prices;
  windows of 24 steps, the last 20% of the windows as the test set): R² of
  persistence and of the default pipeline with ``per_sequence`` "auto" (which
  keeps the level) and forced on (what the "flat" rule does to these windows).

    PYTHONPATH=. python benchmarks/accuracy/probe_flat.py --rule
    PYTHONPATH=. python benchmarks/accuracy/probe_flat.py --signal
    PYTHONPATH=. python benchmarks/accuracy/probe_flat.py --random-walk
    cd benchmarks/accuracy && PYTHONPATH=../.. python probe_flat.py --run \
        --datasets CardanoSentiment --models gru --seeds 0 1 2 --label "flat rule"
"""

import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sk_rnn import RNNRegressor, SequenceScaler  # noqa: E402
from sk_rnn._estimators import _scaler  # noqa: E402
from sk_rnn._estimators._validation import check_sequences  # noqa: E402

FLAT = 0.1  # median per-sequence std below this share of the global one


def sizes(X):
    """Per-sequence standard deviations, their 5th and 95th percentiles, whether
    they tell, the median over sequences long enough and the global standard
    deviation of each feature of ``X``."""
    X, lengths = check_sequences(SequenceScaler(), X, reset=True)
    std = _scaler._sequence_std(X, lengths)
    low, high, told = _scaler._size_percentiles(std, lengths, X.shape[1])
    steps = np.full(len(X), X.shape[1]) if lengths is None else lengths
    long_enough = steps >= _scaler.SIZE_MIN_STEPS
    typical = np.median(std[long_enough] if long_enough.any() else std, axis=0)
    real = np.arange(X.shape[1]) < steps[:, None]
    spread = X[real].std(axis=0)
    return low, high, told, typical, spread


class FlatScaler(SequenceScaler):
    """``SequenceScaler`` whose "auto" also rescales the nearly flat features."""

    def fit(self, X, y=None):
        low, high, told, typical, spread = sizes(X)
        decades = told & (high / 100 > low)
        flat = told & (typical < FLAT * spread)
        mask = decades | flat if self.per_sequence == "auto" else decades
        X_checked, lengths = check_sequences(SequenceScaler(), X, reset=True)
        rescaled = _scaler._rescale_sequences(X_checked, lengths, mask, low)
        if lengths is not None:  # back to NaN padding for the parent's fit
            rescaled[np.arange(rescaled.shape[1]) >= lengths[:, None]] = np.nan
        SequenceScaler.fit(self.set_params(per_sequence=False), rescaled)
        self.per_sequence = "auto"
        self.per_sequence_, self.reference_std_ = mask, low
        return self


def print_rule():
    from datasets import DATASETS

    print("| set | feature | median / global std | decades rule | flat rule |")
    print("| --- | --- | --- | --- | --- |")
    for name, load in DATASETS.items():
        low, high, told, typical, spread = sizes(load()[0])
        for j in range(len(low)):
            ratio = typical[j] / spread[j] if spread[j] else float("nan")
            decades = bool(told[j] and high[j] / 100 > low[j])
            flat = bool(told[j] and typical[j] < FLAT * spread[j])
            print(f"| {name} | {j} | {ratio:.3f} | {decades} | {flat} |")


def signal():
    from datasets import DATASETS

    summaries = {
        "price level": lambda X: X[:, :, 0].mean(axis=1),
        "return of the day": lambda X: X[:, -1, 0] / X[:, 0, 0] - 1,
        "log volume": lambda X: np.log(X[:, :, 1].mean(axis=1)),
    }
    X_train, y_train, X_test, y_test, _ = DATASETS["CardanoSentiment"]()
    print(f"target mean: training {y_train.mean():.3f}, test {y_test.mean():.3f}")
    print("| summary | correlation, training | correlation, test |")
    print("| --- | --- | --- |")
    for name, summary in summaries.items():
        r_train = np.corrcoef(summary(X_train), y_train)[0, 1]
        r_test = np.corrcoef(summary(X_test), y_test)[0, 1]
        print(f"| {name} | {r_train:.3f} | {r_test:.3f} |")


def random_walk(seeds=(0, 1, 2), window=24, n=1500):
    from sklearn.metrics import r2_score
    from sklearn.pipeline import make_pipeline

    print("| seed | flat rule fires | persistence | per_sequence auto | forced on |")
    print("| --- | --- | --- | --- | --- |")
    for seed in seeds:
        series = np.cumsum(np.random.RandomState(seed).normal(size=n))
        series += 10 - series.min()  # positive, as a price
        X = np.lib.stride_tricks.sliding_window_view(series[:-1], window)[:, :, None]
        y = series[window:]
        cut = int(0.8 * len(y))
        _, _, told, typical, spread = sizes(X[:cut])
        row = [bool(told[0] and typical[0] < FLAT * spread[0])]
        row.append(r2_score(y[cut:], X[cut:, -1, 0]))
        for per_sequence in ("auto", True):
            pipe = make_pipeline(
                SequenceScaler(per_sequence=per_sequence),
                RNNRegressor(random_state=seed),
            )
            row.append(pipe.fit(X[:cut], y[:cut]).score(X[cut:], y[cut:]))
        print(f"| {seed} | {row[0]} | " + " | ".join(f"{r:.3f}" for r in row[1:]))


def main(argv):
    warnings.simplefilter("ignore")
    if argv[:1] == ["--rule"]:
        print_rule()
    elif argv[:1] == ["--signal"]:
        signal()
    elif argv[:1] == ["--random-walk"]:
        random_walk()
    elif argv[:1] == ["--run"]:
        import run

        import sk_rnn

        sk_rnn.SequenceScaler = FlatScaler  # run.py imports it at each fit
        run.main(argv[1:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
