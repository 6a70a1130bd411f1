"""RNNRegressor.forecast equals a hand-written loop of predict calls."""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from sk_rnn import RNNRegressor

pytestmark = pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)

CELLS = ["rnn", "lstm", "gru"]
N_STEPS = 7


def _fit(X, y, **params):
    """A few epochs: the weights need not be good, only fitted and not trivial."""
    params = {
        "hidden_layer_sizes": (5, 4),
        "max_iter": 3,
        "learning_rate_init": 0.05,
        "random_state": 0,
        **params,
    }
    return RNNRegressor(**params).fit(X, y)


def _series(n_samples, n_timesteps, n_features, seed=0):
    rng = np.random.RandomState(seed)
    return np.cumsum(
        rng.normal(scale=0.3, size=(n_samples, n_timesteps, n_features)), 1
    )


def _next_step_model(cell, n_features=1, n_outputs=1, **params):
    X = _series(30, 8, n_features)
    Y = np.roll(X[:, :, :n_outputs], -1, axis=1)  # any targets will do
    y = Y[:, :, 0] if n_outputs == 1 else Y
    return _fit(X, y, cell=cell, output_sequence=True, **params)


def _window_model(cell, n_features=1, n_outputs=1, **params):
    X = _series(30, 8, n_features)
    y = X[:, -1, 0] if n_outputs == 1 else X[:, -1, :n_outputs]
    # the last state: every input of the window moves the forecast
    return _fit(X, y, cell=cell, readout="last", **params)


def _loop_next_step(model, contexts, n_steps, X_future=None):
    """Predict the growing sequences, appending each last prediction."""
    seqs = [np.asarray(c, dtype=float) for c in contexts]
    out = []
    for j in range(n_steps):
        predictions = model.predict(
            seqs if len({len(s) for s in seqs}) > 1 else np.stack(seqs)
        )
        last = np.array([np.atleast_1d(p[-1]) for p in predictions])
        out.append(last)
        rows = last if X_future is None else np.hstack([last, X_future[:, j]])
        seqs = [np.vstack([s, r[None]]) for s, r in zip(seqs, rows)]
    return np.stack(out, axis=1)


def _loop_window(model, windows, n_steps, X_future=None):
    """Predict the sliding windows: drop the first step, append the prediction."""
    windows = [np.asarray(w, dtype=float) for w in windows]
    out = []
    for j in range(n_steps):
        ragged = len({len(w) for w in windows}) > 1
        predictions = model.predict(windows if ragged else np.stack(windows))
        last = predictions.reshape(len(windows), -1)
        out.append(last)
        rows = last if X_future is None else np.hstack([last, X_future[:, j]])
        windows = [np.vstack([w[1:], r[None]]) for w, r in zip(windows, rows)]
    return np.stack(out, axis=1)


@pytest.mark.parametrize("cell", CELLS)
def test_next_step_forecast_equals_predict_loop(cell):
    model = _next_step_model(cell)
    context = _series(4, 6, 1, seed=1)
    expected = _loop_next_step(model, context, N_STEPS)[:, :, 0]
    forecast = model.forecast(context, N_STEPS)
    assert forecast.shape == (4, N_STEPS) and forecast.dtype == np.float64
    np.testing.assert_allclose(forecast, expected, rtol=0, atol=1e-10)
    assert np.ptp(forecast) > 1e-3  # the forecasts are not a constant


@pytest.mark.parametrize("cell", CELLS)
def test_next_step_forecast_of_ragged_contexts(cell):
    model = _next_step_model(cell, hidden_layer_sizes=(4, 3, 5))
    series = _series(5, 9, 1, seed=2)
    contexts = [s[:n] for s, n in zip(series, [9, 2, 5, 1, 5])]
    expected = _loop_next_step(model, contexts, N_STEPS)[:, :, 0]
    np.testing.assert_allclose(
        model.forecast(contexts, N_STEPS), expected, rtol=0, atol=1e-10
    )
    # NaN padding after each end is the same input
    padded = np.full((5, 9, 1), np.nan)
    for i, c in enumerate(contexts):
        padded[i, : len(c)] = c
    np.testing.assert_allclose(
        model.forecast(padded, N_STEPS), expected, rtol=0, atol=1e-10
    )


