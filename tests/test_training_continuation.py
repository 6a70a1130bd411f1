"""partial_fit and warm_start: training that continues where it stopped."""

import numpy as np
import pytest
from _training import assert_same_weights, quiet_fit

from sk_rnn import RNNClassifier, RNNRegressor


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
