"""Speed suite: one training epoch of RNNRegressor on workloads W1-W5, beside PyTorch.

For every cell and dtype, epochs of ours and (when ``torch`` is installed) of the same
model in PyTorch (``nn.RNN``/``nn.LSTM``/``nn.GRU`` + ``nn.Linear``, MSE, Adam, full
BPTT, ``torch.set_num_threads`` equal to our ``n_jobs``) are interleaved in one run,
so machine noise hits both alike. Each timed epoch follows an untimed one of the same
model, as in a real training run: PyTorch's OpenMP threads spin-wait after its work
and take a core from whatever runs next for a while, which made our epochs timed
straight after PyTorch's up to 10% longer (``--no-settle`` times them that way).
Reported per row: median epoch times, the ratio ours/torch, our achieved GFLOP/s
against a square-GEMM peak measured in the same run, and the peak memory NumPy
allocates during one of our epochs.

    python benchmarks/run.py                      # everything, 5 epochs each
    python benchmarks/run.py --workloads W1 W2 --cells rnn --dtypes float32
    python benchmarks/run.py --threads 1          # both sides on one thread

torch is a benchmark-only dependency: ``pip install torch==2.13.0``.
"""

import argparse
import time
import tracemalloc
import warnings

import numpy as np
from joblib import cpu_count
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from sk_rnn import RNNRegressor

WORKLOADS = {
    # name: (n_samples, n_timesteps, n_features, hidden, batch_size)
    "W1": (1024, 50, 1, 32, 64),
    "W2": (1024, 50, 8, 128, 64),
    "W3": (2048, 100, 1, 64, 128),
    "W4": (512, 784, 1, 32, 128),
    "W5": (1024, 140, 1, 100, 256),
}
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def workload_data(name, dtype=np.float64):
    """Sequences of workload ``name`` and their targets, the mean of feature 0."""
    n, t, f, _, _ = WORKLOADS[name]
    X = np.random.RandomState(0).normal(size=(n, t, f)).astype(dtype)
    return X, X[:, :, 0].mean(axis=1)


def epoch_flops(workload, cell):
    """Multiply-add FLOPs of one epoch's matrix products (forward and BPTT)."""
    n, t, f, h, _ = workload
    g = GATES[cell]
    # forward: the step product (inputs and recurrent state; the bias column is
    # not counted); backward: weight gradients of both, and the recurrent product
    # carrying dh back one step.
    return 2 * n * t * g * h * (2 * f + 3 * h)


def gemm_peak(dtype, size=1024, repeats=5):
    """GFLOP/s of a square matrix product on the BLAS threads allowed: the ceiling."""
    a = np.random.RandomState(0).normal(size=(size, size)).astype(dtype)
    a @ a
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        a @ a
        times.append(time.perf_counter() - start)
    return 2 * size**3 / np.median(times) / 1e9


class Ours:
    def __init__(self, cell, workload, X, y, threads):
        self.X, self.y = X, y
        # n_jobs, or n_threads in a checkout from before it (bench_epochs.py)
        params = RNNRegressor().get_params()
        key = "n_jobs" if "n_jobs" in params else "n_threads"
        # the head reads the last state, as PyTorch's recipe does (0.2.0's readout)
        same_head = {"readout": "last"} if "readout" in params else {}
        # and every step, one at a time, as PyTorch reads them (0.2.0 patches them)
        same_steps = {"patch_size": 1} if "patch_size" in params else {}
        self.model = RNNRegressor(
            **{key: threads},
            **same_head,
            **same_steps,
            clip_norm=None,  # unclipped, as PyTorch's recipe (0.2.0 clips at 1.0)
            hidden_layer_sizes=(workload[3],),
            cell=cell,
            batch_size=workload[4],
            max_iter=1,
            warm_start=True,
            shuffle=True,
            random_state=0,
        )
        self.model.fit(X, y)  # warm-up epochs, which start any worker process
        self.model.fit(X, y)

    def epoch(self):
        self.model.fit(self.X, self.y)

    def peak_memory(self):
        tracemalloc.start()
        self.epoch()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak


class Torch:
    def __init__(self, torch, cell, workload, X, y, threads):
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        rnn_class = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
        dtype = torch.float32 if X.dtype == np.float32 else torch.float64
        self.torch = torch
        self.rnn = rnn_class[cell](workload[2], workload[3], batch_first=True)
        self.head = torch.nn.Linear(workload[3], 1)
        self.rnn.to(dtype)
        self.head.to(dtype)
        params = list(self.rnn.parameters()) + list(self.head.parameters())
        self.optimizer = torch.optim.Adam(params, lr=1e-3)
        self.X = torch.from_numpy(X)
        self.y = torch.from_numpy(y[:, None])
        self.batch = workload[4]
        self.epoch()  # warm-up epoch

    def epoch(self):
        torch = self.torch
        order = torch.randperm(len(self.X))
        for start in range(0, len(self.X), self.batch):
            idx = order[start : start + self.batch]
            self.optimizer.zero_grad()
            out, _ = self.rnn(self.X[idx])
            loss = 0.5 * torch.mean((self.head(out[:, -1]) - self.y[idx]) ** 2)
            loss.backward()
            self.optimizer.step()


def elapsed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS))
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm", "gru"])
    parser.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=cpu_count())
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument(
        "--no-settle",
        action="store_true",
        help="time every epoch straight after the other model's",
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            print("torch is not installed: timing sk_rnn alone")
    threads = args.threads
    with threadpool_limits(threads, user_api="blas"):
        peaks = {dtype: gemm_peak(dtype) for dtype in args.dtypes}
    print(
        f"threads: {threads}; square-GEMM peak: "
        + ", ".join(f"{d} {p:.1f} GFLOP/s" for d, p in peaks.items())
    )
    header = (
        f"{'workload':8} {'cell':5} {'dtype':8} {'ours ms':>9} {'torch ms':>9} "
        f"{'ratio':>6} {'GFLOP/s':>8} {'% peak':>7} {'peak MiB':>9}"
    )
    print(header)
    print("-" * len(header))
    for name in args.workloads:
        workload = WORKLOADS[name]
        X64, y64 = workload_data(name)
        for cell in args.cells:
            for dtype in args.dtypes:
                X, y = X64.astype(dtype), y64.astype(dtype)
                ours = Ours(cell, workload, X, y, threads)
                theirs = Torch(torch, cell, workload, X, y, threads) if torch else None
                ours_t, torch_t = [], []
                timed = [(ours, ours_t)] + ([(theirs, torch_t)] if theirs else [])
                for _ in range(args.repeats):  # interleaved rounds
                    for model, times in timed:
                        if not args.no_settle:
                            model.epoch()  # untimed: the other's threads settle
                        times.append(elapsed(model.epoch))
                ours_ms = 1e3 * float(np.median(ours_t))
                torch_ms = 1e3 * float(np.median(torch_t)) if theirs else float("nan")
                gflops = epoch_flops(workload, cell) / (ours_ms / 1e3) / 1e9
                memory = ours.peak_memory() / 2**20
                print(
                    f"{name:8} {cell:5} {dtype:8} {ours_ms:9.1f} {torch_ms:9.1f} "
                    f"{ours_ms / torch_ms:6.2f} {gflops:8.2f} "
                    f"{100 * gflops / peaks[dtype]:6.1f}% {memory:9.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
