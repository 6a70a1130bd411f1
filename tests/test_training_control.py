"""Early stopping, validation sets, class and sample weights, partial_fit, warm_start,
divergence, interruption and progress output."""

import sys
import types
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.utils.validation import check_is_fitted

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn._estimators import _data
from sk_rnn._train import _epochs, _lbfgs


def weights(est):
    return {
        **est.recurrent_weights_,
        "output_weight": est.output_weight_,
        "output_bias": est.output_bias_,
    }


def assert_same_weights(a, b, rtol=0.0):
    wa, wb = weights(a), weights(b)
    assert wa.keys() == wb.keys()
    for name in wa:
        np.testing.assert_allclose(wa[name], wb[name], rtol=rtol, atol=0, err_msg=name)


def quiet_fit(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


@pytest.fixture
def classification():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 5, 2))
    y = np.where(X[:, :, 0].sum(axis=1) > 0, "up", "down")
    return X, y


@pytest.fixture
def regression():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 5, 2))
    y = X[:, :, 0].sum(axis=1) + 0.5 * X[:, -1, 1]
    return X, y


# ------------------------------------------------------------ early stopping
def test_early_stopping_restores_the_best_epoch(classification):
    X, y = classification
    params = dict(
        hidden_layer_sizes=(4,),
        early_stopping=True,
        validation_fraction=0.25,
        n_iter_no_change=5,
        learning_rate_init=0.05,
        max_iter=200,
        random_state=0,
    )
    clf = quiet_fit(RNNClassifier(**params), X, y)
    scores = clf.validation_scores_
    assert len(scores) == clf.n_iter_ == len(clf.loss_curve_)
    assert clf.best_validation_score_ == max(scores)
    assert clf.best_loss_ is None  # as in MLP: follow best_validation_score_
    best_epoch = int(np.argmax(scores)) + 1
    assert best_epoch < clf.n_iter_  # it did stop after the best epoch ...
    # ... and kept exactly the weights a run ending at the best epoch has.
    shorter = quiet_fit(RNNClassifier(**{**params, "max_iter": best_epoch}), X, y)
    assert_same_weights(clf, shorter)


def test_early_stopping_split_is_stratified_for_the_classifier(
    classification, monkeypatch
):
    seen = []
    original = _data.train_test_split

    def spy(*args, **kwargs):
        seen.append(kwargs["stratify"])
        return original(*args, **kwargs)

    monkeypatch.setattr(_data, "train_test_split", spy)
    X, y = classification
    quiet_fit(RNNClassifier((3,), early_stopping=True, max_iter=2), X, y)
    quiet_fit(RNNRegressor((3,), early_stopping=True, max_iter=2), X, X[:, 0, 0])
    np.testing.assert_array_equal(seen[0], y)
    assert seen[1] is None


def test_early_stopping_refuses_a_too_small_validation_set():
    X = np.random.RandomState(0).normal(size=(10, 3, 1))
    with pytest.raises(ValueError, match="validation set is too small"):
        RNNRegressor(early_stopping=True, validation_fraction=0.1).fit(X, X[:, 0, 0])
    # The classifier's split is stratified: too few samples for one of each class.
    labels = np.arange(4) % 2
    message = "cannot hold out validation_fraction=0.1 of n_samples=4, stratified"
    with pytest.raises(ValueError, match=message) as raised:
        RNNClassifier(early_stopping=True).fit(X[:4], labels)
    assert "Pass X_val and y_val to fit" in str(raised.value)


# ---------------------------------------------------------- validation data
def test_x_val_is_monitored_every_epoch(regression):
    X, y = regression
    X_val, y_val = X[:20] + 0.1, y[:20]
    reg = quiet_fit(
        RNNRegressor((4,), max_iter=7, random_state=0), X, y, X_val=X_val, y_val=y_val
    )
    assert len(reg.validation_scores_) == 7
    assert reg.validation_scores_[-1] == pytest.approx(reg.score(X_val, y_val))
    assert reg.best_validation_score_ == max(reg.validation_scores_)
    # Monitoring alone changes nothing in the training.
    plain = quiet_fit(RNNRegressor((4,), max_iter=7, random_state=0), X, y)
    assert plain.validation_scores_ is None
    assert_same_weights(reg, plain)


