"""Data parallelism for the gradient of a batch, and the BLAS threads beside it.

A batch is cut into shards of sequences; each shard's forward and backward pass runs
on its own core, and their weighted sums add up to the batch's. Unlike a
multithreaded BLAS, this parallelises the elementwise work of every step too, with no
synchronisation inside the time loop. The calling process computes the first shard;
the others go to worker processes of a loky executor of this package's own (one
BLAS thread each), which share no GIL with it: a step of a recurrent cell is many
short NumPy calls, and threads would spend their time handing the GIL to each other.
Each worker receives a fit's data once and then, for each batch, the parameters and
its rows over a pipe of its own (:func:`shard_workers`); a fit's data of more than
:data:`SHARED_DATA_BYTES` goes to one temporary file that every worker maps into
memory (``joblib.dump``, ``joblib.load(mmap_mode="r")``) and that is deleted once
they have, so that the workers share one copy instead of holding one each. Idle
workers exit after :data:`IDLE_TIMEOUT` seconds, and with their parent.

A process pays for each batch's round trip (a few tenths of a millisecond), so a
batch is cut only where each shard holds enough work (:func:`plan_shards`). BLAS
runs on one thread unless ``n_jobs`` gives more than one core to a batch too small
to cut whose products are large (:func:`blas_plan`): on a machine busy with other
work, a BLAS thread waiting for a core made products many times slower.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import joblib
import numpy as np
from joblib import effective_n_jobs
from joblib.externals.loky import BrokenProcessPool, ProcessPoolExecutor
from joblib.externals.loky.backend import get_context, resource_tracker
from threadpoolctl import ThreadpoolController

from ._workspace import Workspace

if TYPE_CHECKING:
    from ._network import RecurrentNetwork

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
# Bytes of arrays in a fit's data from which the workers map one file of it instead
# of each receiving a copy (joblib.Parallel's max_nbytes is 1M too).
SHARED_DATA_BYTES = 2**20
_ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def n_processes(n_jobs: int | None) -> int:
    """Processes for ``n_jobs``, read as joblib reads it.

    ``None`` is one process unless a ``joblib.parallel_config`` context says
    otherwise; ``-1`` is every core. ``0`` is an error, before any work (fit's
    parameter validation refuses it first; a later ``set_params`` reaches here).
    """
    if n_jobs == 0:
        raise ValueError(
            "n_jobs=0 has no meaning: pass None or a positive number of cores, or "
            "-1 for all of them."
        )
    return max(1, effective_n_jobs(n_jobs))


def plan_shards(n_jobs: int | None, batch_size: int, network, n_timesteps: int) -> int:
    """How many shards a training batch is cut into.

    Parameters
    ----------
    n_jobs : int or None
        The estimator's ``n_jobs``.
    batch_size : int
    network : RecurrentNetwork
        Its cell's gates and its widest layer weigh the work of a step.
    n_timesteps : int

    Returns
    -------
    n_shards : int

    Examples
    --------
    >>> from sk_rnn._backend import RecurrentNetwork
    >>> lstm, rnn = (RecurrentNetwork(cell, 1, (32,), 1) for cell in ("lstm", "rnn"))
    >>> plan_shards(2, 64, lstm, 50)  # 32 x 4 x 32 x 50 per shard: enough
    2
    >>> plan_shards(2, 64, rnn, 50)  # a quarter of that: not worth a process
    1
    >>> plan_shards(None, 256, lstm, 100)
    1
    """
    work = batch_size * _gate_rows(network) * n_timesteps
    n_shards = min(n_processes(n_jobs), batch_size // MIN_SHARD_ROWS)
    return max(1, min(n_shards, work // MIN_SHARD_WORK))


def _gate_rows(network: RecurrentNetwork) -> int:
    """Rows of the widest layer's gate block, ``n_gates * max(hidden_sizes)``."""
    return network.cell.n_gates * max(network.hidden_sizes)


