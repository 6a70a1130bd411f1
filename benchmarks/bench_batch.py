"""Where a training batch's time goes, when it is cut into shards.

Times ``run.py``'s epochs (float32, 2 threads) with clocks around the calls a batch
makes, and prints milliseconds per batch: the batch (the epoch's training loop over
its number of batches, so shuffling is in it too); the first shard, which the
caller computes (and any shard that falls back to a thread: a worker not ready
yet, a task too large to send); packing and sending the other shard to its worker;
waiting for the worker's answer once the caller's shard is done; and the rest
(splitting the batch, adding the shards' gradients, the penalty, the optimizer
step):

    python benchmarks/bench_batch.py
    python benchmarks/bench_batch.py --jobs W2:rnn W1:lstm --epochs 5

A job is ``workload:cell``. The clocks wrap private functions of ``sk_rnn``, so
this script follows the code it measures.
"""

import argparse
import time
import warnings

import numpy as np
import run  # this folder's suite: its workloads and epochs

from sk_rnn import _training
from sk_rnn._backend import _parallel, _workers

CLOCKS = {}  # name -> seconds


def clocked(owner, name, clock):
    """Wrap ``owner.name`` so that its calls add their time to ``CLOCKS[clock]``."""
    function = getattr(owner, name)

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            CLOCKS[clock] = CLOCKS.get(clock, 0.0) + time.perf_counter() - start

    setattr(owner, name, timed)


def count_batches(run_epoch):
    """``run_epoch`` with an objective that counts its calls in ``CLOCKS``."""

    def counting(objective, *args, **kwargs):
        def counted(*a):
            CLOCKS["batches"] = CLOCKS.get("batches", 0) + 1
            return objective(*a)

        return run_epoch(counted, *args, **kwargs)

    return counting


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    jobs = ["W1:lstm", "W2:rnn", "W2:lstm", "W3:rnn", "W5:rnn", "W5:lstm"]
    parser.add_argument("--jobs", nargs="+", default=jobs)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    clocked(_parallel, "map_shards", "caller's shard")
    clocked(_workers.Worker, "task", "send")
    clocked(_workers.Worker, "send", "send")
    clocked(_workers.Worker, "result", "wait")
    _training.run_epoch = count_batches(_training.run_epoch)
    clocked(_training, "run_epoch", "batch")
    import sk_rnn._estimators._solvers as solvers  # the run_epoch it calls

    solvers.run_epoch = _training.run_epoch
    print("float32, 2 threads; ms per batch, over", args.epochs, "epochs")
    columns = ["batch", "caller's shard", "send", "wait"]
    print(f"{'job':8}" + "".join(f"{c:>16}" for c in columns) + f"{'rest':>8}")
    for job in args.jobs:
        name, cell = job.split(":")
        X, y = run.workload_data(name, np.float32)
        ours = run.Ours(cell, run.WORKLOADS[name], X, y, 2)
        CLOCKS.clear()
        for _ in range(args.epochs):
            ours.epoch()
        per_batch = {k: 1e3 * v / CLOCKS["batches"] for k, v in CLOCKS.items()}
        rest = per_batch["batch"] - sum(per_batch.get(c, 0.0) for c in columns[1:])
        cells = "".join(f"{per_batch.get(c, 0.0):16.2f}" for c in columns)
        print(f"{job:8}{cells}{rest:8.2f}")


if __name__ == "__main__":
    main()
