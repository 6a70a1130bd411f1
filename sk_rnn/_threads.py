"""How many threads training and prediction use, and on what.

Two kinds of parallelism are available: cutting each batch into shards whose
gradients are computed on parallel threads (``_backend._parallel``), and letting
the BLAS library split each matrix product. Shards parallelise everything a step
does, the elementwise gate arithmetic included, with no synchronisation inside the
time loop, so they come first; BLAS threads only serve the cores that shards leave
idle (a batch too small to cut). Per-step products are small: a second BLAS thread
on them costs more than it gives, and on a machine where another process holds a
core OpenBLAS's waiting thread made them tens of times slower (see
``benchmarks/README.md``). So small work runs on one thread of each kind.
"""

from contextlib import contextmanager

from joblib import cpu_count
from threadpoolctl import ThreadpoolController

# Multiply-adds of one timestep's products over the whole batch below which
# "auto" runs on one thread: the Python overhead of a second shard costs more.
PARALLEL_ABOVE = 400_000
# Fewest sequences in a shard.
MIN_SHARD_ROWS = 16
# Multiply-adds of one timestep's recurrent product below which BLAS gets one thread.
SINGLE_BLAS_THREAD_BELOW = 4_000_000

_controller = None


def plan_threads(setting, batch_size, n_gates, n_features, hidden_sizes):
    """Shards per batch and BLAS threads for ``setting`` (``"auto"`` or an int).

    Parameters
    ----------
    setting : "auto" or int
        The estimator's ``n_threads``.
    batch_size : int
        Sequences computed together.
    n_gates : int
        Gate blocks of the cell (1, 3 or 4).
    n_features : int
        Inputs of the first layer.
    hidden_sizes : tuple of int
        Hidden units of each layer.

    Returns
    -------
    n_shards : int
        Threads the batch is split across.
    blas_threads : int
        Threads each BLAS call may use.

    Examples
    --------
    >>> plan_threads(1, 256, 4, 1, (100,))
    (1, 1)
    >>> plan_threads(2, 256, 4, 1, (100,))
    (2, 1)
    >>> plan_threads("auto", 64, 1, 1, (32,))  # too little work to share
    (1, 1)
    >>> plan_threads(4, 16, 4, 1, (1024,))  # too few sequences to cut: BLAS threads
    (1, 4)
    """
    hidden = max(hidden_sizes)
    work = batch_size * n_gates * hidden * (hidden + n_features)
    if setting == "auto":
        if work < PARALLEL_ABOVE:
            return 1, 1
        setting = cpu_count()
    n_shards = max(1, min(setting, batch_size // MIN_SHARD_ROWS))
    big = batch_size * n_gates * hidden**2 / n_shards >= SINGLE_BLAS_THREAD_BELOW
    return n_shards, max(1, setting // n_shards) if big else 1


@contextmanager
def blas_threads(threads):
    """Limit the BLAS libraries to ``threads`` threads inside the block."""
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    with _controller.limit(limits=threads, user_api="blas"):
        yield
