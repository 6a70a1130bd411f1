"""How many cores training and prediction use, and on what.

Two kinds of parallelism are available: cutting each batch into shards computed
in parallel (``_backend._parallel``), and letting the BLAS library split each
matrix product. Shards parallelise everything a step does, the elementwise gate
arithmetic included, with no synchronisation inside the time loop, so they come
first; BLAS threads only serve the cores that shards leave idle (a batch too small
to cut). A second BLAS thread on a small product costs more than it gives (on a
machine where another process holds a core, OpenBLAS's waiting thread made them
tens of times slower, see ``benchmarks/README.md``), so small work runs on one
thread.

In training, shards beyond the caller's go to worker processes (``_workers``),
which pay for each batch's round trip but share no GIL: they pay off from a
shard's whole batch of work up (``MIN_WORKER_WORK``). Prediction shards run on
threads, which pay off only when each step's arithmetic is long enough that the
threads are not busy handing the GIL to each other (``MIN_SHARD_WORK``).
"""

from contextlib import contextmanager

from joblib import cpu_count
from threadpoolctl import ThreadpoolController

# Fewest hidden units times sequences per shard worth a thread of its own, by the
# cell's number of gates: below it a step's elementwise calls are too short, and
# the threads spend their time handing the GIL to each other. The GRU makes the
# most calls per step for its size (measured by benchmarks/bench_threads.py).
MIN_SHARD_WORK = {1: 4096, 3: 8192, 4: 4096}
# Fewest hidden units times gates, sequences and timesteps per shard worth a
# worker process (a training batch's round trip to it costs 0.3-0.7 ms; measured
# by benchmarks/bench_threads.py: on W1, shards of 32 units x 4 gates x 32
# sequences x 50 steps gain, of 32 x 1 x 32 x 50 lose).
MIN_WORKER_WORK = 100_000
# Fewest sequences in a shard.
MIN_SHARD_ROWS = 16
# Multiply-adds of one step's recurrent product (per shard) from which BLAS gets
# the threads left over: below it a second thread gains nothing on a quiet
# machine and costs much on a busy one.
MIN_BLAS_WORK = 1_000_000

_controller = None


def plan_threads(setting, batch_size, n_gates, hidden_sizes, n_timesteps=None):
    """Shards per batch and BLAS threads for ``setting`` (``"auto"`` or an int).

    Parameters
    ----------
    setting : "auto" or int
        The estimator's ``n_threads``; ``"auto"`` is :func:`available_threads`.
    batch_size : int
        Sequences computed together.
    n_gates : int
        Gate blocks of the cell (1, 3 or 4).
    hidden_sizes : tuple of int
        Hidden units of each layer.
    n_timesteps : int or None, default=None
        Steps of a training batch, whose shards go to worker processes; ``None``
        plans shards on threads (prediction).

    Returns
    -------
    n_shards : int
        Threads the batch is split across.
    blas_threads : int
        Threads each BLAS call may use.

    Examples
    --------
    >>> plan_threads(2, 256, 4, (100,))  # big enough to cut in two
    (2, 1)
    >>> plan_threads(2, 64, 3, (128,))  # too small to cut: BLAS threads
    (1, 2)
    >>> plan_threads(2, 64, 4, (32,))  # too small for either
    (1, 1)
    >>> plan_threads(1, 256, 4, (100,))
    (1, 1)
    >>> plan_threads(8, 32, 4, (1024,))  # shards never share BLAS threads
    (2, 1)
    >>> plan_threads(2, 64, 4, (32,), n_timesteps=50)  # training: worker processes
    (2, 1)
    """
    threads = available_threads() if setting == "auto" else setting
    hidden = max(hidden_sizes)
    n_shards = min(threads, batch_size // MIN_SHARD_ROWS)
    if n_timesteps is None:
        enough = batch_size * hidden // MIN_SHARD_WORK[n_gates]
    else:
        enough = batch_size * n_gates * hidden * n_timesteps // MIN_WORKER_WORK
    n_shards = max(1, min(n_shards, enough))
    # Multithreaded BLAS calls from several threads at once may be serialised by
    # the library, so shards each get one BLAS thread.
    if n_shards > 1 or batch_size * n_gates * hidden**2 < MIN_BLAS_WORK:
        return n_shards, 1
    return 1, threads


def _get_controller():
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller


def available_threads():
    """The threads ``"auto"`` may use: as many as BLAS is allowed, else every core.

    Reading the BLAS limit respects a caller's ``threadpool_limits`` and the limit
    joblib gives each worker of a parallel search (cores divided by ``n_jobs``), so
    a search does not ask for more threads than there are cores.
    """
    counts = [
        info["num_threads"]
        for info in _get_controller().select(user_api="blas").info()
        if info.get("num_threads")
    ]
    return max(counts) if counts else cpu_count()


@contextmanager
def blas_threads(threads):
    """Limit the BLAS libraries to ``threads`` threads inside the block."""
    with _get_controller().limit(limits=threads, user_api="blas"):
        yield
