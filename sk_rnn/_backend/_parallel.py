"""Data parallelism for the gradient of a batch.

A batch is cut into shards of sequences; each shard's forward and backward pass runs
on its own thread, and their weighted sums add up to the batch's. NumPy's ufuncs and
BLAS release the GIL, so on ``k`` cores the shards run at once, one core each:
unlike a multithreaded BLAS, this parallelises the elementwise work of every step
too, and needs no synchronisation inside the time loop.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np

_pool = None
_lock = threading.Lock()


def _forget_pool():
    """A forked child inherits the pool but not its threads: start afresh."""
    global _pool, _lock
    _pool, _lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _executor(n_workers):
    """The shared pool, replaced by a larger one when it has too few threads.

    A replaced pool is never shut down: a thread may still be submitting to it,
    and its idle threads end once nothing refers to it.
    """
    global _pool
    with _lock:
        if _pool is None or _pool._max_workers < n_workers:
            _pool = ThreadPoolExecutor(n_workers, thread_name_prefix="sk_rnn")
        return _pool


def split_batch(indices, n_shards):
    """Cut ``indices`` into at most ``n_shards`` contiguous, nonempty shards."""
    n_shards = max(1, min(n_shards, len(indices)))
    return np.array_split(indices, n_shards)


def map_shards(function, shards):
    """``[function(shard) for shard in shards]``, the shards on parallel threads.

    The calling thread computes the first shard itself while the pool computes the
    others, each under the caller's NumPy error settings (they are per thread);
    results come back in order, so sums over them are reproducible. If a shard
    fails, the others are cancelled or waited for before the error propagates, so
    no thread is left writing into the caller's arrays.
    """
    if len(shards) == 1:
        return [function(shards[0])]
    settings = np.geterr()

    def run(shard):
        with np.errstate(**settings):
            return function(shard)

    pool = _executor(len(shards) - 1)
    futures = [pool.submit(run, shard) for shard in shards[1:]]
    try:
        return [function(shards[0]), *(future.result() for future in futures)]
    except BaseException:
        for future in futures:
            future.cancel()
        wait(futures)
        raise
