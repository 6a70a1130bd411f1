"""Worker processes: shards of a training batch computed beside the caller."""

import copy
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from sk_rnn import RNNRegressor
from sk_rnn._backend import LOSSES, RecurrentNetwork, _parallel, _workers
from sk_rnn._backend._objective import weighted_loss_sum
from sk_rnn._backend._parallel import run_tasks
from sk_rnn._backend._workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture
def ready_workers():
    """Wait until two workers are ready (each start imports NumPy and the backend)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        workers = _workers.borrow(2)
        _workers.give_back(workers)
        if len(workers) == 2:
            return workers
        if not _workers._startable or os.environ.get("SK_RNN_WORKERS") == "0":
            raise AssertionError("worker processes cannot start here")
        time.sleep(0.1)
    raise AssertionError("no worker process became ready in two minutes")


@pytest.fixture
def answers(monkeypatch):
    """What came back from worker processes: ``("done", value)`` or ``("error", e)``."""
    received = []
    original = _workers.Worker.result

    def result(worker):
        try:
            value = original(worker)
        except Exception as error:
            received.append(("error", error))
            raise
        received.append(("done", value))
        return value

    monkeypatch.setattr(_workers.Worker, "result", result)
    return received


def shard_tasks(cell, n_shards, seed=0):
    """Tasks of weighted_loss_sum over shards of 12 ragged sequences."""
    rng = np.random.RandomState(seed)
    network = RecurrentNetwork(cell, 2, (5, 3), 2, bidirectional=True)
    flat = network.init_params(rng, np.float64)
    tasks = []
    for _ in range(n_shards):
        X = rng.normal(size=(4, 6, 2))
        lengths = rng.randint(2, 7, size=4)
        X[np.arange(6) >= lengths[:, None]] = 0.0
        Y, weights = rng.normal(size=(4, 2)), rng.uniform(0.5, 2, size=4)
        loss = LOSSES["squared_error"]
        tasks.append((network, loss, flat, X, Y, weights, None, lengths))
    return tasks


def in_this_process(tasks):
    return [weighted_loss_sum(*task, workspace=Workspace()) for task in tasks]


def assert_same_results(got, expected):
    assert len(got) == len(expected)
    for (value, grad), (want_value, want_grad) in zip(got, expected):
        assert value == want_value
        np.testing.assert_array_equal(grad, want_grad)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_workers_compute_what_this_process_computes(cell, ready_workers, answers):
    tasks = shard_tasks(cell, 3)
    got = run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert [kind for kind, _ in answers] == ["done", "done"]  # tasks 1 and 2
    assert_same_results(got, in_this_process(tasks))  # bit for bit


def test_a_failed_task_raises_its_error_here(ready_workers):
    tasks = shard_tasks("lstm", 3)
    bad = list(tasks[1])
    bad[3] = bad[3][:, :, :1]  # one feature where the network expects two
    tasks[1] = tuple(bad)
    with pytest.raises(ValueError) as error:
        run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    with pytest.raises(ValueError) as here:
        in_this_process(tasks[1:2])
    assert str(error.value) == str(here.value)
    # The worker answered and serves the next batch.
    good = shard_tasks("lstm", 3, seed=1)
    got = run_tasks(weighted_loss_sum, good, [Workspace() for _ in good])
    assert_same_results(got, in_this_process(good))
    assert all(worker.alive for worker in ready_workers)


def overflowing(tasks, k):
    """``tasks`` with task ``k``'s targets and weights so large its delta overflows."""
    task = list(tasks[k])
    task[4], task[5] = np.full((4, 2), 1e300), np.full(4, 1e300)
    return tasks[:k] + [tuple(task)] + tasks[k + 1 :]


def test_workers_run_under_the_callers_error_settings(ready_workers, answers):
    tasks = overflowing(shard_tasks("rnn", 2), 1)
    with np.errstate(over="raise"):
        with pytest.raises(FloatingPointError):
            run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert [kind for kind, _ in answers] == ["error"]  # raised in the worker
    with np.errstate(over="ignore", invalid="ignore"):
        value, _ = run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])[1]
    assert np.isinf(value)


def test_warnings_in_a_worker_are_issued_here(ready_workers, answers):
    tasks = overflowing(shard_tasks("rnn", 2), 1)
    with np.errstate(over="warn", invalid="ignore"):
        with pytest.warns(RuntimeWarning, match="overflow"):
            run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert [kind for kind, _ in answers] == ["done"]


def test_an_error_here_leaves_the_workers_in_step(ready_workers):
    tasks = shard_tasks("lstm", 3)
    bad = list(tasks[0])
    bad[3] = bad[3][:, :, :1]  # the first task, computed here, fails
    with pytest.raises(ValueError):
        run_tasks(weighted_loss_sum, [tuple(bad), *tasks[1:]], [Workspace()] * 3)
    good = shard_tasks("lstm", 3, seed=1)
    got = run_tasks(weighted_loss_sum, good, [Workspace() for _ in good])
    assert_same_results(got, in_this_process(good))  # no stale answer read
    assert all(worker.alive for worker in ready_workers)


