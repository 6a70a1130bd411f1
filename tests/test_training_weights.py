"""Class weights and sample weights in the loss."""

import warnings

import numpy as np
import pytest
from _training import assert_same_weights, quiet_fit

from sk_rnn import RNNClassifier, RNNRegressor


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


def test_class_weight_balanced_over_a_class_of_zero_weights():
    # Zero weights remove samples: a class that keeps none weighs zero and does
    # not count among the classes; no NumPy warning, no false "no positive sum".
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 5, 1))
    y = np.repeat(["a", "b", "c"], 20)
    sample_weight = np.where(y == "a", 0.0, 1.0)
    sample_weight[20:25] = 3.0  # five "b" samples weigh three: "b" weighs 30
    params = dict(hidden_layer_sizes=(3,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        balanced = quiet_fit(
            RNNClassifier(class_weight="balanced", **params), X, y, sample_weight
        )
    expected = {"a": 0.0, "b": 50 / (2 * 30), "c": 50 / (2 * 20)}
    manual = quiet_fit(
        RNNClassifier(class_weight=expected, **params), X, y, sample_weight
    )
    assert_same_weights(balanced, manual, rtol=1e-12)


def test_class_weight_errors(classification):
    X, y = classification
    with pytest.raises(ValueError, match="not in the classes"):
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
    assert not np.allclose(weighted.loss_curve_, unweighted.loss_curve_)


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
