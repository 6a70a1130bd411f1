"""Worker processes that compute shards of a training batch beside the caller.

Threads share one GIL, and a step of a recurrent cell is many short NumPy calls,
each of which releases the GIL and, with a second thread waiting, wakes it: two
threads spend much of their time handing the GIL over. A worker is a Python
process of its own, with its own GIL and one BLAS thread, so shards computed by
workers run truly in parallel (``benchmarks/README.md``).

A worker starts the first time a batch is cut into more shards than the caller
computes itself, and then serves every later batch of the session. Until it is
ready (it imports NumPy and sk_rnn's backend, a fraction of a second), while
another caller has it, and if it dies, its shard runs on a thread instead. The
arithmetic is the same either way, so results do not depend on where a shard ran.
A worker that fails to start is not tried again; the environment variable
``SK_RNN_WORKERS=0`` keeps every shard on threads, and so do NumPy error settings
that call back (``np.seterrcall``), which cannot cross processes.

Protocol, over the worker's standard input and output: the worker first says
``"ready"``; then for each task ``(function, args, errstate)`` it answers
``("done", function(*args, workspace=...), warnings)`` or ``("error", exception,
warnings)``, the warnings raised meanwhile being issued again by the caller;
``None`` or the end of its input stops it. Each message is a pickle preceded by
its length.
"""

import atexit
import os
import pickle
import subprocess
import sys
import threading
import traceback
import warnings

import numpy as np

# Run by the worker's interpreter: the caller's package and sys.path, then serve.
# The package is registered without running its __init__, which imports the
# estimators and scikit-learn: a worker needs the backend only.
_BOOT = """
import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's
import sys, types
package = types.ModuleType("sk_rnn")
package.__path__ = [sys.argv[1]]
sys.modules["sk_rnn"] = package
sys.path[:] = sys.argv[2:]
from sk_rnn._backend._workers import serve
serve()
"""
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_ONE_THREAD = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
# Tasks larger than this (their arrays, pickled through a pipe both ways) stay in
# the caller's process: a full-batch solver's whole data set, say.
MAX_TASK_BYTES = 64 * 2**20

_workers = []
_lock = threading.Lock()
# False where sys.executable is not a plain Python (a frozen application would
# start a copy of itself), and once a worker failed to start.
_startable = bool(sys.executable) and not getattr(sys, "frozen", False)


def _send(stream, message):
    data = message if isinstance(message, bytes) else pack(message)
    stream.write(len(data).to_bytes(8, "little"))
    stream.write(data)
    stream.flush()


def _read(stream):
    """The bytes of the next message."""
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("the worker's stream ended")
    size = int.from_bytes(header, "little")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the worker's stream ended")
    return data


def _receive(stream):
    return pickle.loads(_read(stream))


def pack(message):
    """The bytes that carry ``message``; raises if it cannot be pickled."""
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def _stderr():
    """Where a worker writes its errors: the caller's stderr, if it has one."""
    try:
        sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # pythonw, some notebooks
        return subprocess.DEVNULL
    return None


class WorkerGone(RuntimeError):
    """The worker process ended before it answered."""


