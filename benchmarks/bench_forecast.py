"""Cost of ``RNNRegressor.forecast`` on a next-step model against ``n_steps``.

A next-step GRU (``output_sequence=True``, hidden 32, float64) forecasts 64 series
from contexts of 50 steps. ``forecast`` reads each context once and then makes one
cell step per new value, so its time should grow linearly with ``n_steps``; the
loop that re-reads the growing sequences with ``predict`` for every new value
(what one writes by hand) grows quadratically. Prints the median time of
``--repeats`` runs for ``n_steps`` = 10, 20, 40, 80, each doubling's ratio, and the
loop's time and its ratio to ``forecast``'s::

    python benchmarks/bench_forecast.py --repeats 5
"""

import argparse
import time
import warnings

import numpy as np

from sk_rnn import RNNRegressor

STEPS = (10, 20, 40, 80)


def rereading_loop(model, context, n_steps):
    """Forecast by predicting the whole growing sequences for every new value."""
    seqs = context
    out = []
    for _ in range(n_steps):
        last = model.predict(seqs)[:, -1]
        out.append(last)
        seqs = np.concatenate([seqs, last[:, None, None]], axis=1)
    return np.stack(out, axis=1)


def median_seconds(func, repeats, *args):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.RandomState(0)
    X = np.cumsum(rng.normal(scale=0.1, size=(256, 50, 1)), axis=1)
    warnings.simplefilter("ignore")
    model = RNNRegressor(
        hidden_layer_sizes=(32,),
        cell="gru",
        output_sequence=True,
        max_iter=2,
        n_jobs=1,
        random_state=0,
    ).fit(X[:, :-1], X[:, 1:, 0])
    context = X[:64]
    print(
        f"next-step GRU, hidden 32, 64 series, context 50 steps; median of "
        f"{args.repeats}"
    )
    print("n_steps | forecast | x previous | re-reading loop | loop / forecast")
    previous = None
    for n_steps in STEPS:
        ours = median_seconds(model.forecast, args.repeats, context, n_steps)
        loop = median_seconds(rereading_loop, args.repeats, model, context, n_steps)
        growth = "" if previous is None else f"{ours / previous:.2f}x"
        print(
            f"{n_steps:7d} | {1e3 * ours:7.1f} ms | {growth:>10} | "
            f"{1e3 * loop:12.1f} ms | {loop / ours:.1f}x"
        )
        previous = ours


if __name__ == "__main__":
    main()
