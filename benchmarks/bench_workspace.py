"""What reusing memory across batches saves: epochs with and without workspaces.

A training pass takes its large arrays from workspaces that live as long as the fit
(``sk_rnn/_backend/_workspace.py``). Here the same epochs run once as shipped and
once with workspaces that never reuse (every array fresh, as plain ``np.empty``),
interleaved; printed are the median epoch time and the page faults of one epoch.

    python benchmarks/bench_workspace.py [--workloads W1 W2] [--repeats 5]
"""

import argparse
import resource
import time
import warnings

import numpy as np
from run import WORKLOADS, workload_data
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import RNNRegressor
from sk_rnn._backend import _objective
from sk_rnn._backend._workspace import Workspace


class Fresh(Workspace):
    """A workspace that hands out new memory every time."""

    def empty(self, name, shape, dtype):
        return np.empty(shape, dtype=dtype)

    def child(self, key):
        return Fresh()


def epoch(model, X, y, workspace_class):
    """Seconds and minor page faults of one epoch."""
    _objective.Workspace = workspace_class
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=["W1", "W2", "W5"])
    parser.add_argument("--cells", nargs="+", default=["lstm"])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    kinds = {"reused": Workspace, "fresh": Fresh}
    print(f"float32; median epoch ms of {args.repeats}, page faults per epoch")
    for name in args.workloads:
        _, _, _, h, batch = WORKLOADS[name]
        X, y = workload_data(name, np.float32)
        for cell in args.cells:
            params = dict(
                cell=cell,
                hidden_layer_sizes=(h,),
                batch_size=batch,
                patch_size=1,
                clip_norm=None,  # as the recorded figures
            )
            models = {
                kind: RNNRegressor(
                    max_iter=1, warm_start=True, random_state=0, **params
                )
                for kind in kinds
            }
            results = {kind: [] for kind in kinds}
            for _ in range(args.repeats + 1):  # the first epoch warms up
                for kind, model in models.items():
                    results[kind].append(epoch(model, X, y, kinds[kind]))
            _objective.Workspace = Workspace
            row = [
                f"{kind} {1e3 * np.median([s for s, _ in r[1:]]):.1f} ms "
                f"{int(np.median([p for _, p in r[1:]]))} faults"
                for kind, r in results.items()
            ]
            print(f"{name} {cell}: " + ", ".join(row), flush=True)


if __name__ == "__main__":
    main()