class Worker:
    """One worker process; ``ready`` is set once it can take tasks."""

    def __init__(self):
        self.ready = threading.Event()
        self.alive, self.busy = True, False
        paths = [os.path.abspath(str(path)) for path in sys.path]
        self._process = subprocess.Popen(
            [sys.executable, "-c", _BOOT, _PACKAGE, *paths],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=_stderr(),
            env={**os.environ, **_ONE_THREAD},
        )
        threading.Thread(target=self._await_ready, daemon=True).start()

    def _await_ready(self):
        global _startable
        try:
            started = _receive(self._process.stdout) == "ready"
        except Exception:  # it could not start (it printed why on stderr)
            started = False
        if started:
            self.ready.set()
            return
        try:
            exit_code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # alive but not ready: broken
            exit_code = None
        if exit_code is None or exit_code >= 0:  # not a signal: the next one would
            _startable = False  # fail alike
        self.stop()

    def task(self, function, args):
        """The message of a task; raises here if it cannot be sent at all."""
        errstate = np.geterr()
        if {"call", "log"} & set(errstate.values()):
            raise ValueError("np.seterrcall's callback does not cross processes")
        return pack((function, args, errstate))

    def send(self, message):
        """Send a task's message (see :meth:`task`); :meth:`result` answers it."""
        try:
            _send(self._process.stdin, message)
        except BaseException as error:  # a message cut short garbles the stream
            self.stop()
            if isinstance(error, OSError):
                raise WorkerGone("the worker process has ended") from error
            raise

    def result(self):
        """The answer to the task sent last; re-raises the task's exception."""
        try:
            kind, value, caught = _receive(self._process.stdout)
        except BaseException as error:  # gone, or interrupted mid-answer
            self.stop()
            if isinstance(error, (EOFError, OSError)):
                raise WorkerGone("the worker process has ended") from error
            raise
        for message, category in caught:
            warnings.warn(message, category, stacklevel=2)
        if kind == "error":
            raise value
        return value

    def stop(self):
        """End the process (it is never used again)."""
        self.alive = False
        self._process.kill()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # reaped by subprocess later
            pass
        self.close_pipes()

    def close_pipes(self):
        """Close this process's ends of the pipes (the worker then sees EOF)."""
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass


def borrow(n_workers):
    """Up to ``n_workers`` ready, idle workers, now busy; starts the missing ones.

    Started workers become ready in the background: the first batches of a
    session may get fewer workers than they asked for.
    """
    global _startable
    if n_workers < 1 or os.environ.get("SK_RNN_WORKERS") == "0":
        return []
    with _lock:
        _workers[:] = [worker for worker in _workers if worker.alive]
        while _startable and len(_workers) < n_workers:
            try:
                _workers.append(Worker())
            except Exception:  # no interpreter to start here: threads only
                _startable = False
        idle = [w for w in _workers if w.alive and w.ready.is_set() and not w.busy]
        for worker in idle[:n_workers]:
            worker.busy = True
        return idle[:n_workers]


def fits(task):
    """Whether ``task``'s arrays are small enough to send to a worker."""
    return sum(getattr(item, "nbytes", 0) for item in task) <= MAX_TASK_BYTES


def give_back(workers):
    """Make borrowed workers available again."""
    with _lock:
        for worker in workers:
            worker.busy = False


def _stop_all():
    for worker in _workers:
        if worker.alive:
            worker.stop()


def _forget_workers():
    """A forked child must not talk to its parent's workers, nor keep them alive."""
    global _lock
    for worker in _workers:
        worker.close_pipes()
    _workers.clear()
    _lock = threading.Lock()


atexit.register(_stop_all)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_workers)


def _answer(function, args, errstate, workspace):
    """The message answering one task, warnings included."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with np.errstate(**errstate):
                kind, value = "done", function(*args, workspace=workspace)
        except Exception as error:
            if hasattr(error, "add_note"):  # Python 3.11+
                error.add_note(f"Raised in a worker process:\n{traceback.format_exc()}")
            kind, value = "error", error
    raised = list(dict.fromkeys((str(w.message), w.category) for w in caught))
    try:
        return pack((kind, value, raised))
    except Exception:  # an exception or warning that does not pickle
        failure = RuntimeError(traceback.format_exc())
        return pack(("error", failure, []))


def serve():
    """The worker's loop: answer tasks until told to stop or the caller is gone."""
    from threadpoolctl import threadpool_limits

    from ._workspace import Workspace

    inputs = sys.stdin.buffer
    sys.stdout.flush()
    outputs = os.fdopen(os.dup(1), "wb")  # the answers' own copy of stdout
    os.dup2(2, 1)  # anything else printed, from C too, goes to stderr
    threadpool_limits(1)
    workspace = Workspace()
    try:
        _send(outputs, "ready")
        while True:
            data = _read(inputs)
            try:
                task = pickle.loads(data)
            except Exception:  # code that differs from the caller's, say
                _send(outputs, ("error", RuntimeError(traceback.format_exc()), []))
                continue
            if task is None:
                break
            _send(outputs, _answer(*task, workspace))
    except (EOFError, OSError):  # the caller has gone
        pass
    os._exit(0)
