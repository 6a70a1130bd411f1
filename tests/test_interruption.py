"""Ctrl-C at any moment of fit, warm_start and partial_fit: the estimator is either
exactly as before the call, or a complete model whose every attribute agrees."""

import copy
import os
import signal
import threading
import time
import warnings

import numpy as np
import pytest
from _training import assert_same_weights, quiet_fit
from sklearn.exceptions import NotFittedError

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn._estimators._fitting import training_settings
from sk_rnn._train import _epochs, _lbfgs
from sk_rnn._train._state import TrainingState, make_optimizer

PARAMS = dict(
    hidden_layer_sizes=(4,),
    batch_size=10,
    tol=0.0,
    n_iter_no_change=1000,
    random_state=0,
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 6, 1))
    return X, X[:, :, 0].sum(axis=1)


def quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def fitted_state(est):
    """Every attribute of ``est``, arrays and optimizer moments included."""
    state = {
        k: copy.deepcopy(v)
        for k, v in vars(est).items()
        if (k.endswith("_") or k.startswith("_")) and k != "_random_state"
    }
    optimizer = state.pop("_optimizer", None)
    if optimizer is not None:
        state["_optimizer"] = {
            k: [np.array(a) for a in v] if isinstance(v, list) else v
            for k, v in vars(optimizer).items()
        }
    return state


def assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, dict):
            assert_same(x, y)
        elif isinstance(x, np.ndarray) or (
            isinstance(x, list) and x and isinstance(x[0], np.ndarray)
        ):
            for u, v in zip(np.atleast_1d(x), np.atleast_1d(y)):
                np.testing.assert_array_equal(u, v)
        elif key == "epoch_times_":  # wall times: only their number is the same
            assert len(x) == len(y)
        elif key != "_network":
            assert x == y, key


def run_with_sigint(delay, function):
    """Call ``function`` with a SIGINT sent to this process after ``delay`` s."""
    timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
    try:
        timer.start()
        try:
            function()
        finally:
            timer.cancel()
            timer.join()
    except KeyboardInterrupt:
        pass


def test_interrupted_refit_before_its_first_epoch_keeps_the_old_model(
    data, monkeypatch
):
    X, y = data
    model = quietly(RNNRegressor(max_iter=3, **PARAMS).fit, X, y)
    before = fitted_state(model)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_epochs, "run_epoch", interrupt)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y)
    assert_same(fitted_state(model), before)
    with pytest.raises(KeyboardInterrupt):
        RNNRegressor(**PARAMS).set_params(warm_start=True).fit(X, y)
    fresh = RNNRegressor(**PARAMS)
    with pytest.raises(KeyboardInterrupt):
        fresh.fit(X, y)
    with pytest.raises(NotFittedError):
        fresh.predict(X)  # unfitted, not half-fitted


def test_interrupted_partial_fit_keeps_weights_and_optimizer_together(
    data, monkeypatch
):
    X, y = data
    model = RNNRegressor(**PARAMS)
    for _ in range(3):
        model.partial_fit(X, y)
    before = fitted_state(model)
    calls = []
    original = _epochs.run_epoch

    def interrupt_mid_epoch(objective, *args, **kwargs):
        def objective_then_stop(flat, indices):
            calls.append(1)
            if len(calls) == 3:  # after two updates of this epoch
                raise KeyboardInterrupt
            return objective(flat, indices)

        return original(objective_then_stop, *args, **kwargs)

    monkeypatch.setattr(_epochs, "run_epoch", interrupt_mid_epoch)
    with pytest.raises(KeyboardInterrupt):
        model.partial_fit(X, y)
    assert_same(fitted_state(model), before)
    assert model.n_iter_ == 1 and model.t_ == 3 * len(X)
    monkeypatch.undo()
    model.partial_fit(X, y)  # continues where it was
    again = RNNRegressor(**PARAMS)
    for _ in range(4):
        again.partial_fit(X, y)
    assert_same(fitted_state(model), fitted_state(again))