def test_x_val_replaces_the_split_for_early_stopping(regression):
    X, y = regression
    X_val, y_val = X[:20] + 0.1, y[:20]
    params = dict(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    reg = quiet_fit(
        RNNRegressor(early_stopping=True, **params), X, y, X_val=X_val, y_val=y_val
    )
    # It trains on all of X: the loss curve is that of a fit without a split.
    plain = quiet_fit(RNNRegressor(**params), X, y)
    np.testing.assert_allclose(reg.loss_curve_, plain.loss_curve_, rtol=1e-12)
    assert reg.validation_scores_[-1] == pytest.approx(plain.score(X_val, y_val))


def test_validation_sample_weight_is_used(regression):
    X, y = regression
    X_val, y_val = X[:20] + 0.3, y[:20]
    sw = np.arange(20.0)
    reg = quiet_fit(
        RNNRegressor((4,), max_iter=3, random_state=0),
        X,
        y,
        X_val=X_val,
        y_val=y_val,
        sample_weight_val=sw,
    )
    expected = reg.score(X_val, y_val, sample_weight=sw)
    assert reg.validation_scores_[-1] == pytest.approx(expected)
    assert expected != pytest.approx(reg.score(X_val, y_val))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(X_val="X"), "y_val was not provided"),
        (dict(y_val="y"), "X_val was not provided"),
        (dict(sample_weight_val=np.ones(3)), "X_val and y_val were not"),
    ],
)
def test_validation_data_must_come_in_pairs(regression, kwargs, match):
    X, y = regression
    data = {"X": X, "y": y}
    kwargs = {k: data[v] if isinstance(v, str) else v for k, v in kwargs.items()}
    with pytest.raises(ValueError, match=match):
        RNNRegressor().fit(X, y, **kwargs)


@pytest.mark.parametrize(
    "sample_weight_val, match",
    [
        (np.ones(4), r"sample_weight_val\.shape == \(4,\), expected \(5,\)"),
        (np.array([1.0, np.nan, 1.0, 1.0, 1.0]), "sample_weight_val contains NaN"),
        (np.array([1.0, -1.0, 1.0, 1.0, 1.0]), "`sample_weight_val`"),
    ],
)
def test_validation_sample_weight_errors_name_it(regression, sample_weight_val, match):
    X, y = regression
    reg = RNNRegressor((4,), max_iter=1, random_state=0)
    with pytest.raises(ValueError, match=match):
        reg.fit(X, y, X_val=X[:5], y_val=y[:5], sample_weight_val=sample_weight_val)
    with pytest.raises(NotFittedError):  # refused before any training
        check_is_fitted(reg)


def test_y_val_labels_must_be_known(classification):
    X, y = classification
    with pytest.raises(ValueError, match="not in classes_"):
        RNNClassifier(max_iter=1).fit(X, y, X_val=X[:3], y_val=["up", "down", "left"])


# ------------------------------------------------------------- class_weight
def test_class_weight_dict_multiplies_sample_weights(classification):
    X, y = classification
    params = dict(hidden_layer_sizes=(3,), max_iter=5, random_state=0)
    weighted = quiet_fit(RNNClassifier(class_weight={"up": 3.0}, **params), X, y)
    sw = np.where(y == "up", 3.0, 1.0)
    manual = quiet_fit(RNNClassifier(**params), X, y, sample_weight=sw)
    assert_same_weights(weighted, manual)
    both = quiet_fit(
        RNNClassifier(class_weight={"up": 3.0}, **params), X, y, sample_weight=sw
    )
    squared = quiet_fit(RNNClassifier(**params), X, y, sample_weight=sw**2)
    assert_same_weights(both, squared)


def test_class_weight_balanced(classification):
    X, y = classification
    y = y.copy()
    y[:80] = "down"  # imbalanced
    params = dict(hidden_layer_sizes=(3,), max_iter=5, random_state=0)
    balanced = quiet_fit(RNNClassifier(class_weight="balanced", **params), X, y)
    n_up = np.sum(y == "up")
    expected = {"down": len(y) / (2 * (len(y) - n_up)), "up": len(y) / (2 * n_up)}
    manual = quiet_fit(
        RNNClassifier(class_weight=expected, **params), X, y, sample_weight=None
    )
    assert_same_weights(balanced, manual, rtol=1e-12)
    # On weighted counts: an integer sample weight acts as repetition.
    sw = np.ones(len(y))
    sw[:10] = 2
    repeated = np.r_[np.arange(len(y)), np.arange(10)]
    a = quiet_fit(
        RNNClassifier(class_weight="balanced", batch_size=len(y), **params),
        X,
        y,
        sample_weight=sw,
    )
    b = quiet_fit(
        RNNClassifier(class_weight="balanced", batch_size=len(repeated), **params),
        X[repeated],
        y[repeated],
    )
    for name in ("weight_hh_l0", "weight_ih_l0"):
        np.testing.assert_allclose(
            a.recurrent_weights_[name], b.recurrent_weights_[name], rtol=1e-10
        )


