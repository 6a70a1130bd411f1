"""Shards of a batch in joblib's worker processes, and the BLAS threads beside them
(``sk_rnn._backend._parallel``)."""

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
import pytest
from joblib import cpu_count, parallel_config
from threadpoolctl import threadpool_info, threadpool_limits

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn._backend import (
    LOSSES,
    RecurrentNetwork,
    ShardData,
    _parallel,
    sharded_objective,
)
from sk_rnn._backend._parallel import (
    n_processes,
    one_blas_thread,
    plan_shards,
    shard_workers,
    split_batch,
)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CELLS = ["rnn", "lstm", "gru"]


@contextmanager
def objective_for(cell, n_shards, *, ragged=False, output_sequence=False, seed=0):
    """An objective over 40 sequences of two stacked bidirectional layers, and
    parameters for it."""
    rng = np.random.RandomState(seed)
    network = RecurrentNetwork(
        cell, 2, (4, 3), 2, bidirectional=True, output_sequence=output_sequence
    )
    X = rng.normal(size=(40, 9, 2))
    lengths = rng.randint(3, 10, size=40) if ragged else None
    if ragged:
        X[np.arange(9) >= lengths[:, None]] = 0.0
    Y = rng.normal(size=(40, 9, 2) if output_sequence else (40, 2))
    weights = rng.uniform(0.5, 2.0, size=40)
    weights[:5] = 0.0  # zero-weight sequences, some of them alone in a shard
    loss = LOSSES["squared_error"]
    flat = network.init_params(rng, np.float64)
    data = ShardData(network, loss, X, Y, weights, None, lengths)
    with sharded_objective(data, 0.1, n_shards) as objective:
        yield objective, flat


