"""Thread plans side by side: one thread, batch shards, or BLAS threads.

For each workload of ``run.py`` and each cell, epochs of four models that differ
only in how they use the cores are interleaved, median of ``--repeats``:

- ``1 thread``: one shard, one BLAS thread;
- ``shards``: the batch cut into one shard per core, one BLAS thread each, the
  shards after the first in worker processes (as training runs them);
- ``threads``: the same shards, all on threads of this process;
- ``BLAS``: one shard, the BLAS library on every core;

and the plan that ``n_threads="auto"`` picks for training is named. The figures
chose the rules of ``sk_rnn/_threads.py``.

    python benchmarks/bench_threads.py [--workloads W1 W5] [--repeats 5]
"""

import argparse
import time
import warnings

import numpy as np
from joblib import cpu_count
from run import WORKLOADS, workload_data
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import RNNRegressor
from sk_rnn._backend import _parallel, _workers
from sk_rnn._threads import plan_threads

GATES = {"rnn": 1, "lstm": 4, "gru": 3}


class Planned(RNNRegressor):
    """An RNNRegressor whose thread plan is fixed instead of chosen."""

    def __init__(self, plan=(1, 1), workers=True, **params):
        super().__init__(**params)
        self.plan = plan
        self.workers = workers

    def _plan_threads(self, batch_size, n_timesteps=None):
        return self.plan

    def fit(self, X, y):
        if self.workers:
            return super().fit(X, y)
        borrow = _parallel.borrow
        _parallel.borrow = lambda n_workers: []  # no worker: shards on threads
        try:
            return super().fit(X, y)
        finally:
            _parallel.borrow = borrow


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS))
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm", "gru"])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    cores = cpu_count()
    plans = {
        "1 thread": ((1, 1), True),
        "shards": ((cores, 1), True),
        "threads": ((cores, 1), False),
        "BLAS": ((1, cores), True),
    }
    print(f"cores: {cores}; float32; epoch ms, median of {args.repeats}")
    print(f"{'workload':8} {'cell':5} " + " ".join(f"{p:>9}" for p in plans) + "  auto")
    for name in args.workloads:
        _, _, _, h, batch = WORKLOADS[name]
        X, y = workload_data(name, np.float32)
        for cell in args.cells:
            models = {
                label: Planned(
                    plan=plan,
                    workers=workers,
                    cell=cell,
                    hidden_layer_sizes=(h,),
                    batch_size=batch,
                    max_iter=1,
                    warm_start=True,
                    random_state=0,
                ).fit(X, y)  # warm-up epoch
                for label, (plan, workers) in plans.items()
            }
            for worker in _workers._workers:  # the timed epochs all run on them
                worker.ready.wait(60)
            times = {label: [] for label in plans}
            for _ in range(args.repeats):
                for label, model in models.items():
                    start = time.perf_counter()
                    model.fit(X, y)
                    times[label].append(time.perf_counter() - start)
            auto = plan_threads("auto", batch, GATES[cell], (h,), X.shape[1])
            chosen = {(1, 1): "1 thread", (1, cores): "BLAS"}.get(auto, "shards")
            print(
                f"{name:8} {cell:5} "
                + " ".join(f"{1e3 * np.median(v):9.1f}" for v in times.values())
                + f"  {chosen}",
                flush=True,
            )


if __name__ == "__main__":
    main()