def test_class_weight_errors(classification):
    X, y = classification
    with pytest.raises(ValueError, match="not in class_weight"):
        RNNClassifier(class_weight={"sideways": 2.0}).fit(X, y)
    clf = RNNClassifier(class_weight="balanced")
    with pytest.raises(ValueError, match="'balanced' is not supported for partial"):
        clf.partial_fit(X, y, classes=["down", "up"])
    assert not hasattr(clf, "classes_")  # the failed call left it unfitted
    partial = RNNClassifier(class_weight={"up": 2.0}, random_state=0)
    partial.partial_fit(X, y, classes=["down", "up"])


# -------------------------------------------------------------- sample_weight
def test_sample_weight_matters_and_equals_repetition(regression):
    X, y = regression
    sw = np.ones(len(X))
    sw[:15] = 3
    idx = np.r_[np.arange(len(X)), np.repeat(np.arange(15), 2)]
    params = dict(hidden_layer_sizes=(3,), max_iter=4, random_state=0)
    weighted = quiet_fit(
        RNNRegressor(batch_size=len(X), **params), X, y, sample_weight=sw
    )
    repeated = quiet_fit(RNNRegressor(batch_size=len(idx), **params), X[idx], y[idx])
    assert_same_weights(weighted, repeated, rtol=1e-10)
    unweighted = quiet_fit(RNNRegressor(**params), X, y)
    assert not np.allclose(weighted.output_weight_, unweighted.output_weight_)


def test_partial_fit_sample_weight_equals_repetition(classification):
    X, y = classification
    sw = np.ones(len(X))
    sw[:20] = 2
    idx = np.r_[np.arange(len(X)), np.arange(20)]
    params = dict(hidden_layer_sizes=(3,), random_state=0)
    weighted = RNNClassifier(batch_size=len(X), **params)
    repeated = RNNClassifier(batch_size=len(idx), **params)
    for _ in range(3):
        weighted.partial_fit(X, y, sample_weight=sw, classes=["down", "up"])
        repeated.partial_fit(X[idx], y[idx], classes=["down", "up"])
    assert_same_weights(weighted, repeated, rtol=1e-10)


@pytest.mark.parametrize("solver", ["rprop", "lbfgs"])
def test_sample_weight_full_batch_solvers(regression, solver):
    X, y = regression
    params = dict(hidden_layer_sizes=(3,), max_iter=10, solver=solver, random_state=0)
    sw = np.ones(len(X))
    sw[:15] = 2
    weighted = quiet_fit(RNNRegressor(**params), X, y, sample_weight=sw)
    idx = np.r_[np.arange(len(X)), np.arange(15)]
    repeated = quiet_fit(RNNRegressor(**params), X[idx], y[idx])
    assert_same_weights(weighted, repeated, rtol=1e-8)


# -------------------------------------------------------------- partial_fit
def test_partial_fit_needs_classes_first(classification):
    X, y = classification
    clf = RNNClassifier()
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[y == "up"], y[y == "up"], classes=["up", "down", "left"])
    np.testing.assert_array_equal(clf.classes_, ["down", "left", "up"])
    assert clf.predict_proba(X[:2]).shape == (2, 3)
    clf.partial_fit(X[:10], y[:10])  # classes may be omitted later
    with pytest.raises(ValueError, match="is not the same as on the last call"):
        clf.partial_fit(X, y, classes=["up", "down"])
    with pytest.raises(ValueError, match="not in classes_"):
        clf.partial_fit(X[:2], ["up", "right"])
    with pytest.raises(ValueError, match="does not support early_stopping"):
        clf.set_params(early_stopping=True).partial_fit(X, y)


