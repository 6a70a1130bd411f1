"""One cell's forward and backward pass over a batch, on one thread, per workload.

The kernels alone, without the estimator, the optimizer or PyTorch: the figure to
watch when changing a cell. Prints milliseconds per batch (best of the repeats) for
each cell and workload shape (``run.py``'s W1-W5, and S1, the default network on a
small set; float32 unless ``--dtype float64``, the gradient entering at the last step
as with a regression head).

With ``--against DIR`` (the root of another checkout, holding its ``sk_rnn``), the
same measurement of that version runs in alternate rounds, each in a fresh process,
and the last column is the ratio this version / that one:

    python benchmarks/bench_cells.py
    git worktree add /tmp/before HEAD~1
    python benchmarks/bench_cells.py --against /tmp/before --repeats 3
"""

import os
import time

import numpy as np
from _rounds import json_in, reply, round_parser
from threadpoolctl import threadpool_limits

WORKLOADS = {  # as in run.py: (n_samples, n_timesteps, n_features, hidden, batch)
    "W1": (1024, 50, 1, 32, 64),
    "W2": (1024, 50, 8, 128, 64),
    "W3": (2048, 100, 1, 64, 128),
    "W4": (512, 784, 1, 32, 128),
    "W5": (1024, 140, 1, 100, 256),
    # the defaults on a small set: UnitTest's 20 series of 24 steps, one batch, 64 units
    "S1": (20, 24, 1, 64, 20),
}
HERE = os.path.dirname(os.path.abspath(__file__))


def time_cell(cell_name, workload, repeats, dtype=np.float32):
    """Best milliseconds of a forward-backward pass of one batch, one thread."""
    from sk_rnn._backend._cells import make_cell
    from sk_rnn._backend._workspace import Workspace

    _, n_steps, n_inputs, n_hidden, batch = WORKLOADS[workload]
    cell = make_cell(cell_name)
    size = cell.n_gates * n_hidden
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n_inputs, n_steps, batch)).astype(dtype)
    shapes = [(size, n_inputs), (size, n_hidden), (size,), (size,)]
    params = [rng.uniform(-0.3, 0.3, size=s).astype(dtype) for s in shapes]
    dH = np.zeros((n_hidden, n_steps, batch), dtype=dtype)
    dH[:, -1] = rng.normal(size=(n_hidden, batch))
    ws = Workspace()
    passes = max(1, 20_000 // (n_steps * batch))  # about 20k steps per timing
    times = []
    for _ in range(repeats + 1):  # the first builds the workspace
        start = time.perf_counter()
        for _ in range(passes):
            H, cache = cell.forward(X, *params, workspace=ws)
            cell.backward(dH, *params, cache, input_grad=False, workspace=ws)
        times.append((time.perf_counter() - start) / passes)
    return 1e3 * min(times[1:])


def measure(cells, workloads, repeats, dtype):
    with threadpool_limits(1):
        return {
            f"{cell} {w}": time_cell(cell, w, repeats, np.dtype(dtype))
            for cell in cells
            for w in workloads
        }


def measure_in(root, args):
    """The same measurement, one round, in a fresh process importing ``root``."""
    arguments = ["--repeats", 1, "--cells", *args.cells, "--workloads", *args.workloads]
    return json_in(root, __file__, [*arguments, "--dtype", args.dtype])


def main():
    parser = round_parser(__doc__.splitlines()[0])
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm", "gru"])
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS))
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    args = parser.parse_args()
    if args.json:
        reply(measure(args.cells, args.workloads, args.repeats, args.dtype))
        return
    if args.against is None:
        print(f"{args.dtype}, one thread; ms per batch, best of", args.repeats)
        figures = measure(args.cells, args.workloads, args.repeats, args.dtype)
        for key, ms in figures.items():
            print(f"{key:8} {ms:8.2f}")
        return
    if not os.path.isdir(os.path.join(args.against, "sk_rnn")):
        parser.error(f"{args.against} holds no sk_rnn package")
    this = os.path.dirname(HERE)
    ours, theirs = {}, {}
    for _ in range(args.repeats):  # alternate rounds: noise hits both alike
        for store, root in ((ours, this), (theirs, args.against)):
            for key, ms in measure_in(root, args).items():
                store[key] = min(store.get(key, np.inf), ms)
    print(f"{args.dtype}, one thread; ms per batch, best of {args.repeats} rounds")
    print(f"{'':8} {'this':>8} {'against':>8} {'ratio':>6}")
    for key, ms in ours.items():
        print(f"{key:8} {ms:8.2f} {theirs[key]:8.2f} {ms / theirs[key]:6.2f}")


if __name__ == "__main__":
    main()
