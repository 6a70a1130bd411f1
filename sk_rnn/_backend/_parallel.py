"""Data parallelism for the gradient of a batch.

A batch is cut into shards of sequences; each shard's forward and backward pass runs
on its own core, and their weighted sums add up to the batch's. Unlike a
multithreaded BLAS, this parallelises the elementwise work of every step too, and
needs no synchronisation inside the time loop. The calling thread computes the
first shard; in training the others go to worker processes (``_workers``), which
share no GIL, and otherwise to threads: NumPy's ufuncs and BLAS release the GIL,
but a step's many short calls make threads wait for it.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np

from ._workers import WorkerGone, borrow, fits, give_back

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
    others, each under the caller's NumPy error settings and callback (they are
    per thread);
    results come back in order, so sums over them are reproducible. If a shard
    fails, the others are cancelled or waited for before the error propagates, so
    no thread is left writing into the caller's arrays.
    """
    if len(shards) == 1:
        return [function(shards[0])]
    settings, callback = np.geterr(), np.geterrcall()

    def run(shard):
        with np.errstate(call=callback, **settings):
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


def run_tasks(function, tasks, workspaces):
    """``[function(*task, workspace=ws) for task, ws in zip(tasks, workspaces)]``.

    The calling thread computes the first task; each of the others goes to a
    worker process if one is ready and the task can be sent (it pickles, within
    ``_workers.MAX_TASK_BYTES``), else to a thread (:func:`map_shards`). The
    results come back in order, and are the same wherever a task ran. A task that
    fails raises its error here, once every other task has finished; a worker
    whose answer cannot be read in step (an interruption) is stopped.

    Parameters
    ----------
    function : callable
        A module-level function (workers receive it by name), taking a
        ``workspace`` keyword.
    tasks : list of tuple
        The positional arguments of each call.
    workspaces : list of Workspace
        One per task, for the tasks computed in this process.
    """
    workers = borrow(len(tasks) - 1)
    pending = {}  # task -> the worker whose answer to it is unread
    try:
        for k, worker in enumerate(workers, start=1):
            if not fits(tasks[k]):
                continue
            try:
                message = worker.task(function, tasks[k])
            except Exception:  # it does not pickle: computed here
                continue
            pending[k] = worker
            try:
                worker.send(message)
            except WorkerGone:
                del pending[k]
        here = [k for k in range(len(tasks)) if k not in pending]
        try:
            parts = map_shards(
                lambda k: function(*tasks[k], workspace=workspaces[k]), here
            )
        except Exception:
            _discard_answers(pending)  # the workers stay in step
            raise
        results = dict(zip(here, parts))
        errors, lost = [], []
        for k in list(pending):
            worker = pending.pop(k)  # result() stops it if interrupted
            try:
                results[k] = worker.result()
            except WorkerGone:
                lost.append(k)
            except Exception as error:
                errors.append(error)
        if errors:
            raise errors[0]
        for k in lost:  # its worker died: computed here
            results[k] = function(*tasks[k], workspace=workspaces[k])
    finally:
        for worker in pending.values():  # unread answers: out of step for good
            worker.stop()
        give_back(workers)
    return [results[k] for k in range(len(tasks))]


def _discard_answers(pending):
    """Read and drop the answers of ``pending`` workers, emptying it."""
    for k in list(pending):
        try:
            pending.pop(k).result()
        except Exception:
            pass
