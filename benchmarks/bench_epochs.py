"""Whole training epochs of this checkout against another one, A/B.

``run.py``'s epochs (``RNNRegressor.fit`` of one epoch, float32, worker processes and
all), timed for this checkout and for another in alternating rounds, each round a
fresh process, so that machine noise hits both alike. Prints the median epoch of
each side over the rounds, their ratio this/that, and the ratio of every round:

    git worktree add /tmp/before HEAD~1   # or any commit to compare with
    python benchmarks/bench_epochs.py --against /tmp/before --rounds 6
    python benchmarks/bench_epochs.py --against /tmp/before --jobs W1:lstm W2:rnn

A job is ``workload:cell``; a round times the median of ``--epochs`` epochs of each
job after a warm-up.
"""

import os
import time
import warnings

import numpy as np
from _rounds import json_in, reply, round_parser

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(jobs, epochs, threads):
    """Median milliseconds of an epoch per job, in this process."""
    import run  # this folder's suite, importing sk_rnn from PYTHONPATH's checkout

    warnings.simplefilter("ignore")
    medians = {}
    for job in jobs:
        name, cell = job.split(":")
        X, y = run.workload_data(name, np.float32)
        ours = run.Ours(cell, run.WORKLOADS[name], X, y, threads)
        medians[job] = 1e3 * float(
            np.median([run.elapsed(ours.epoch) for _ in range(epochs)])
        )
    return medians


def measure_in(root, args):
    """One round in a fresh process importing ``root``'s sk_rnn."""
    arguments = ["--jobs", *args.jobs, "--epochs", args.epochs]
    arguments += ["--threads", args.threads]
    return json_in(root, __file__, arguments)


def main():
    parser = round_parser(__doc__.splitlines()[0])
    default_jobs = [
        f"{w}:{c}"
        for w in ("W1", "W2", "W3", "W4", "W5")
        for c in ("rnn", "lstm", "gru")
    ]
    parser.add_argument("--jobs", nargs="+", default=default_jobs)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.json:
        reply(measure(args.jobs, args.epochs, args.threads))
        return
    if args.against is None:
        parser.error("--against DIR is required")
    if not os.path.isdir(os.path.join(args.against, "sk_rnn")):
        parser.error(f"{args.against} holds no sk_rnn package")
    this = os.path.dirname(HERE)
    ours, theirs = [], []
    start = time.perf_counter()
    for k in range(args.rounds):  # alternate which side goes first
        sides = [(ours, this), (theirs, args.against)]
        for store, root in sides if k % 2 == 0 else sides[::-1]:
            store.append(measure_in(root, args))
    print(
        f"float32, {args.threads} threads; median epoch ms over {args.rounds} rounds"
        f" ({time.perf_counter() - start:.0f} s)"
    )
    print(f"{'job':10} {'this':>8} {'against':>8} {'ratio':>6}  per round")
    for job in args.jobs:
        a = np.median([r[job] for r in ours])
        b = np.median([r[job] for r in theirs])
        rounds = " ".join(f"{x[job] / y[job]:.2f}" for x, y in zip(ours, theirs))
        print(f"{job:10} {a:8.1f} {b:8.1f} {a / b:6.3f}  {rounds}")


if __name__ == "__main__":
    main()
