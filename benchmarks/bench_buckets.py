"""What grouping sequences of similar length saves: one epoch on ragged data.

Sequences of lengths uniform in [10, 200]; each batch is cut to its longest
sequence, so batches of similar lengths do less padded work. Epochs with random
batches and with length-bucketed batches are interleaved; medians of ``--repeats``.

    python benchmarks/bench_buckets.py [--repeats 5] [--cell rnn]
"""

import argparse
import time

import numpy as np

from sk_rnn._backend import LOSSES, RecurrentNetwork, make_objective
from sk_rnn._train import run_epoch
from sk_rnn._train._optimizers import AdamOptimizer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cell", default="rnn")
    args = parser.parse_args()
    n, n_max, hidden, batch = 1024, 200, 64, 64
    rng = np.random.RandomState(0)
    lengths = rng.randint(10, n_max + 1, size=n)
    X = rng.normal(size=(n, n_max, 1)).astype(np.float32)
    X[np.arange(n_max) >= lengths[:, None]] = 0.0
    y = rng.normal(size=(n, 1)).astype(np.float32)
    network = RecurrentNetwork(args.cell, 1, (hidden,), 1)
    objective = make_objective(
        network,
        LOSSES["squared_error"],
        X,
        y,
        np.ones(n, np.float32),
        1e-4,
        lengths=lengths,
    )
    runs = {}
    for name, sizes in (("random batches", None), ("bucketed by length", lengths)):
        params = network.init_params(np.random.RandomState(0), np.float32)
        runs[name] = (params, AdamOptimizer([params]), sizes)
    times = {name: [] for name in runs}
    for _ in range(args.repeats + 1):  # the first round warms up
        for name, (params, optimizer, sizes) in runs.items():
            start = time.perf_counter()
            run_epoch(
                objective,
                params,
                optimizer,
                n,
                batch,
                shuffle=True,
                random_state=rng,
                clip_norm=None,
                sizes=sizes,
            )
            times[name].append(time.perf_counter() - start)
    medians = {name: 1e3 * float(np.median(t[1:])) for name, t in times.items()}
    print(
        f"cell={args.cell}, n={n}, lengths 10-{n_max}, hidden={hidden}, "
        f"batch={batch}, float32"
    )
    for name, ms in medians.items():
        print(f"  {name:20s} {ms:8.1f} ms per epoch")
    ratio = medians["bucketed by length"] / medians["random batches"]
    print(f"  bucketed / random: {ratio:.2f}")


if __name__ == "__main__":
    main()