@pytest.mark.parametrize("output_sequence", [False, True])
@pytest.mark.parametrize("ragged", [False, True])
@pytest.mark.parametrize("cell", CELLS)
def test_sharded_objective_equals_one_shard(cell, ragged, output_sequence):
    kind = dict(ragged=ragged, output_sequence=output_sequence)
    with objective_for(cell, 1, **kind) as (whole, flat):
        expected = [
            whole(flat, i) for i in (np.arange(40), slice(None), np.arange(3, 17))
        ]
    with objective_for(cell, 3, **kind) as (sharded, _):
        for indices, (value, grad) in zip(
            (np.arange(40), slice(None), np.arange(3, 17)), expected
        ):
            got_value, got_grad = sharded(flat, indices)
            np.testing.assert_allclose(got_value, value, rtol=1e-12)
            np.testing.assert_allclose(got_grad, grad, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("cell", CELLS)
def test_reused_workspace_gives_the_fresh_result(cell):
    # The same objective, hence the same workspaces, on batches of other sizes and
    # lengths in between: the first batch's result comes back bit for bit.
    with objective_for(cell, 2, ragged=True) as (objective, flat):
        first = objective(flat, np.arange(0, 30))
        objective(flat, np.arange(30, 40))
        objective(flat, np.arange(40))
        again = objective(flat, np.arange(0, 30))
    assert again[0] == first[0]
    np.testing.assert_array_equal(again[1], first[1])


def _shard_sum(data, shard, workspace=None):
    if shard[0] == 99:
        raise ValueError("shard starting at 99")
    return int(np.sum(data[shard])), os.getpid()


def _overflow(data, shard, workspace=None):
    return np.exp(np.full(3, 1000.0))


def test_workers_keep_the_order_and_are_other_processes():
    shards = split_batch(np.arange(10), 3)
    assert [s.tolist() for s in shards] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert len(split_batch(np.arange(2), 5)) == 2  # never an empty shard
    data = np.arange(10) * 10  # sent once, read by every task
    with shard_workers(2, _shard_sum, data) as workers:
        for _ in range(3):
            workers.start([(shard,) for shard in shards[1:]])
            results = workers.results()
            assert [total for total, _ in results] == [150, 240]
        workers.start([(shards[0],)])  # fewer tasks than workers
        assert workers.results()[0][0] == 60
    pids = {pid for _, pid in results}
    assert len(pids) == 2 and os.getpid() not in pids


def test_results_left_unread_are_dropped_before_the_next_batch():
    # A batch abandoned between start and results (an error, an interrupt).
    with shard_workers(1, _shard_sum, np.arange(5)) as workers:
        workers.start([(np.array([1]),)])
        workers.start([(np.array([2, 3]),)])
        assert workers.results()[0][0] == 5


def _echo_after(data, value, delay, workspace=None):
    time.sleep(delay)
    return value


def _interrupt(*args):
    raise KeyboardInterrupt


def test_results_interrupted_while_read_are_dropped_before_the_next_batch():
    # Ctrl-C while worker 0's result is awaited: worker 1's is still in its pipe.
    previous = signal.signal(signal.SIGALRM, _interrupt)
    try:
        with shard_workers(2, _echo_after, None) as workers:
            workers.start([("old 0", 1.0), ("old 1", 0.0)])
            signal.setitimer(signal.ITIMER_REAL, 0.3)
            with pytest.raises(KeyboardInterrupt):
                workers.results()
            workers.start([("new 0", 0.0), ("new 1", 0.0)])
            assert workers.results() == ["new 0", "new 1"]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_failed_shard_raises_its_error_here():
    with pytest.raises(ValueError, match="shard starting at 99"):
        with shard_workers(1, _shard_sum, np.arange(100)) as workers:
            workers.start([(np.array([99, 1]),)])
            workers.results()
    with shard_workers(1, _shard_sum, np.arange(5)) as workers:  # still usable
        workers.start([(np.arange(3),)])
        assert workers.results()[0][0] == 3


_UNPICKLED = []


class _Counted:
    """Data that counts how often a process unpickled it."""

    def __reduce__(self):
        return _counted, ()


def _counted():
    _UNPICKLED.append(1)
    return _Counted()


def _times_unpickled(data, shard, workspace=None):
    return len(_UNPICKLED)


def test_the_data_is_sent_once_per_block():
    with shard_workers(1, _times_unpickled, _Counted()) as workers:
        for _ in range(4):
            workers.start([(None,)])
            assert workers.results() == [1]


def _die(data, shard, workspace=None):
    os._exit(3)


def test_a_worker_that_dies_raises_here_instead_of_hanging():
    with pytest.raises(Exception, match="terminated|stopped"):
        with shard_workers(1, _die, None) as workers:
            workers.start([(None,)])
            workers.results()
    with shard_workers(1, _shard_sum, np.arange(5)) as workers:  # a new worker
        workers.start([(np.arange(3),)])
        assert workers.results()[0][0] == 3


def _what_is_held(data, row, workspace=None):
    """In a worker: whether its data's array is a map of a file, which, and a sum."""
    X = data[0]
    return isinstance(X, np.memmap), getattr(X, "filename", None), float(X[row].sum())


def test_large_data_is_one_file_that_every_worker_maps(monkeypatch):
    data = (np.arange(60.0).reshape(6, 10), "a field that is no array")
    with shard_workers(2, _what_is_held, data) as workers:  # small: a copy each
        workers.start([(0,), (5,)])
        assert [held[:2] for held in workers.results()] == [(False, None)] * 2
    monkeypatch.setattr(_parallel, "SHARED_DATA_BYTES", data[0].nbytes - 1)
    with shard_workers(2, _what_is_held, data) as workers:
        workers.start([(0,), (5,)])
        held = workers.results()
        # mapped by both, the file is gone already: nothing can leave it behind
        assert not os.path.exists(os.path.dirname(held[0][1]))
    assert [mapped for mapped, _, _ in held] == [True, True]
    assert held[0][1] == held[1][1]  # one file for both
    assert [total for _, _, total in held] == [45.0, 545.0]


@pytest.mark.parametrize("where", ["relative", "missing"])
def test_the_shared_file_goes_to_joblibs_temp_folder(monkeypatch, tmp_path, where):
    # joblib's reading of JOBLIB_TEMP_FOLDER: a relative path is made absolute (the
    # workers need not share this process's directory), a missing one is made.
    monkeypatch.setattr(_parallel, "SHARED_DATA_BYTES", 0)
    monkeypatch.chdir(tmp_path)
    folder = "scratch" if where == "relative" else str(tmp_path / "new" / "deeper")
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", folder)
    with shard_workers(1, _what_is_held, (np.ones((2, 3)),)) as workers:
        workers.start([(1,)])
        ((mapped, filename, total),) = workers.results()
    assert mapped and total == 3.0
    assert filename.startswith(str(tmp_path / folder))
    assert os.listdir(tmp_path / folder) == []  # deleted


def test_data_that_does_not_pickle_leaves_no_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(_parallel, "SHARED_DATA_BYTES", 0)
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", str(tmp_path))
    with pytest.raises(Exception, match="pickle"):
        with shard_workers(1, _what_is_held, (np.ones(3), lambda: None)):
            pass
    assert os.listdir(tmp_path) == []


def test_a_temp_folder_that_cannot_be_written_sends_copies(monkeypatch, tmp_path):
    monkeypatch.setattr(_parallel, "SHARED_DATA_BYTES", 0)
    blocked = tmp_path / "a file"
    blocked.write_text("")
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", str(blocked / "below"))
    with shard_workers(1, _what_is_held, (np.ones((2, 3)),)) as workers:
        workers.start([(1,)])
        assert workers.results() == [(False, None, 3.0)]


def test_shards_run_under_the_callers_error_settings():
    with np.errstate(over="raise"):
        with pytest.raises(FloatingPointError):
            with shard_workers(1, _overflow, None) as workers:
                workers.start([(np.arange(2),)])
                workers.results()
    with np.errstate(over="ignore"), shard_workers(1, _overflow, None) as workers:
        workers.start([(np.arange(2),)])
        assert np.isinf(workers.results()[0]).all()


def test_plan_follows_n_jobs_and_the_work():
    assert n_processes(None) == 1
    assert n_processes(-1) == cpu_count()
    with parallel_config(n_jobs=2):
        assert n_processes(None) == 2  # a joblib context decides for None
    lstm = RecurrentNetwork("lstm", 1, (32,), 1)
    assert plan_shards(2, 64, lstm, 50) == 2
    rnn = RecurrentNetwork("rnn", 1, (32,), 1)
    assert plan_shards(2, 64, rnn, 50) == 1  # too little work per process
    wide = RecurrentNetwork("lstm", 1, (1024,), 1)
    assert plan_shards(8, 32, wide, 100) == 2  # at least 16 sequences a shard
    assert plan_shards(None, 4096, RecurrentNetwork("lstm", 1, (512,), 1), 100) == 1


def sharded_problem():
    # Enough work per batch to be cut into two shards in training.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 12, 2))
    return X, X[:, :, 0].sum(axis=1)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("shared", [False, True])
def test_fit_on_shards_matches_one_process(cell, shared, monkeypatch):
    if shared:  # the workers map one file of the data instead of a copy each
        monkeypatch.setattr(_parallel, "SHARED_DATA_BYTES", 0)
    X, y = sharded_problem()
    params = dict(
        cell=cell, hidden_layer_sizes=(96,), batch_size=200, max_iter=5, random_state=0
    )
    network = RecurrentNetwork(cell, 2, (96,), 1)
    assert plan_shards(2, 200, network, 12) == 2  # the batch is really cut
    one = RNNRegressor(**params).fit(X, y)
    two = RNNRegressor(n_jobs=2, **params).fit(X, y)
    again = RNNRegressor(n_jobs=2, **params).fit(X, y)
    np.testing.assert_allclose(two.loss_curve_, one.loss_curve_, rtol=1e-9)
    np.testing.assert_allclose(two.predict(X), one.predict(X), rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(again.predict(X), two.predict(X))  # reproducible


def _blas_threads():
    return max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")


@pytest.mark.parametrize("n_jobs, inside", [(None, 1), (1, 1), (2, 2)])
def test_one_core_keeps_blas_on_one_thread(monkeypatch, n_jobs, inside):
    # Products of 64 x 128 x 128 multiply-adds a step: large enough for BLAS
    # threads, which only a second core may have (a batch too small to cut).
    seen = []
    forward = RecurrentNetwork.forward

    def spy(self, *args, **kwargs):
        seen.append(_blas_threads())
        return forward(self, *args, **kwargs)

    monkeypatch.setattr(RecurrentNetwork, "forward", spy)
    X = np.random.RandomState(0).normal(size=(64, 3, 1))
    model = RNNRegressor((128,), cell="rnn", batch_size=64, max_iter=1, n_jobs=n_jobs)
    with threadpool_limits(limits=2, user_api="blas"):
        model.fit(X, X[:, 0, 0])
        assert seen and set(seen) == {inside}
        seen.clear()
        model.set_params(n_jobs=1).predict(X)
        assert seen and set(seen) == {1}
        assert _blas_threads() == 2  # as it was before the calls


def test_a_shard_of_zero_weights_trains():
    X, y = sharded_problem()
    weights = np.ones(len(X))
    weights[:100] = 0.0  # the whole first shard
    params = dict(hidden_layer_sizes=(96,), batch_size=200, shuffle=False, max_iter=3)
    two = RNNRegressor(n_jobs=2, **params, random_state=0)
    one = RNNRegressor(**params, random_state=0)
    two.fit(X, y, sample_weight=weights)
    one.fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(two.loss_curve_, one.loss_curve_, rtol=1e-9)


def test_n_jobs_is_validated():
    X, y = sharded_problem()
    for bad in ("all", 1.5):
        with pytest.raises((TypeError, ValueError), match="n_jobs"):
            RNNClassifier(n_jobs=bad).fit(X, y > 0)


def blas_threads():
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def test_overlapping_calls_restore_the_blas_limits():
    # Two threads entering and leaving the limit in an interleaved order leave
    # the limits exactly as they were.
    with threadpool_limits(2, user_api="blas"):
        before = blas_threads()
        first, second = one_blas_thread(), one_blas_thread()
        first.__enter__()
        second.__enter__()
        assert set(blas_threads()) <= {1}
        first.__exit__(None, None, None)  # the first to enter leaves first
        assert set(blas_threads()) <= {1}  # the second still runs on one thread
        second.__exit__(None, None, None)
        assert blas_threads() == before


def test_concurrent_predict_and_fit_leave_blas_limits_as_they_were():
    X, y = sharded_problem()
    model = RNNRegressor(hidden_layer_sizes=(8,), max_iter=2, random_state=0).fit(X, y)
    with threadpool_limits(2, user_api="blas"):
        before = blas_threads()

        def work(k):
            if k % 5 == 0:
                return RNNRegressor((8,), max_iter=1, random_state=k).fit(X, y)
            return model.predict(X)

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(work, range(40)))
        assert blas_threads() == before


_CHILD = textwrap.dedent(
    """
    import sys, time, warnings
    import numpy as np
    from sk_rnn import RNNRegressor
    from sk_rnn._backend import _parallel
    _parallel.IDLE_TIMEOUT = float(sys.argv[1])
    warnings.simplefilter("ignore")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 12, 2))
    RNNRegressor((96,), batch_size=200, max_iter=2, n_jobs=2).fit(X, X[:, 0, 0])
    executor = _parallel._workers(1)
    print(" ".join(str(pid) for pid in executor._processes), flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has exited
        return stat.read().split(")")[-1].split()[0] != "Z"


def _worker_pids(timeout, sleep):
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(timeout), str(sleep)],
        stdout=subprocess.PIPE,
        text=True,
    )
    pids = [int(pid) for pid in child.stdout.readline().split()]
    assert pids and all(_alive(pid) for pid in pids)
    return child, pids


def _wait_until_gone(pids, seconds):
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not any(_alive(pid) for pid in pids)


def test_idle_workers_exit_after_the_timeout():
    child, pids = _worker_pids(timeout=1, sleep=30)
    try:
        assert _wait_until_gone(pids, 15)  # while their parent still runs
        assert child.poll() is None
    finally:
        child.kill()
        child.wait()


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_parent_leaves_no_orphan(how):
    child, pids = _worker_pids(timeout=300, sleep=60)
    child.send_signal(how)
    child.wait(timeout=30)
    assert _wait_until_gone(pids, 30)


def _square(x):
    return x * x


def test_a_process_forked_inside_the_block_does_not_hold_the_workers():
    # A fork child (a pool started by another thread during a fit) inherits our
    # end of each pipe: closing ours then sends the worker no end of file.
    with shard_workers(1, _shard_sum, np.arange(5)) as workers:
        child = multiprocessing.get_context("fork").Process(
            target=time.sleep, args=(60,)
        )
        child.start()
        workers.start([(np.arange(3),)])
        assert workers.results()[0][0] == 3
        start = time.monotonic()
    try:
        assert time.monotonic() - start < 10  # the worker left at once
    finally:
        child.kill()
        child.join()


def test_a_fork_pool_after_a_parallel_fit_runs():
    X, y = sharded_problem()
    RNNRegressor((96,), batch_size=200, max_iter=1, n_jobs=2).fit(X, y)
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        result = pool.map_async(_square, range(8))
        assert result.get(timeout=60) == [k * k for k in range(8)]


def test_prediction_parts_run_on_threads_whatever_the_joblib_backend(monkeypatch):
    # A process backend from parallel_config would ask joblib's executor for
    # workers: inside a sharded fit (early stopping's validation score), that
    # executor's workers belong to the fit, which then never ended.
    seen = []
    forward = RecurrentNetwork.forward

    def spy(self, *args, **kwargs):
        seen.append(os.getpid())
        return forward(self, *args, **kwargs)

    X, y = sharded_problem()
    model = RNNRegressor((8,), max_iter=1, random_state=0).fit(X[:40], y[:40])
    monkeypatch.setattr(RecurrentNetwork, "forward", spy)
    with parallel_config(backend="loky"):
        model.set_params(n_jobs=2).predict(X[:64])
    assert seen == [os.getpid()] * 2  # two parts, both computed in this process


_EARLY_STOPPING_CHILD = textwrap.dedent(
    """
    import warnings
    import numpy as np
    from joblib import parallel_config
    from sk_rnn import RNNRegressor
    warnings.simplefilter("ignore")
    X = np.random.RandomState(0).normal(size=(400, 12, 2))
    with parallel_config(backend="loky", n_jobs=2):
        RNNRegressor((96,), batch_size=200, max_iter=2, early_stopping=True,
                     random_state=0).fit(X, X[:, 0, 0])
    print("done", flush=True)
    """
)


def test_a_sharded_fit_scoring_under_a_loky_config_ends():
    child = subprocess.run(
        [sys.executable, "-c", _EARLY_STOPPING_CHILD],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.stdout.strip() == "done", child.stderr[-2000:]


@pytest.mark.parametrize("method", ["forward_states", "hidden_states"])
def test_forecast_and_hidden_states_keep_one_core_on_one_blas_thread(
    monkeypatch, method
):
    # As predict does: the next-step forecast and the hidden states run their
    # products outside network_outputs.
    seen = []
    original = getattr(RecurrentNetwork, method)

    def spy(self, *args, **kwargs):
        seen.append(_blas_threads())
        return original(self, *args, **kwargs)

    X = np.random.RandomState(0).normal(size=(64, 6, 1))
    model = RNNRegressor(
        (128,), cell="rnn", output_sequence=True, batch_size=64, max_iter=1
    ).fit(X, np.roll(X[:, :, 0], -1, axis=1))
    monkeypatch.setattr(RecurrentNetwork, method, spy)
    with threadpool_limits(limits=2, user_api="blas"):
        model.forecast(X, 3)
        model.hidden_states(X, all_steps=True)
        assert seen and set(seen) == {1}
        assert _blas_threads() == 2  # as it was before the calls


def _pid(_):
    time.sleep(0.05)
    return os.getpid()


def test_a_sharded_fit_leaves_joblibs_own_workers_alone():
    # The shards' processes are sk_rnn's own: a search's workers (joblib's loky
    # backend) are neither replaced by a fit nor kept waiting for one.
    from joblib import Parallel, delayed

    def joblib_pids():
        return set(
            Parallel(n_jobs=2, backend="loky")(delayed(_pid)(k) for k in range(8))
        )

    before = joblib_pids()
    X, y = sharded_problem()
    with ThreadPoolExecutor(1) as pool:
        fit = pool.submit(
            RNNRegressor((96,), batch_size=100, max_iter=30, n_jobs=2).fit, X, y
        )
        during = joblib_pids()
        fit.result()
    assert joblib_pids() == before
    assert during == before
