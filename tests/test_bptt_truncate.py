"""The estimators' bptt_truncate parameter, end to end.

The truncation itself is the cells' work (tested against brute force with them);
these tests check what the parameter does to a fit.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import RNNClassifier, RNNRegressor


def fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


@pytest.fixture
def regression():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 6, 2))
    return X, X[:, :, 0].sum(axis=1)


@pytest.mark.parametrize("estimator_class", [RNNRegressor, RNNClassifier])
@pytest.mark.parametrize("bptt_truncate", [6, 100])
def test_truncation_at_least_the_length_is_full_bptt(
    regression, estimator_class, bptt_truncate
):
    X, y = regression
    if estimator_class is RNNClassifier:
        y = y > 0
    params = dict(hidden_layer_sizes=(4, 3), max_iter=5, random_state=0)
    full = fit(estimator_class(**params), X, y)
    truncated = fit(estimator_class(bptt_truncate=bptt_truncate, **params), X, y)
    for name, value in full.recurrent_weights_.items():
        np.testing.assert_allclose(
            truncated.recurrent_weights_[name], value, rtol=1e-12, atol=1e-15
        )
    np.testing.assert_allclose(truncated.output_weight_, full.output_weight_, 1e-12)


def test_truncation_to_one_step_sees_only_the_last_input(regression):
    # With a window of one step, weight_ih_l0 learns only from the last input; when
    # that input is zero its gradient vanishes and it keeps its initial value.
    X, y = regression
    X = X.copy()
    X[:, -1, :] = 0.0
    params = dict(hidden_layer_sizes=(4,), alpha=0.0, readout="last", random_state=0)
    one = fit(RNNRegressor(bptt_truncate=1, max_iter=1, **params), X, y)
    many = fit(RNNRegressor(bptt_truncate=1, max_iter=8, **params), X, y)
    np.testing.assert_array_equal(
        many.recurrent_weights_["weight_ih_l0"], one.recurrent_weights_["weight_ih_l0"]
    )
    assert not np.array_equal(many.output_weight_, one.output_weight_)
    full = fit(RNNRegressor(max_iter=8, **params), X, y)
    assert not np.allclose(
        full.recurrent_weights_["weight_ih_l0"], one.recurrent_weights_["weight_ih_l0"]
    )


def test_short_truncation_changes_the_fit(regression):
    X, y = regression
    params = dict(hidden_layer_sizes=(4,), max_iter=10, random_state=0)
    full = fit(RNNRegressor(**params), X, y)
    short = fit(RNNRegressor(bptt_truncate=2, **params), X, y)
    assert np.isfinite(short.loss_curve_).all()
    assert not np.allclose(
        short.recurrent_weights_["weight_hh_l0"],
        full.recurrent_weights_["weight_hh_l0"],
    )


def test_bptt_truncate_is_validated(regression):
    X, y = regression
    with pytest.raises(ValueError, match="bptt_truncate"):
        RNNRegressor(bptt_truncate=0).fit(X, y)
