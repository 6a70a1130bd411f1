"""Threads inside one fit: batch shards, the thread plan, reused workspaces, and the
exp-based gate functions the kernels are built on."""

import multiprocessing
import sys
import threading
import time
import types
import warnings

import numpy as np
import pytest
from scipy.special import expit
from threadpoolctl import threadpool_limits

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn._backend import (
    LOSSES,
    RecurrentNetwork,
    _activations,
    _objective,
    make_objective,
)
from sk_rnn._backend._activations import sigmoid_of_scaled, tanh
from sk_rnn._backend._cells import make_cell
from sk_rnn._backend._parallel import map_shards, split_batch
from sk_rnn._estimators import _base
from sk_rnn._threads import (
    MIN_SHARD_ROWS,
    MIN_SHARD_WORK,
    available_threads,
    plan_threads,
)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CELLS = ["rnn", "lstm", "gru"]


def objective_for(cell, n_shards, *, ragged=False, output_sequence=False, seed=0):
    """An objective over 40 sequences of two stacked bidirectional layers."""
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
    objective = make_objective(
        network, loss, X, Y, weights, 0.1, lengths=lengths, n_shards=n_shards
    )
    return objective, network.init_params(rng, np.float64)


@pytest.mark.parametrize("output_sequence", [False, True])
@pytest.mark.parametrize("ragged", [False, True])
@pytest.mark.parametrize("cell", CELLS)
def test_sharded_objective_equals_one_shard(cell, ragged, output_sequence):
    whole, flat = objective_for(cell, 1, ragged=ragged, output_sequence=output_sequence)
    sharded, _ = objective_for(cell, 3, ragged=ragged, output_sequence=output_sequence)
    for indices in (np.arange(40), slice(None), np.arange(3, 17)):
        value, grad = whole(flat, indices)
        got_value, got_grad = sharded(flat, indices)
        np.testing.assert_allclose(got_value, value, rtol=1e-12)
        np.testing.assert_allclose(got_grad, grad, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("cell", CELLS)
def test_reused_workspace_gives_the_fresh_result(cell):
    # The same objective, hence the same workspaces, on batches of other sizes and
    # lengths in between: the first batch's result comes back bit for bit.
    objective, flat = objective_for(cell, 2, ragged=True)
    first = objective(flat, np.arange(0, 30))
    objective(flat, np.arange(30, 40))
    objective(flat, np.arange(40))
    again = objective(flat, np.arange(0, 30))
    assert again[0] == first[0]
    np.testing.assert_array_equal(again[1], first[1])


def test_map_shards_keeps_order_and_raises():
    shards = split_batch(np.arange(10), 3)
    assert [s.tolist() for s in shards] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert len(split_batch(np.arange(2), 5)) == 2  # never an empty shard
    assert map_shards(lambda s: int(s.sum()), shards) == [6, 15, 24]

    def fail_on(k):
        def function(shard):
            if shard[0] == k:
                raise ValueError(f"shard starting at {k}")
            return shard

        return function

    for k in (0, 4):  # the caller's own shard, then a pool thread's
        with pytest.raises(ValueError, match=f"shard starting at {k}"):
            map_shards(fail_on(k), shards)


def test_thread_plan():
    for gates in (1, 3, 4):
        rows = -(-MIN_SHARD_WORK[gates] // 100)  # fewest sequences with enough work
        assert plan_threads(2, 2 * rows, gates, (100,))[0] == 2
        assert plan_threads(2, 2 * rows - 2, gates, (100,))[0] == 1
    assert plan_threads(8, 2 * MIN_SHARD_ROWS, 4, (1000,)) == (2, 1)
    assert plan_threads(8, MIN_SHARD_ROWS, 4, (1000,)) == (1, 8)
    assert plan_threads(1, 4096, 4, (512,)) == (1, 1)
    assert plan_threads(2, 64, 3, (128,)) == (1, 2)  # BLAS threads only
    assert plan_threads(2, 64, 1, (32,)) == (1, 1)  # one thread for small work


def test_auto_uses_the_threads_blas_may_use():
    # "auto" follows the BLAS limit: a caller's, or joblib's in a search worker.
    with threadpool_limits(4, user_api="blas"):
        assert available_threads() == 4
        assert plan_threads("auto", 512, 4, (128,)) == (4, 1)
    with threadpool_limits(1, user_api="blas"):
        assert plan_threads("auto", 512, 4, (128,)) == (1, 1)


def test_a_fit_plans_before_limiting_blas():
    # The fit limits BLAS to one thread per shard; the objective must still see
    # the two shards planned before that limit.
    X, y = sharded_problem()
    seen = []
    original = _objective.make_objective

    def spy(*args, **kwargs):
        seen.append(kwargs["n_shards"])
        return original(*args, **kwargs)

    with threadpool_limits(2, user_api="blas"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_base, "make_objective", spy)
            model = RNNRegressor(hidden_layer_sizes=(96,), batch_size=200, max_iter=1)
            model.fit(X, y)
    assert seen == [2]
    assert not hasattr(model, "_n_shards")


def sharded_problem():
    # Enough work per batch to be cut into two shards in training.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 12, 2))
    return X, X[:, :, 0].sum(axis=1)


@pytest.mark.parametrize("cell", CELLS)
def test_fit_on_shards_matches_one_thread(cell):
    X, y = sharded_problem()
    params = dict(
        cell=cell, hidden_layer_sizes=(96,), batch_size=200, max_iter=5, random_state=0
    )
    assert plan_threads(2, 200, 3, (96,))[0] == 2  # the batch is really cut
    one = RNNRegressor(n_threads=1, **params).fit(X, y)
    two = RNNRegressor(n_threads=2, **params).fit(X, y)
    again = RNNRegressor(n_threads=2, **params).fit(X, y)
    np.testing.assert_allclose(two.loss_curve_, one.loss_curve_, rtol=1e-9)
    np.testing.assert_allclose(two.predict(X), one.predict(X), rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(again.predict(X), two.predict(X))  # reproducible


def test_n_threads_is_validated():
    X, y = sharded_problem()
    for bad in (0, -1, "all", 1.5):
        with pytest.raises(ValueError, match="n_threads"):
            RNNClassifier(n_threads=bad).fit(X, y > 0)


def _fit_in_child(queue):
    X, y = sharded_problem()
    model = RNNRegressor(hidden_layer_sizes=(96,), batch_size=200, max_iter=2)
    queue.put(float(model.set_params(n_threads=2).fit(X, y).loss_))


def test_shards_work_in_a_forked_child():
    # The parent's pool threads do not survive a fork; the child starts its own.
    # (POSIX: the "fork" start method.)
    X, y = sharded_problem()
    RNNRegressor(hidden_layer_sizes=(96,), n_threads=2, max_iter=1).fit(X, y)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_fit_in_child, args=(queue,))
    child.start()
    child.join(timeout=120)
    if child.is_alive():  # hung on threads that do not exist
        child.kill()
    assert child.exitcode == 0
    assert np.isfinite(queue.get(timeout=5))


@pytest.mark.parametrize("simd_tanh", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_exp_based_gates_match_the_library_functions(dtype, simd_tanh, monkeypatch):
    # Over the whole range, the far tails included, with no overflow warning, on
    # a processor with NumPy's AVX-512 tanh and on one without.
    monkeypatch.setattr(_activations, "SIMD_TANH_FLOAT32", simd_tanh)
    a = np.concatenate([np.linspace(-30, 30, 2001), [-1e4, -100.0, 100.0, 1e4]])
    for size in (a.size, 20_000):  # both of tanh's routes
        x = np.resize(a, size).astype(dtype)
        s, t = x.copy(), x.copy()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(over="ignore"):  # as in the cells' loops
                np.negative(s, out=s)
                sigmoid_of_scaled(s)
                tanh(t, out=t)
        tol = 2e-7 if dtype == np.float32 else 1e-15
        np.testing.assert_allclose(s, expit(x), rtol=4 * tol, atol=tol)
        np.testing.assert_allclose(t, np.tanh(x), rtol=0, atol=2 * tol)
        assert s.dtype == t.dtype == dtype


@pytest.mark.parametrize("size", [1000, 20_000])
def test_tanh_route_follows_the_processor(size, monkeypatch):
    # float32: exp only for large arrays where NumPy's tanh is not AVX-512, and
    # never where it is; float64 always through exp.
    monkeypatch.setattr(_activations, "SIMD_TANH_FLOAT32", False)
    assert _activations.exp_tanh_pays(size, np.dtype(np.float32)) == (size > 6144)
    assert _activations.exp_tanh_pays(size, np.dtype(np.float64))
    monkeypatch.setattr(_activations, "SIMD_TANH_FLOAT32", True)
    assert not _activations.exp_tanh_pays(size, np.dtype(np.float32))
    assert _activations.exp_tanh_pays(size, np.dtype(np.float64))


def test_simd_tanh_is_read_from_numpy_dispatch(monkeypatch):
    # The same answer in every process of a machine (no timing); only where the
    # processor has AVX-512; and False where NumPy has no table to read.
    first = _activations._numpy_tanh_is_avx512()
    assert first is _activations._numpy_tanh_is_avx512()
    features = np._core._multiarray_umath.__cpu_features__
    assert not first or features.get("AVX512F", False)
    introspect = types.ModuleType("numpy.lib.introspect")  # as NumPy >= 2.1 has
    monkeypatch.setitem(sys.modules, "numpy.lib.introspect", introspect)
    for target, expected in [("X86_V3", False), ("X86_V4", True), (None, False)]:
        table = {"tanh": {"ff": {"current": target}}}
        introspect.opt_func_info = lambda table=table, **kw: table
        assert _activations._numpy_tanh_is_avx512() is expected
    introspect.opt_func_info = lambda **kw: {}  # a table laid out otherwise
    assert _activations._numpy_tanh_is_avx512() is False
    del introspect.opt_func_info  # NumPy before 2.1
    assert _activations._numpy_tanh_is_avx512() is False


@pytest.mark.parametrize("cell_name", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("simd_tanh", [False, True])
def test_cells_agree_on_both_tanh_routes(cell_name, simd_tanh, monkeypatch):
    # A float32 step of 8192 units takes exp with its -2 folded into the weights
    # where NumPy's tanh is not AVX-512, np.tanh where it is: both match float64.
    monkeypatch.setattr(_activations, "SIMD_TANH_FLOAT32", simd_tanh)
    cell = make_cell(cell_name, "tanh")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(2, 5, 128))
    size = 64 * cell.n_gates
    shapes = [(size, 2), (size, 64), (size,), (size,)]
    params = [rng.uniform(-0.2, 0.2, size=s) for s in shapes]
    dH = rng.normal(size=(64, 5, 128))
    results = []
    for dtype in (np.float64, np.float32):
        p = [q.astype(dtype) for q in params]
        H, cache = cell.forward(X.astype(dtype), *p)
        dX, grads = cell.backward(dH.astype(dtype), *p, cache)
        results.append([H.copy(), dX, *grads])
    for exact, single in zip(*results):
        assert single.dtype == np.float32
        np.testing.assert_allclose(single, exact, rtol=1e-3, atol=1e-4)


def test_map_shards_waits_for_the_others_before_raising():
    started, finished = threading.Event(), []

    def function(shard):
        if shard[0] == 0:
            started.wait(5)  # fail while the other shard is running
            raise ValueError("first shard")
        started.set()
        time.sleep(0.2)
        finished.append(int(shard[0]))
        return shard

    with pytest.raises(ValueError, match="first shard"):
        map_shards(function, split_batch(np.arange(4), 2))
    assert finished == [2]  # the other shard had ended when the error came out


def test_shards_run_under_the_callers_error_settings():
    def overflow(shard):
        return np.exp(np.full(3, 1000.0))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="ignore"):
            results = map_shards(overflow, split_batch(np.arange(4), 2))
    assert all(np.isinf(r).all() for r in results)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("hidden, bidirectional", [((4,), False), ((4, 3), True)])
def test_no_gradient_gives_zero_gradients(cell, hidden, bidirectional):
    # A shard of zero-weight sequences, or a dead layer, sends back nothing (and
    # a layer above asks for the input gradient of the one below).
    rng = np.random.RandomState(0)
    network = RecurrentNetwork(cell, 2, hidden, 1, bidirectional=bidirectional)
    flat = network.init_params(rng, np.float64)
    X = rng.normal(size=(3, 5, 2))
    _, cache = network.forward(flat, X)
    grad = network.backward(flat, np.zeros((3, 1)), cache)
    np.testing.assert_array_equal(grad, 0.0)


def test_a_shard_of_zero_weights_trains():
    X, y = sharded_problem()
    weights = np.ones(len(X))
    weights[:100] = 0.0  # the whole first shard
    params = dict(
        hidden_layer_sizes=(96,),
        batch_size=200,
        shuffle=False,
        max_iter=3,
        random_state=0,
    )
    two = RNNRegressor(n_threads=2, **params).fit(X, y, sample_weight=weights)
    one = RNNRegressor(n_threads=1, **params).fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(two.loss_curve_, one.loss_curve_, rtol=1e-9)
