"""Data parallelism for the gradient of a batch, and the BLAS threads beside it.

A batch is cut into shards of sequences; each shard's forward and backward pass runs
on its own core, and their weighted sums add up to the batch's. Unlike a
multithreaded BLAS, this parallelises the elementwise work of every step too, with no
synchronisation inside the time loop. The calling process computes the first shard;
the others go to joblib's reusable loky processes (one BLAS thread each), which share
no GIL with it: a step of a recurrent cell is many short NumPy calls, and threads
would spend their time handing the GIL to each other. Idle workers exit after
:data:`IDLE_TIMEOUT` seconds, and with their parent.

A process pays for each batch's round trip (about half a millisecond), so a batch is
cut only where each shard holds enough work (:func:`plan_shards`). Products too small
for a second BLAS thread run on one (:func:`blas_plan`): on a machine busy with other
work, a BLAS thread waiting for a core made small products many times slower.
"""

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import numpy as np
from joblib import effective_n_jobs
from joblib.executor import get_memmapping_executor
from threadpoolctl import ThreadpoolController

from ._workspace import Workspace

T = TypeVar("T")

# Seconds an idle worker process waits for work before it exits.
IDLE_TIMEOUT = 30
# Seconds between a worker's checks that its parent is alive.
PARENT_POLL = 0.5
# Fewest hidden units times gates, sequences and timesteps per shard worth a
# process of its own: a batch's round trip costs 0.3-0.7 ms (on W1, shards of 32
# units x 4 gates x 32 sequences x 50 steps gain, of 32 x 1 x 32 x 50 lose;
# benchmarks/README.md).
MIN_SHARD_WORK = 100_000
# Fewest sequences in a shard.
MIN_SHARD_ROWS = 16
# Multiply-adds of one step's recurrent product from which BLAS keeps its threads.
MIN_BLAS_WORK = 1_000_000
_ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def n_processes(n_jobs: int | None) -> int:
    """Processes for ``n_jobs``, read as joblib reads it.

    ``None`` is one process unless a ``joblib.parallel_config`` context says
    otherwise; ``-1`` is every core.
    """
    return max(1, effective_n_jobs(n_jobs))


def plan_shards(
    n_jobs: int | None,
    batch_size: int,
    n_gates: int,
    hidden_sizes: tuple[int, ...],
    n_timesteps: int,
) -> int:
    """How many shards a training batch is cut into.

    Parameters
    ----------
    n_jobs : int or None
        The estimator's ``n_jobs``.
    batch_size, n_gates, n_timesteps : int
    hidden_sizes : tuple of int

    Returns
    -------
    n_shards : int

    Examples
    --------
    >>> plan_shards(2, 64, 4, (32,), 50)  # 32 x 4 x 32 x 50 per shard: enough
    2
    >>> plan_shards(2, 64, 1, (32,), 50)  # a quarter of that: not worth a process
    1
    >>> plan_shards(None, 256, 4, (100,), 100)
    1
    """
    work = batch_size * n_gates * max(hidden_sizes) * n_timesteps
    n_shards = min(n_processes(n_jobs), batch_size // MIN_SHARD_ROWS)
    return max(1, min(n_shards, work // MIN_SHARD_WORK))


def blas_plan(
    n_shards: int, batch_size: int, n_gates: int, hidden_sizes: tuple[int, ...]
) -> bool:
    """Whether BLAS runs on one thread: beside shards, or for small products.

    Examples
    --------
    >>> blas_plan(1, 64, 4, (32,))  # 262,144 multiply-adds a step: small
    True
    >>> blas_plan(1, 256, 4, (128,))
    False
    >>> blas_plan(2, 256, 4, (128,))  # shards: each on one core
    True
    """
    work = batch_size * n_gates * max(hidden_sizes) ** 2
    return n_shards > 1 or work < MIN_BLAS_WORK


_blas_lock = threading.Lock()
_blas_users = 0
_blas_limiter = None
_blas_controller = None  # found once: finding the libraries reads the process's maps


@contextmanager
def one_blas_thread(enabled: bool = True) -> Iterator[None]:
    """Limit BLAS to one thread inside the block (nothing if not ``enabled``).

    threadpoolctl's limits are process-wide, so calls that overlap from several
    threads share one limit: the first to enter sets it, the last to leave restores
    what was there before the first, whatever the order they leave in.
    """
    global _blas_users, _blas_limiter, _blas_controller
    if not enabled:
        yield
        return
    with _blas_lock:
        if _blas_users == 0:
            if _blas_controller is None:
                _blas_controller = ThreadpoolController()
            _blas_limiter = _blas_controller.limit(limits=1, user_api="blas")
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_limiter.restore_original_limits()
                _blas_limiter = None


def split_batch(indices: np.ndarray, n_shards: int) -> list[np.ndarray]:
    """Cut ``indices`` into at most ``n_shards`` contiguous, nonempty shards."""
    n_shards = max(1, min(n_shards, len(indices)))
    return np.array_split(indices, n_shards)


def _workers(n_workers):
    """joblib's reusable loky executor with at least ``n_workers`` processes.

    The one joblib's own loky backend uses (a search with ``n_jobs`` shares it).
    """
    return get_memmapping_executor(
        n_workers,
        timeout=IDLE_TIMEOUT,
        env=_ONE_THREAD,
        initializer=_watch_parent,
        initargs=(os.getpid(),),
    )


def _watch_parent(parent):
    """In a worker: exit as soon as the process ``parent`` is gone.

    A worker waiting for work would otherwise outlive a parent killed without
    warning (SIGKILL) until its idle timeout.
    """

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


# One workspace per worker process: a worker runs one task at a time.
_worker_workspace = None


def _in_worker(function, args, errstate):
    """Run ``function(*args)`` in a worker, under the caller's error settings."""
    global _worker_workspace
    if _worker_workspace is None:
        _worker_workspace = Workspace()
    with np.errstate(**errstate):
        return function(*args, workspace=_worker_workspace)


def run_shards(
    function: Callable[..., T], tasks: list[tuple], workspace: Workspace
) -> list[T]:
    """``[function(*task, workspace=...) for task in tasks]``, in parallel.

    The calling process computes the first task in ``workspace`` while worker
    processes compute the others; results come back in order, so sums over them
    are reproducible. If a task fails or the call is interrupted, the other tasks
    are cancelled or waited for before the error propagates.

    Parameters
    ----------
    function : callable
        A module-level function (workers receive it by reference) taking a
        ``workspace`` keyword.
    tasks : list of tuple
        The positional arguments of each call.
    workspace : Workspace
        For the task computed here.
    """
    if len(tasks) == 1:
        return [function(*tasks[0], workspace=workspace)]
    executor = _workers(len(tasks) - 1)
    settings = np.geterr()
    futures = [
        executor.submit(_in_worker, function, task, settings) for task in tasks[1:]
    ]
    try:
        first = function(*tasks[0], workspace=workspace)
        return [first, *(future.result() for future in futures)]
    except BaseException:
        for future in futures:
            future.cancel()
        for future in futures:
            try:
                future.result()
            except BaseException:
                pass
        raise