@pytest.mark.parametrize("cell", CELLS)
def test_window_forecast_equals_predict_loop(cell):
    model = _window_model(cell)
    windows = _series(4, 8, 1, seed=3)
    expected = _loop_window(model, windows, N_STEPS)[:, :, 0]
    forecast = model.forecast(windows, N_STEPS)
    assert forecast.shape == (4, N_STEPS)
    np.testing.assert_allclose(forecast, expected, rtol=0, atol=1e-10)
    assert np.ptp(forecast) > 1e-3


@pytest.mark.parametrize("cell", CELLS)
def test_window_forecast_of_ragged_and_bidirectional_windows(cell):
    model = _window_model(cell, bidirectional=True)
    series = _series(4, 8, 1, seed=4)
    windows = [s[:n] for s, n in zip(series, [8, 3, 6, 1])]
    expected = _loop_window(model, windows, N_STEPS)[:, :, 0]
    np.testing.assert_allclose(
        model.forecast(windows, N_STEPS), expected, rtol=0, atol=1e-10
    )


@pytest.mark.parametrize("kind", ["next_step", "window"])
def test_exogenous_features_from_x_future(kind):
    make, loop = {
        "next_step": (_next_step_model, _loop_next_step),
        "window": (_window_model, _loop_window),
    }[kind]
    model = make("gru", n_features=3)
    context = _series(4, 6, 3, seed=5)
    X_future = np.random.RandomState(6).normal(size=(4, N_STEPS, 2))
    expected = loop(model, context, N_STEPS, X_future)[:, :, 0]
    forecast = model.forecast(context, N_STEPS, X_future=X_future)
    np.testing.assert_allclose(forecast, expected, rtol=0, atol=1e-10)
    # the exogenous values are read: other ones change the forecast, except in
    # the first value (before any is read) ...
    other = model.forecast(context, N_STEPS, X_future=X_future + 1.0)
    assert other[:, 0] == pytest.approx(forecast[:, 0])
    assert np.abs(other[:, 1:] - forecast[:, 1:]).min() > 0
    # ... and the last step's never is
    last_changed = X_future.copy()
    last_changed[:, -1] += 1.0
    np.testing.assert_array_equal(
        model.forecast(context, N_STEPS, X_future=last_changed), forecast
    )


@pytest.mark.parametrize("kind", ["next_step", "window"])
def test_multi_output_shapes(kind):
    make, loop = {
        "next_step": (_next_step_model, _loop_next_step),
        "window": (_window_model, _loop_window),
    }[kind]
    model = make("lstm", n_features=2, n_outputs=2)
    context = _series(3, 6, 2, seed=7)
    forecast = model.forecast(context, N_STEPS)
    assert forecast.shape == (3, N_STEPS, 2)
    np.testing.assert_allclose(
        forecast, loop(model, context, N_STEPS), rtol=0, atol=1e-10
    )


def test_single_output_fitted_2d_keeps_the_output_axis():
    X = _series(20, 6, 1)
    model = _fit(X, X[:, -1], hidden_layer_sizes=(3,))  # y of shape (n, 1)
    assert model.predict(X[:2]).shape == (2, 1)
    assert model.forecast(X[:2], 4).shape == (2, 4, 1)


def test_float32_model_forecasts_float32():
    X = _series(20, 6, 1).astype(np.float32)
    model = _fit(X, X[:, -1, 0], hidden_layer_sizes=(3,))
    forecast = model.forecast(X[:3], 5)
    assert forecast.dtype == np.float32
    np.testing.assert_allclose(
        forecast, _loop_window(model, X[:3], 5)[:, :, 0], rtol=1e-5
    )