@pytest.mark.parametrize("shuffle, batch_size", [(False, 16), (True, 120)])
def test_partial_fit_equals_fit_when_deterministic(classification, shuffle, batch_size):
    # Without shuffling (or with one batch, where the order cannot matter), k calls
    # of partial_fit run the same k epochs as fit(max_iter=k).
    X, y = classification
    params = dict(
        hidden_layer_sizes=(4,),
        shuffle=shuffle,
        batch_size=batch_size,
        learning_rate_init=0.01,
        random_state=0,
    )
    fitted = quiet_fit(RNNClassifier(max_iter=6, **params), X, y)
    partial = RNNClassifier(**params)
    for _ in range(6):
        partial.partial_fit(X, y, classes=["down", "up"])
        assert partial.n_iter_ == 1
    assert partial.t_ == fitted.t_ == 6 * len(X)
    np.testing.assert_allclose(partial.loss_curve_, fitted.loss_curve_, rtol=1e-12)
    assert_same_weights(partial, fitted, rtol=1e-12)


def test_partial_fit_streams_many_batches(regression):
    X, y = regression
    reg = RNNRegressor((8,), solver="sgd", learning_rate_init=0.05, random_state=0)
    for _ in range(40):
        for batch in np.array_split(np.arange(len(X)), 4):
            reg.partial_fit(X[batch], y[batch])
    assert reg.t_ == 40 * len(X)
    assert len(reg.loss_curve_) == 160
    assert reg.score(X, y) > 0.9


# --------------------------------------------------------------- warm_start
def test_warm_start_continues_where_fit_stopped(regression):
    # Plain full-batch gradient descent has no optimizer state, so 5 + 5 warm
    # epochs are exactly 10 epochs.
    X, y = regression
    params = dict(
        hidden_layer_sizes=(4,),
        solver="sgd",
        momentum=0.0,
        batch_size=len(X),
        learning_rate_init=0.02,
        random_state=0,
    )
    ten = quiet_fit(RNNRegressor(max_iter=10, **params), X, y)
    warm = quiet_fit(RNNRegressor(max_iter=5, warm_start=True, **params), X, y)
    quiet_fit(warm, X, y)
    assert warm.n_iter_ == 5 and warm.t_ == 10 * len(X)
    np.testing.assert_allclose(warm.loss_curve_, ten.loss_curve_, rtol=1e-12)
    assert_same_weights(warm, ten, rtol=1e-12)
    # Without warm_start the second fit starts over.
    cold = quiet_fit(RNNRegressor(max_iter=5, **params), X, y)
    assert len(quiet_fit(cold, X, y).loss_curve_) == 5


def test_warm_start_needs_the_same_classes(classification):
    X, y = classification
    clf = quiet_fit(RNNClassifier(max_iter=2, warm_start=True), X, y)
    with pytest.raises(ValueError, match="warm_start can only be used"):
        clf.fit(X[y == "up"], y[y == "up"])


@pytest.mark.parametrize("solver", ["rprop", "lbfgs"])
def test_warm_start_full_batch_solvers_start_from_the_fitted_weights(
    regression, solver
):
    X, y = regression
    reg = quiet_fit(
        RNNRegressor((4,), solver=solver, max_iter=30, warm_start=True), X, y
    )
    before = reg.score(X, y)
    quiet_fit(reg.set_params(max_iter=1), X, y)
    assert abs(reg.score(X, y) - before) < 0.05  # one more step, not a restart


# ---------------------------------------------------------------- divergence
def diverging(est_class, **params):
    return est_class(
        hidden_layer_sizes=(4,),
        activation="identity",
        solver="sgd",
        learning_rate_init=1e3,
        max_iter=50,
        random_state=0,
        **params,
    )


def test_divergence_raises_and_leaves_the_estimator_as_it_was(regression):
    X, y = regression
    reg = diverging(RNNRegressor)
    with pytest.raises(ValueError, match="diverged") as excinfo:
        reg.fit(X, y)
    assert "learning_rate_init" in str(excinfo.value)
    assert "clip_norm" in str(excinfo.value)
    with pytest.raises(NotFittedError):
        reg.predict(X)
    # A fitted estimator keeps its (finite) model.
    good = quiet_fit(clone(reg).set_params(learning_rate_init=1e-3), X, y)
    before = {k: v.copy() for k, v in weights(good).items()}
    with pytest.raises(ValueError, match="diverged"):
        good.set_params(learning_rate_init=1e3, warm_start=True).fit(X, y)
    for name, value in weights(good).items():
        np.testing.assert_array_equal(value, before[name])


