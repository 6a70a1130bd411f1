"""Divergence: a clear error, finite weights kept, advice by solver."""

import warnings

import numpy as np
import pytest
from _training import quiet_fit, weights
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from sk_rnn import RNNRegressor


# ---------------------------------------------------------------- divergence
def diverging(est_class, **params):
    return est_class(
        hidden_layer_sizes=(4,),
        cell="rnn",
        activation="identity",
        solver="sgd",
        learning_rate_init=1e3,
        max_iter=50,
        batch_size=200,  # one step an epoch: the first epoch is still finite
        random_state=0,
        **{"clip_norm": None, **params},  # unclipped, the huge rate diverges
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
        cell="rnn",
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


@pytest.mark.parametrize("solver", ["lbfgs", "rprop"])
def test_divergence_without_a_learning_rate_points_at_the_data(regression, solver):
    X, y = regression
    reg = RNNRegressor(
        (3,), cell="rnn", activation="relu", solver=solver, random_state=0
    )
    with pytest.raises(ValueError, match="diverged") as excinfo:
        quiet_fit(reg, X * 1e307, y)
    assert "scale of the inputs" in str(excinfo.value)
    assert "learning_rate_init" not in str(excinfo.value)


@pytest.mark.parametrize(
    "params",
    [
        dict(cell="gru", bidirectional=True),
        dict(cell="lstm", hidden_layer_sizes=(4, 3)),
        dict(cell="rnn", readout="last"),
    ],
)
def test_the_output_bound_holds(regression, params):
    """The bound that lets fit skip its final forward pass is a true bound."""
    X, y = regression
    params = {"hidden_layer_sizes": (5,), "max_iter": 3, "random_state": 0, **params}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = RNNRegressor(**params).fit(X, y)
    flat = reg._params_flat()
    outputs = reg._network.forward(flat, X, training=False)[0]
    bound = reg._network.output_bound(flat, np.abs(X).max())
    assert np.abs(outputs).max() <= bound < np.inf
    linear = RNNRegressor((3,), cell="rnn", activation="identity", max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        linear.fit(X, y)
    assert linear._network.output_bound(linear._params_flat(), 1.0) == np.inf


def test_the_divergence_advice_follows_clip_norm():
    from sk_rnn._estimators._fitting import divergence_message

    clipped = divergence_message(RNNRegressor(), epoch=3)  # clip_norm=1.0
    assert "a lower clip_norm (got 1.0)" in clipped and "e.g." not in clipped
    unclipped = divergence_message(RNNRegressor(clip_norm=None), epoch=3)
    assert "set clip_norm (e.g. clip_norm=1.0)" in unclipped
