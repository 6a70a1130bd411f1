"""Fits of many epochs of a tiny network: the cost of each epoch's bookkeeping.

A regressor of 4 units on 20 sequences of 5 steps, fitted for ``--epochs`` epochs
(no stopping rule), so that what training does once an epoch beside the math (the
loss history, the snapshot kept for an interruption) shows. This checkout and
another one alternate, each round a fresh process; prints the median seconds of
each side and their ratio this/that:

    git worktree add /tmp/before HEAD~1
    python benchmarks/bench_long_fits.py --against /tmp/before --rounds 5
"""

import os
import time
import warnings

import numpy as np
from _rounds import json_in, reply, round_parser

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(epochs):
    """Seconds of one fit per number of epochs, in this process."""
    from sk_rnn import RNNRegressor

    warnings.simplefilter("ignore")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 5, 1))
    y = X.sum(axis=(1, 2))
    seconds = {}
    for n in epochs:
        model = RNNRegressor(
            hidden_layer_sizes=(4,),
            max_iter=n,
            tol=0.0,
            n_iter_no_change=np.inf,
            random_state=0,
        )
        start = time.perf_counter()
        model.fit(X, y)
        seconds[str(n)] = time.perf_counter() - start
    return seconds


def main():
    parser = round_parser(__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.json:
        reply(measure(args.epochs))
        return
    if args.against is None or not os.path.isdir(os.path.join(args.against, "sk_rnn")):
        parser.error("--against DIR, the root of another checkout, is required")
    this = os.path.dirname(HERE)
    ours, theirs = [], []
    for k in range(args.rounds):  # alternate which side goes first
        sides = [(ours, this), (theirs, args.against)]
        for store, root in sides if k % 2 == 0 else sides[::-1]:
            store.append(json_in(root, __file__, ["--epochs", *args.epochs]))
    print(f"median seconds of a fit over {args.rounds} rounds")
    print(f"{'epochs':>8} {'this':>8} {'against':>8} {'ratio':>6}")
    for n in map(str, args.epochs):
        a = np.median([r[n] for r in ours])
        b = np.median([r[n] for r in theirs])
        print(f"{n:>8} {a:8.2f} {b:8.2f} {a / b:6.2f}")


if __name__ == "__main__":
    main()