def test_a_task_that_does_not_pickle_runs_here(ready_workers, answers):
    tasks = shard_tasks("gru", 3)
    network = copy.copy(tasks[2][0])
    network.callback = lambda: None  # pickle refuses a lambda
    tasks[2] = (network, *tasks[2][1:])
    got = run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert_same_results(got, in_this_process(tasks))
    assert len(answers) == 1  # task 1 only
    good = shard_tasks("gru", 3, seed=1)
    got = run_tasks(weighted_loss_sum, good, [Workspace() for _ in good])
    assert_same_results(got, in_this_process(good))
    assert all(worker.alive for worker in ready_workers)


def test_a_worker_that_dies_mid_task_leaves_it_to_this_process(
    ready_workers, monkeypatch
):
    def send_then_die(worker, message):
        # Half the message: the worker is still reading it when it dies, and so
        # can never answer.
        stream = worker._process.stdin
        stream.write(len(message).to_bytes(8, "little"))
        stream.write(message[: len(message) // 2])
        stream.flush()
        worker._process.kill()

    monkeypatch.setattr(_workers.Worker, "send", send_then_die)
    tasks = shard_tasks("lstm", 3)
    got = run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert_same_results(got, in_this_process(tasks))
    assert not any(worker.alive for worker in ready_workers)


def test_a_worker_that_cannot_start_is_not_tried_again(monkeypatch):
    monkeypatch.setattr(_workers, "_BOOT", "import sys; sys.exit(3)")
    monkeypatch.setattr(_workers, "_startable", True)
    monkeypatch.setattr(_workers, "_workers", [])
    started = []
    monkeypatch.setattr(
        _workers.Worker, "__init__", _counting(_workers.Worker.__init__, started)
    )
    first = _workers.borrow(2)
    deadline = time.monotonic() + 60
    while any(w.alive for w in _workers._workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first == [] and len(started) == 2
    assert _workers._startable is False
    assert _workers.borrow(2) == [] and len(started) == 2  # none started again
    tasks = shard_tasks("rnn", 3)  # threads take their shards
    got = run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert_same_results(got, in_this_process(tasks))


def _counting(function, calls):
    def counted(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)

    return counted


def test_a_dead_worker_leaves_its_task_to_this_process(ready_workers):
    tasks = shard_tasks("gru", 3)
    for worker in ready_workers:
        worker._process.kill()
        worker._process.wait()
    got = run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert_same_results(got, in_this_process(tasks))
    assert not any(worker.alive for worker in ready_workers)  # replaced next time


def test_large_tasks_stay_in_this_process(ready_workers, answers, monkeypatch):
    monkeypatch.setattr(_workers, "MAX_TASK_BYTES", 1000)
    tasks = shard_tasks("rnn", 3)
    got = run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert answers == []
    assert_same_results(got, in_this_process(tasks))


def test_a_fit_on_workers_is_the_fit_on_threads(ready_workers, answers):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(128, 30, 2)).astype(np.float32)
    y = X[:, :, 0].sum(axis=1)
    params = dict(cell="lstm", hidden_layer_sizes=(32,), batch_size=64, max_iter=3)
    on_workers = RNNRegressor(n_threads=2, random_state=0, **params).fit(X, y)
    assert [kind for kind, _ in answers] == ["done"] * (3 * 2)  # second shards
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_parallel, "borrow", lambda n: [])
        on_threads = RNNRegressor(n_threads=2, random_state=0, **params).fit(X, y)
    np.testing.assert_array_equal(on_workers.loss_curve_, on_threads.loss_curve_)
    np.testing.assert_array_equal(on_workers.predict(X), on_threads.predict(X))


def test_an_interruption_here_stops_the_workers_out_of_step(ready_workers, monkeypatch):
    def interrupted(function, shards):
        raise KeyboardInterrupt

    tasks = shard_tasks("rnn", 3)
    with monkeypatch.context() as patch:
        patch.setattr(_parallel, "map_shards", interrupted)
        with pytest.raises(KeyboardInterrupt):
            run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert not any(worker.alive for worker in ready_workers)  # answers unread
    good = shard_tasks("rnn", 3, seed=1)
    got = run_tasks(weighted_loss_sum, good, [Workspace() for _ in good])
    assert_same_results(got, in_this_process(good))


def test_error_callbacks_keep_the_shards_here(ready_workers, answers):
    calls = []

    def callback(kind, flag):
        calls.append(kind)

    tasks = overflowing(shard_tasks("rnn", 2), 1)
    with np.errstate(over="call", invalid="ignore", call=callback):
        run_tasks(weighted_loss_sum, tasks, [Workspace() for _ in tasks])
    assert answers == [] and "overflow" in calls  # task 1 ran on a thread here


def test_a_worker_loads_the_backend_alone_and_leaves_ctrl_c_to_the_caller():
    # The worker's start: the caller's sk_rnn, not scikit-learn, and SIGINT
    # ignored from the first line (a terminal's Ctrl-C reaches the whole group).
    check = (
        "print('sklearn' in sys.modules, sys.modules['sk_rnn._backend'].__file__, "
        "signal.getsignal(signal.SIGINT) is signal.SIG_IGN)"
    )
    boot = _workers._BOOT.replace("serve()", check)
    paths = [os.path.abspath(str(path)) for path in sys.path]
    done = subprocess.run(
        [sys.executable, "-c", boot, _workers._PACKAGE, *paths],
        capture_output=True,
        text=True,
        check=True,
    )
    imported_sklearn, backend, ignores_ctrl_c = done.stdout.split()
    assert imported_sklearn == "False"
    assert backend == os.path.join(_workers._PACKAGE, "_backend", "__init__.py")
    assert ignores_ctrl_c == "True"
