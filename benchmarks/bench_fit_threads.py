"""Fits from threads other than the main one: the BLAS limit, and fits side by side.

Two measurements, in this process:

1. **The BLAS limit in a thread.** Three 1200 x 1200 float64 products under
   ``one_blas_thread()`` (the limit a fit sets): in a new thread before the main
   thread has set any limit, in the main thread, then in a second new thread; each
   a second after a product on every BLAS thread (so that OpenBLAS's idle threads
   have stopped spinning). Prints the CPU time that the
   calling thread and the other threads of the process spent (from
   ``/proc/self/task``, Linux only), and the thread count that threadpoolctl
   reads inside the limit: with the limit in force, the other threads spend
   nothing.
2. **Two fits at once.** The same two default ``RNNClassifier`` fits (GRU, 256
   sequences of 60 steps and 4 features, ``--epochs`` epochs) one after the other
   in the main thread, then at the same time in two threads; ``--rounds`` of each,
   alternated, and the median seconds.

    python benchmarks/bench_fit_threads.py --rounds 5
    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_fit_threads.py --rounds 5
"""

import argparse
import os
import statistics
import threading
import time
import warnings

import numpy as np


def thread_seconds():
    """CPU seconds spent so far by each thread of this process, by native id."""
    tick = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a thread that has just ended
            continue
        seconds[int(tid)] = (int(fields[11]) + int(fields[12])) / tick
    return seconds


def blas_limit_readings():
    """Where a limited product's CPU time goes, in the main thread and a new one."""
    from threadpoolctl import threadpool_info

    from sk_rnn._backend import one_blas_thread

    a = np.random.default_rng(0).random((1200, 1200))
    readings = {}

    def measure(where):
        a @ a  # every BLAS thread busy first
        time.sleep(1.0)
        with one_blas_thread():
            before = thread_seconds()
            for _ in range(3):
                a @ a
            after = thread_seconds()
            threads = [i["num_threads"] for i in threadpool_info()]
        me = threading.get_native_id()
        others = sum(t - before.get(k, 0.0) for k, t in after.items() if k != me)
        readings[where] = (after[me] - before[me], others, threads)

    def in_a_thread(where):
        thread = threading.Thread(target=measure, args=(where,))
        thread.start()
        thread.join()

    in_a_thread("new thread, before the main thread set a limit")
    measure("main thread")
    in_a_thread("new thread, after the main thread set and restored one")
    return readings


def fits(epochs):
    """Seconds of two fits one after the other, and of the same two in threads."""
    from sk_rnn import RNNClassifier

    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 60, 4))
    y = (X[:, :, 0].sum(axis=1) > 0).astype(int)

    def fit(seed):
        RNNClassifier(max_iter=epochs, random_state=seed).fit(X, y)

    start = time.perf_counter()
    fit(0)
    fit(1)
    one_after_other = time.perf_counter() - start
    threads = [threading.Thread(target=fit, args=(seed,)) for seed in (0, 1)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return one_after_other, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=15)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    for where, (mine, others, threads) in blas_limit_readings().items():
        print(
            f"BLAS limit, {where}: CPU s of the calling thread {mine:.2f}, of the "
            f"others {others:.2f}; threads read inside the limit: {threads}"
        )
    fits(1)  # warm-up: imports, the first allocation of the workspaces
    rounds = [fits(args.epochs) for _ in range(args.rounds)]
    sequential, side_by_side = (statistics.median(r) for r in zip(*rounds))
    print(
        f"two fits of {args.epochs} epochs, median of {args.rounds}: one after the "
        f"other {sequential:.2f} s, in two threads {side_by_side:.2f} s, ratio "
        f"{side_by_side / sequential:.2f}"
    )


if __name__ == "__main__":
    main()
