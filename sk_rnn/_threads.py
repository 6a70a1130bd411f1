"""How many BLAS threads the recurrent loops get.

Every timestep multiplies a ``(batch_size, hidden)`` state by a ``(hidden,
gates * hidden)`` matrix. Products that small finish before a second BLAS thread has
started, and on a machine where another process holds a core, OpenBLAS's waiting
thread can make them tens of times slower (see ``benchmarks/README.md``). So below a
size threshold training and prediction run on one BLAS thread; above it the BLAS
default stands.
"""

from contextlib import contextmanager

from threadpoolctl import ThreadpoolController

# Multiply-adds of one timestep's recurrent product below which one thread is used.
SINGLE_THREAD_BELOW = 4_000_000

_controller = None


def choose_blas_threads(setting, batch_size, n_gates, hidden_sizes):
    """The thread count for ``setting`` (``"auto"`` or an int); ``None``: BLAS's own.

    Examples
    --------
    >>> choose_blas_threads("auto", 64, 1, (128,))
    1
    >>> choose_blas_threads("auto", 256, 4, (100,)) is None
    True
    >>> choose_blas_threads(2, 64, 1, (128,))
    2
    """
    if setting != "auto":
        return setting
    work = batch_size * n_gates * max(hidden_sizes) ** 2
    return 1 if work < SINGLE_THREAD_BELOW else None


@contextmanager
def blas_threads(threads):
    """Limit the BLAS libraries to ``threads`` threads inside the block."""
    global _controller
    if threads is None:
        yield
        return
    if _controller is None:
        _controller = ThreadpoolController()
    with _controller.limit(limits=threads, user_api="blas"):
        yield