def test_n_steps_one_is_predict():
    model = _next_step_model("rnn")
    context = _series(3, 5, 1, seed=8)
    np.testing.assert_allclose(
        model.forecast(context, 1)[:, 0], model.predict(context)[:, -1], atol=1e-12
    )


@pytest.mark.parametrize(
    ("n_steps", "error", "message"),
    [
        (0, ValueError, "n_steps must be at least 1, got 0"),
        (2.0, TypeError, "n_steps must be an int, got 2.0"),
        (True, TypeError, "n_steps must be an int, got True"),
    ],
)
def test_bad_n_steps(n_steps, error, message):
    model = _window_model("rnn")
    with pytest.raises(error, match=message):
        model.forecast(_series(2, 8, 1), n_steps)


def test_errors():
    context = _series(2, 6, 1)
    with pytest.raises(NotFittedError):
        RNNRegressor().forecast(context, 3)
    bidirectional = _next_step_model("gru", bidirectional=True)
    with pytest.raises(ValueError, match="cannot carry a bidirectional next-step"):
        bidirectional.forecast(context, 3)
    univariate = _window_model("rnn")
    with pytest.raises(ValueError, match="there are no exogenous features"):
        univariate.forecast(context, 3, X_future=np.zeros((2, 3, 1)))
    with pytest.raises(
        ValueError,
        match="X has 2 features per timestep, but RNNRegressor is expecting 1",
    ):
        univariate.forecast(_series(2, 6, 2), 3)
    exogenous = _window_model("rnn", n_features=3)
    context3 = _series(2, 6, 3)
    with pytest.raises(ValueError, match=r"X_future of shape .* = \(2, 3, 2\)"):
        exogenous.forecast(context3, 3)
    with pytest.raises(ValueError, match=r"= \(2, 3, 2\), got \(2, 4, 2\)"):
        exogenous.forecast(context3, 3, X_future=np.zeros((2, 4, 2)))
    with pytest.raises(ValueError, match="X_future"):
        exogenous.forecast(context3, 3, X_future=np.full((2, 3, 2), np.nan))
    # two outputs read from one input feature: nothing to feed them back into
    X = _series(20, 6, 1)
    two_outputs = _fit(X, np.hstack([X[:, -1], X[:, -2]]), hidden_layer_sizes=(3,))
    with pytest.raises(ValueError, match="predicts 2 values from 1 input features"):
        two_outputs.forecast(context, 3)


@pytest.mark.parametrize("cell", CELLS)
def test_forward_states_continue_where_forward_ends(cell):
    from sk_rnn._backend import RecurrentNetwork

    rng = np.random.RandomState(0)
    net = RecurrentNetwork(cell, 3, (5, 4), 2)
    flat = net.init_params(rng, np.float64)
    X = rng.normal(size=(6, 9, 3))
    lengths = np.array([9, 3, 5, 9, 1, 5])
    padded = np.where(np.arange(9)[None, :, None] < lengths[:, None, None], X, 0.0)
    Z, _ = net.forward(flat, padded, lengths, training=False)
    # ragged sequences: each read up to its own last real step
    Z_states, states = net.forward_states(flat, X, lengths)
    np.testing.assert_allclose(Z_states, Z, rtol=0, atol=1e-12)
    # the states carry the sequences on: 4 steps, then the other 5
    Z_full, _ = net.forward(flat, X, None, training=False)
    _, first = net.forward_states(flat, X[:, :4])
    Z_rest, _ = net.forward_states(flat, X[:, 4:], None, first)
    np.testing.assert_allclose(Z_rest, Z_full, rtol=0, atol=1e-12)
    assert len(states) == 2
    with pytest.raises(ValueError, match="bidirectional network cannot be stepped"):
        RecurrentNetwork(cell, 3, (4,), 1, bidirectional=True).forward_states(flat, X)