def test_random_interrupts_leave_the_model_before_or_complete(data):
    X, y = data
    epochs = 6

    def fit(model):
        return quietly(model.set_params(max_iter=epochs).fit, X, y)

    def warm(model):
        return quietly(model.set_params(max_iter=epochs, warm_start=True).fit, X, y)

    def partial(model):
        return model.partial_fit(X, y)

    def start():
        return quietly(RNNRegressor(max_iter=2, **PARAMS).fit, X, y)

    # What each kind of call gives after k completed epochs, without interruption.
    expected = {}
    for name, call in [("fit", fit), ("warm", warm), ("partial", partial)]:
        for k in range(1, epochs + 1):
            model = start()
            if name == "partial":
                if k > 1:
                    break
                call(model)
            else:
                quietly(
                    model.set_params(max_iter=k, warm_start=name == "warm").fit, X, y
                )
            expected[name, k] = fitted_state(model)
    duration = {}
    for name, call in [("fit", fit), ("warm", warm), ("partial", partial)]:
        model = start()
        clock = time.perf_counter()
        call(model)
        duration[name] = time.perf_counter() - clock

    rng = np.random.RandomState(0)
    outcomes = {"before": 0, "complete": 0}
    for trial in range(100):
        name, call = [("fit", fit), ("warm", warm), ("partial", partial)][trial % 3]
        model = start()
        before = fitted_state(model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run_with_sigint(
                rng.uniform(0, 1.2 * duration[name]),
                lambda call=call, model=model: call(model),
            )
        state = fitted_state(model)
        n_iter = state["n_iter_"]
        if name == "partial" and state["t_"] == before["t_"]:
            assert_same(state, before)
            outcomes["before"] += 1
            continue
        if name != "partial" and state["loss_curve_"] == before["loss_curve_"]:
            assert_same(state, before)
            outcomes["before"] += 1
            continue
        assert_same(state, expected[name, n_iter])
        outcomes["complete"] += 1
    assert outcomes["before"] > 0 and outcomes["complete"] > 0


def interrupt_at_epoch(monkeypatch, epoch):
    calls = []
    original = _epochs.run_epoch

    def run_epoch(*args, **kwargs):
        calls.append(1)
        if len(calls) == epoch:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(_epochs, "run_epoch", run_epoch)


def test_keyboard_interrupt_keeps_the_last_epoch(regression, monkeypatch):
    X, y = regression
    params = dict(hidden_layer_sizes=(4,), random_state=0)
    two = quiet_fit(RNNRegressor(max_iter=2, **params), X, y)
    interrupt_at_epoch(monkeypatch, 3)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        reg = RNNRegressor(max_iter=50, **params).fit(X, y)
    assert reg.n_iter_ == 2
    assert_same_weights(reg, two)


def test_keyboard_interrupt_keeps_the_best_weights_with_early_stopping(
    classification, monkeypatch
):
    X, y = classification
    params = dict(
        hidden_layer_sizes=(4,),
        early_stopping=True,
        learning_rate_init=0.05,
        n_iter_no_change=1000,
        random_state=0,
    )
    interrupt_at_epoch(monkeypatch, 16)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        clf = RNNClassifier(max_iter=100, **params).fit(X, y)
    monkeypatch.undo()
    best_epoch = int(np.argmax(clf.validation_scores_)) + 1
    best = quiet_fit(RNNClassifier(max_iter=best_epoch, **params), X, y)
    assert_same_weights(clf, best)


def test_keyboard_interrupt_during_lbfgs_keeps_the_last_iteration(
    regression, monkeypatch
):
    X, y = regression
    params = dict(hidden_layer_sizes=(4,), solver="lbfgs", random_state=0)
    three = quiet_fit(RNNRegressor(max_iter=3, **params), X, y)
    original = _lbfgs.run_lbfgs

    def run_lbfgs(objective, params, *, callback, **kwargs):
        def interrupting(x, loss):
            if len(calls) == 3:
                raise KeyboardInterrupt
            calls.append(1)
            callback(x, loss)

        calls = []
        return original(objective, params, callback=interrupting, **kwargs)

    monkeypatch.setattr(_lbfgs, "run_lbfgs", run_lbfgs)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        reg = RNNRegressor(max_iter=50, **params).fit(X, y)
    assert reg.n_iter_ == 3 and len(reg.loss_curve_) == 3
    assert_same_weights(reg, three)


def test_random_interrupts_during_progress_prints_leave_agreeing_attributes(
    data, capsys
):
    """With ``verbose``, a Ctrl-C can land inside an epoch's progress line: the
    model is then as before, or one whose history and weights are one epoch's."""
    X, y = data
    epochs = 6
    start = quietly(RNNRegressor(max_iter=2, verbose=True, **PARAMS).fit, X, y)
    expected = {
        k: fitted_state(
            quietly(RNNRegressor(max_iter=k, verbose=True, **PARAMS).fit, X, y)
        )
        for k in range(1, epochs + 1)
    }
    clock = time.perf_counter()
    quietly(copy.deepcopy(start).set_params(max_iter=epochs).fit, X, y)
    duration = time.perf_counter() - clock
    capsys.readouterr()

    rng = np.random.RandomState(1)
    outcomes = {"before": 0, "complete": 0}
    for _ in range(30):
        model = copy.deepcopy(start).set_params(max_iter=epochs)
        before = fitted_state(model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run_with_sigint(rng.uniform(0, 1.1 * duration), lambda m=model: m.fit(X, y))
        state = fitted_state(model)
        if state["loss_curve_"] == before["loss_curve_"]:
            assert_same(state, before)
            outcomes["before"] += 1
            continue
        assert state["best_loss_"] == min(state["loss_curve_"])
        assert state["loss_"] == state["loss_curve_"][-1]
        assert len(state["loss_curve_"]) == state["n_iter_"]
        assert_same(state, expected[state["n_iter_"]])
        outcomes["complete"] += 1
    capsys.readouterr()
    assert outcomes["before"] > 0 and outcomes["complete"] > 0


def test_interrupts_of_a_sharded_fit_leave_it_before_or_complete():
    # Batches cut across a worker process: Ctrl-C may land while the data is
    # handed over, a shard is out or its result awaited, or the workers are let go.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 12, 2))
    y = X[:, :, 0].sum(axis=1)

    def model(max_iter):
        params = dict(PARAMS, hidden_layer_sizes=(96,), batch_size=100)
        return RNNRegressor(max_iter=max_iter, n_jobs=2, **params)

    expected = {k: quietly(model(k).fit, X, y).output_weight_ for k in range(1, 5)}
    clock = time.perf_counter()
    quietly(model(4).fit, X, y)
    duration = time.perf_counter() - clock
    draws = np.random.RandomState(1).uniform(0, 1.2 * duration, size=20)
    outcomes = {"before": 0, "complete": 0}
    for delay in draws:
        est = model(4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run_with_sigint(delay, lambda est=est: est.fit(X, y))
        if not hasattr(est, "n_iter_"):
            outcomes["before"] += 1
            continue
        np.testing.assert_array_equal(est.output_weight_, expected[est.n_iter_])
        outcomes["complete"] += 1
    assert outcomes["before"] > 0 and outcomes["complete"] > 0
    # and the worker processes still serve the next fit
    np.testing.assert_array_equal(
        quietly(model(4).fit, X, y).output_weight_, expected[4]
    )


def _optimizer_arrays(optimizer):
    return [
        array.copy()
        for value in vars(optimizer).values()
        if isinstance(value, list)
        for array in value
    ]


@pytest.mark.parametrize("solver", ["adam", "sgd", "rprop"])
def test_a_state_copy_keeps_what_training_changes_afterwards(solver):
    # The per-epoch snapshot must hold the state as it was, whatever training
    # does to the state it was taken from; and a state without histories copies.
    settings = training_settings(RNNRegressor(solver=solver), n_samples=10)
    params = np.ones(5)
    state = TrainingState.fresh(stop_on_validation=True)
    state.optimizer = make_optimizer(settings, [params])
    state.optimizer.update_params([params], [np.arange(5.0)])  # arrays not zero
    for history, value in zip(HISTORIES, (1.0, 0.5, 0.1)):
        getattr(state, history).append(value)
    at_snapshot = _optimizer_arrays(state.optimizer)
    snapshot = state.copy()
    state.optimizer.update_params([params], [np.arange(5.0) - 2.0])
    for history in HISTORIES:
        getattr(state, history).append(9.0)
    assert [getattr(snapshot, history) for history in HISTORIES] == [
        [1.0],
        [0.5],
        [0.1],
    ]
    kept = _optimizer_arrays(snapshot.optimizer)
    assert len(kept) == len(at_snapshot) > 0
    for before, after in zip(at_snapshot, kept):
        np.testing.assert_array_equal(after, before)
    assert any(np.any(a) for a in kept)  # the check compared real moments
    assert TrainingState(loss_curve=None, epoch_times=None).copy().loss_curve is None


HISTORIES = ("loss_curve", "validation_scores", "epoch_times")