def blas_plan(
    n_cores: int, n_shards: int, batch_size: int, network: RecurrentNetwork
) -> bool:
    """Whether BLAS runs on one thread: on one core, beside shards, or for small
    products.

    ``n_cores`` is :func:`n_processes` of the estimator's ``n_jobs``: with one, a
    fit or prediction keeps to one core, BLAS included (on a machine busy with
    other work, a BLAS thread waiting for a core made epochs ten to fifty
    times slower, ``benchmarks/README.md``). With more, a batch not cut into shards
    lets BLAS use its threads for large products.

    Parameters
    ----------
    n_cores, n_shards, batch_size : int
        The cores of ``n_jobs``, the shards a batch is cut into, and the
        sequences of a batch (or of a shard).
    network : RecurrentNetwork
        Its cell's gates and its widest layer weigh a step's products.

    Returns
    -------
    one_thread : bool

    Examples
    --------
    >>> from sk_rnn._backend import RecurrentNetwork
    >>> small, large = (RecurrentNetwork("lstm", 1, (n,), 1) for n in (32, 128))
    >>> blas_plan(2, 1, 64, small)  # 262,144 multiply-adds a step: small
    True
    >>> blas_plan(2, 1, 256, large)
    False
    >>> blas_plan(1, 1, 256, large)  # one core
    True
    >>> blas_plan(2, 2, 256, large)  # shards: each on one core
    True
    """
    work = batch_size * _gate_rows(network) * max(network.hidden_sizes)
    return n_cores == 1 or n_shards > 1 or work < MIN_BLAS_WORK


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


_executor = None  # (the process it was made in, its size, this package's executor)
_executor_lock = threading.Lock()


