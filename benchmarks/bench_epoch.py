"""Time one training epoch of RNNRegressor, float32 and float64 side by side.

Workload of the foundation issue: n_samples=1024, n_timesteps=50, n_features=8,
hidden=128, batch_size=64, Adam, full BPTT, regression head on the last state.
Epochs of the two dtypes are interleaved so that machine noise hits both alike; the
script prints the median of ``--repeats`` epochs after one warm-up epoch.

    python benchmarks/bench_epoch.py [--repeats 7] [--cells rnn]
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import RNNRegressor

WORKLOAD = dict(n_samples=1024, n_timesteps=50, n_features=8, hidden=128, batch=64)


def time_epoch(estimator, X, y):
    """Seconds for one more epoch of an already initialised (warm-started) model."""
    start = time.perf_counter()
    estimator.fit(X, y)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--cells", nargs="+", default=["rnn"])
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    w = WORKLOAD
    rng = np.random.RandomState(0)
    X64 = rng.normal(size=(w["n_samples"], w["n_timesteps"], w["n_features"]))
    y64 = X64[:, :, 0].mean(axis=1)
    data = {
        "float32": (X64.astype(np.float32), y64.astype(np.float32)),
        "float64": (X64, y64),
    }
    print(f"workload: {w}")
    for cell in args.cells:
        models = {}
        for dtype, (X, y) in data.items():
            models[dtype] = RNNRegressor(
                hidden_layer_sizes=(w["hidden"],),
                cell=cell,
                batch_size=w["batch"],
                max_iter=1,
                warm_start=True,
                shuffle=True,
                random_state=0,
            ).fit(X, y)  # the warm-up epoch
        times = {dtype: [] for dtype in data}
        for _ in range(args.repeats):
            for dtype, (X, y) in data.items():
                times[dtype].append(time_epoch(models[dtype], X, y))
        medians = {dtype: float(np.median(t)) for dtype, t in times.items()}
        print(
            f"cell={cell:5s} epoch median: float32 {medians['float32'] * 1e3:7.1f} ms"
            f" | float64 {medians['float64'] * 1e3:7.1f} ms"
            f" | float32/float64 {medians['float32'] / medians['float64']:.2f}"
        )


if __name__ == "__main__":
    main()