def test_divergence_in_partial_fit_warns_and_keeps_finite_weights(regression):
    X, y = regression
    reg = diverging(RNNRegressor)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        reg.partial_fit(X, y)  # one epoch is still finite
    last = {k: v.copy() for k, v in weights(reg).items()}
    with pytest.warns(RuntimeWarning, match="diverged"):
        for _ in range(20):
            reg.partial_fit(X, y)
    assert all(np.isfinite(value).all() for value in weights(reg).values())
    assert np.isfinite(reg.predict(X)).all()
    # The kept weights are those of the last finite epoch, not the first ones.
    assert any(not np.array_equal(last[k], v) for k, v in weights(reg).items())
    assert np.isfinite(reg.loss_curve_).all()


@pytest.mark.parametrize("solver", ["adam", "rprop", "lbfgs"])
def test_no_solver_returns_a_model_full_of_nan(regression, solver):
    X, y = regression
    reg = RNNRegressor(
        (4,),
        activation="relu",
        solver=solver,
        learning_rate_init=1e6,
        max_iter=30,
        random_state=0,
    )
    try:
        quiet_fit(reg, X * 1e50, y * 1e300)
    except ValueError as exc:
        assert "diverged" in str(exc)
    else:
        assert all(np.isfinite(v).all() for v in weights(reg).values())


def test_clip_norm_tames_the_diverging_setup(regression):
    X, y = regression
    reg = quiet_fit(diverging(RNNRegressor, clip_norm=1e-4), X, y)
    assert np.isfinite(reg.loss_curve_).all()


# ------------------------------------------------------------- interruption
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


# ------------------------------------------------------------------ progress
def test_verbose_prints_a_line_per_epoch(regression, capsys):
    X, y = regression
    quiet_fit(
        RNNRegressor((3,), max_iter=3, verbose=True), X, y, X_val=X[:9], y_val=y[:9]
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for k, line in enumerate(lines, start=1):
        assert line.startswith(f"Iteration {k}, loss = ")
        assert ", validation score = " in line and line.endswith("s")
        assert ", time = " in line


def test_verbose_lbfgs_prints_its_iterations(regression, capsys):
    X, y = regression
    quiet_fit(RNNRegressor((3,), solver="lbfgs", max_iter=4, verbose=1), X, y)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines] == [
        f"Iteration {k}" for k in range(1, 5)
    ]


def test_verbose_2_shows_a_tqdm_bar(regression, capsys, monkeypatch):
    bars = []

    class FakeBar:
        def __init__(self, total, **kwargs):
            self.total, self.updates, self.postfix, self.closed = total, 0, None, False
            bars.append(self)

        def update(self, n):
            self.updates += n

        def set_postfix(self, postfix, refresh=True):
            self.postfix = postfix

        def close(self):
            self.closed = True

    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = FakeBar
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    X, y = regression
    quiet_fit(RNNRegressor((3,), max_iter=4, verbose=2), X, y, X_val=X, y_val=y)
    assert capsys.readouterr().out == ""
    (bar,) = bars
    assert (bar.total, bar.updates, bar.closed) == (4, 4, True)
    assert set(bar.postfix) == {"loss", "val"}


def test_verbose_2_falls_back_to_lines_without_tqdm(regression, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # makes the import fail
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    X, y = regression
    quiet_fit(RNNRegressor((3,), max_iter=2, verbose=2), X, y)
    assert len(capsys.readouterr().out.splitlines()) == 2


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


def test_variable_length_sequences_with_validation(classification):
    X, y = classification
    rng = np.random.RandomState(1)
    ragged = [x[: rng.randint(1, 6)] for x in X]  # lengths 1 to 5
    params = dict(hidden_layer_sizes=(3,), max_iter=4, random_state=0)
    clf = quiet_fit(RNNClassifier(early_stopping=True, **params), ragged, y)
    assert len(clf.validation_scores_) == clf.n_iter_
    clf = quiet_fit(
        RNNClassifier(**params), ragged[20:], y[20:], X_val=ragged[:20], y_val=y[:20]
    )
    assert clf.validation_scores_[-1] == pytest.approx(clf.score(ragged[:20], y[:20]))


@pytest.mark.parametrize("solver", ["lbfgs", "rprop"])
def test_divergence_without_a_learning_rate_points_at_the_data(regression, solver):
    X, y = regression
    reg = RNNRegressor((3,), activation="relu", solver=solver, random_state=0)
    with pytest.raises(ValueError, match="diverged") as excinfo:
        quiet_fit(reg, X * 1e307, y)
    assert "scale of the inputs" in str(excinfo.value)
    assert "learning_rate_init" not in str(excinfo.value)