def _workers(n_workers, renew=False):
    """This package's loky executor, with at least ``n_workers`` processes.

    Its own, not joblib's process-wide one, so that a search's workers and a fit's
    do not replace each other, and joblib's loky backend never waits for a fit.
    Fits from several threads take turns for its workers. It is made again when
    ``renew`` (after a worker died: a broken executor takes no more work), for
    more workers, and in a forked child, which cannot use its parent's.
    """
    global _executor
    with _executor_lock:
        pid, size, executor = _executor or (None, 0, None)
        if pid != os.getpid():
            size, executor = 0, None
        if renew or executor is None or size < n_workers:
            if executor is not None:
                executor.shutdown(wait=False)  # its running services end first
            size = max(size, n_workers)
            executor = ProcessPoolExecutor(
                max_workers=size,
                timeout=IDLE_TIMEOUT,
                env=_ONE_THREAD,
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
            _executor = (os.getpid(), size, executor)
        return executor


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


class ShardWorkers:
    """Worker processes holding one fit's data, each computing a shard of a batch.

    Made by :func:`shard_workers`. Each worker has a pipe of its own: a batch sends
    it the parameters and its shard's rows, and it answers with the result, one
    message each way and no executor thread in between (the executor's threads
    need this process's GIL, which the shard computed here holds).
    """

    def __init__(self, connections, futures):
        self._connections = connections
        self._futures = futures
        self._pending = []  # workers sent a task whose result is not read yet

    def __len__(self):
        return len(self._connections)

    def start(self, tasks: list[tuple]) -> None:
        """Send ``tasks[k]`` to worker ``k`` (at most one task per worker)."""
        for k in self._pending:  # results of a batch abandoned by an error
            self._receive(k)
        self._pending = []
        for k, task in enumerate(tasks):
            self._send(k, task)
            self._pending.append(k)

    def results(self) -> list:
        """The results of the tasks sent by :meth:`start`, in their order."""
        results = []
        while self._pending:  # a worker leaves the list once its result is read
            results.append(self._receive(self._pending[0]))
            del self._pending[0]
        return results

    def _send(self, k, message):
        try:
            self._connections[k].send(message)
        except OSError:  # the worker is gone
            self._raise_from(k)

    def _receive(self, k):
        connection, future = self._connections[k], self._futures[k]
        try:
            while not connection.poll(PARENT_POLL):
                if future.done():
                    break
            else:
                return connection.recv()
        except (EOFError, OSError):  # the worker is gone, its error in its future
            pass
        self._raise_from(k)

    def _raise_from(self, k):
        self._futures[k].result()  # raises the worker's error, if it had one
        raise RuntimeError("a worker process stopped before returning its result")


@contextmanager
def shard_workers(
    n_workers: int, function: Callable[..., T], data: object
) -> Iterator[ShardWorkers]:
    """``n_workers`` processes computing ``function(data, *task, workspace=...)``.

    ``data`` is sent to each worker once, when the block is entered, so that a
    batch sends only its task; with more than :data:`SHARED_DATA_BYTES` of arrays
    it is written to one temporary file that each worker maps read-only, deleted
    as soon as every worker has mapped it (:func:`_shared_copy`). The workers are
    the processes of this package's loky executor: they serve until the block ends
    (or this process does), then return to the executor, which stops them after
    :data:`IDLE_TIMEOUT` idle seconds. A worker's error is raised here.

    Parameters
    ----------
    n_workers : int
        Worker processes; ``0`` yields an empty :class:`ShardWorkers`.
    function : callable
        A module-level function (workers receive it by reference).
    data : object
        Its first argument, the same for every task: an array, a tuple of fields
        (arrays among them), or any object that pickles.
    """
    if n_workers == 0:
        yield ShardWorkers([], [])
        return
    folder = _shared_copy(data) if _array_bytes(data) > SHARED_DATA_BYTES else None
    message = data if folder is None else _SharedFile(os.path.join(folder, "data"))
    try:
        with _serving(n_workers, function, message) as workers:
            # Every worker has mapped the file: deleted now, it lives on in their
            # maps until they let go, and no kill can leave it behind.
            _remove(folder)
            yield workers
    finally:
        _remove(folder)


def _shared_copy(data):
    """A temporary folder holding ``data`` in a file ``data`` (``joblib.dump``).

    In ``JOBLIB_TEMP_FOLDER`` if set (made if missing), else the system's
    temporary folder. ``None`` if it cannot be written (no space, no permission):
    each worker then receives a copy, as for small data.
    """
    root = os.environ.get("JOBLIB_TEMP_FOLDER")
    folder = None
    try:
        if root is not None:
            root = os.path.abspath(os.path.expanduser(root))
            os.makedirs(root, exist_ok=True)
        folder = tempfile.mkdtemp(prefix="sk_rnn_", dir=root)
        # loky's resource tracker deletes it if this process dies without a word
        resource_tracker.register(folder, "folder")
        joblib.dump(data, os.path.join(folder, "data"))
    except OSError:
        _remove(folder)
        return None
    except BaseException:  # data that does not pickle, an interruption
        _remove(folder)
        raise
    return folder


def _remove(folder):
    """Delete ``folder`` (made by :func:`_shared_copy`) if it is still there."""
    if folder is not None and os.path.isdir(folder):
        shutil.rmtree(folder, ignore_errors=True)
        resource_tracker.unregister(folder, "folder")


@contextmanager
def _serving(n_workers, function, message):
    """:func:`shard_workers` once the data's ``message`` is ready to send."""
    pipes = [get_context().Pipe() for _ in range(n_workers)]  # loky's, as its workers
    errstate = np.geterr()
    try:
        executor = _workers(n_workers)
        futures = [executor.submit(_serve, p, function, errstate) for _, p in pipes]
    except BrokenProcessPool:  # a worker died in an earlier fit
        executor = _workers(n_workers, renew=True)
        futures = [executor.submit(_serve, p, function, errstate) for _, p in pipes]
    workers = ShardWorkers([ours for ours, _ in pipes], futures)
    try:
        for k, (_, theirs) in enumerate(pipes):
            workers._receive(k)  # the worker holds its end now: ours can go
            theirs.close()
            workers._send(k, message)
        for k in range(n_workers):
            workers._receive(k)  # the worker holds the data
        yield workers
    finally:
        for ours, theirs in pipes:
            try:  # ends the worker's service at its next read, as the close
                ours.send(None)  # does unless a forked process holds our end too
            except OSError:  # the worker is gone
                pass
            ours.close()
            theirs.close()
        for future in futures:
            try:
                future.result()
            except Exception:  # raised already, or of no use now
                pass
            except KeyboardInterrupt:  # the worker's, from a Ctrl-C to the group,
                if not future.done():  # is over; a Ctrl-C here is this process's
                    raise


class _SharedFile(NamedTuple):
    """Sent to a worker in place of the data: the ``joblib.dump`` file to map."""

    path: str


def _array_bytes(data) -> int:
    """Bytes of the arrays in ``data``, an array or a tuple of fields."""
    fields = data if isinstance(data, tuple) else (data,)
    return sum(field.nbytes for field in fields if isinstance(field, np.ndarray))


def _serve(connection, function, errstate):
    """In a worker: compute the tasks read from ``connection`` until it closes."""
    workspace = Workspace()
    with connection, np.errstate(**errstate):
        connection.send(None)  # ready: the data comes next
        data = connection.recv()
        if isinstance(data, _SharedFile):  # one file for every worker: map it
            data = joblib.load(data.path, mmap_mode="r")
        connection.send(None)  # holding the data: the file may go
        while True:
            try:
                task = connection.recv()
            except EOFError:
                return
            if task is None:  # the end of the block
                return
            try:
                result = function(data, *task, workspace=workspace)
            except BaseException as exc:
                # The executor keeps the error; its frames must not keep the data
                # (a deleted file's pages) while this worker waits for more work.
                data = None
                traceback.clear_frames(exc.__traceback__)
                raise
            connection.send(result)
