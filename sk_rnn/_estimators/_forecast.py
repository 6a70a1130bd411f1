"""Multi-step forecasting with a fitted RNNRegressor: each prediction fed back.

Two kinds of models forecast:

- next-step models (``output_sequence=True``, trained to predict ``x_{t+1}`` at
  every step ``t``): the context is read once, then every layer's state is carried
  forward one cell step per new value;
- window models (``output_sequence=False``, trained to predict the value after a
  window): the window slides, dropping its first step and appending the
  prediction, and is read again for each new value.

The targets are the first ``n_outputs`` input features: the prediction made at a
step becomes those features of the next step's input. Any further (exogenous)
features must be given for the future in ``X_future``.
"""

from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_array, check_is_fitted

from ._data import network_inputs
from ._inference import blas_threads_for, network_outputs
from ._validation import check_sequences, n_static_features


def forecast(estimator, X, n_steps, *, X_future=None):
    """Forecast ``n_steps`` values past the end of each context sequence.

    Parameters
    ----------
    estimator : RNNRegressor
        A fitted regressor reading ``n_features >= n_outputs`` features per step,
        of which the first ``n_outputs`` are the targets.
    X : array-like of shape (n_samples, n_timesteps, n_features) or \
            (n_samples, n_timesteps), or list of arrays of shape \
            (n_timesteps_i, n_features)
        Context sequences, as ``predict`` takes them (ragged allowed).
    n_steps : int
        Number of values to forecast, at least 1.
    X_future : array-like of shape (n_samples, n_steps, n_features - n_outputs) \
            or None, default=None
        Future values of the exogenous features: ``X_future[:, j]`` go with the
        ``j``-th forecast value. Required exactly when ``n_features > n_outputs``.
        The last step is never read (it would only enter value ``n_steps + 1``).

    Returns
    -------
    y : ndarray of shape (n_samples, n_steps) or (n_samples, n_steps, n_outputs)
        The forecasts; ``(n_samples, n_steps)`` when ``predict`` gives one value
        per sample or step (single-output targets fitted 1-D).
    """
    check_is_fitted(estimator)
    n_steps = _check_n_steps(n_steps)
    n_static = n_static_features(estimator)
    if n_static:
        raise ValueError(
            f"forecast cannot extend a model fitted with {n_static} static "
            f"column(s) (n_timesteps={estimator._n_timesteps}): it feeds each "
            "prediction back as the next step's features, and the static ones "
            "belong to no step. Fit on 3-D sequences with the static features "
            "repeated as features of every step to forecast them as exogenous "
            "features."
        )
    dtype = estimator.output_bias_.dtype
    X, lengths = check_sequences(estimator, X, reset=False, dtype=dtype)
    n_samples, _, n_features = X.shape
    n_outputs = estimator.output_bias_.shape[0]
    exogenous = _check_future(X_future, n_samples, n_steps, n_features, n_outputs)
    exogenous = exogenous.astype(dtype, copy=False)
    if estimator.output_sequence and estimator.bidirectional:
        raise ValueError(
            "forecast cannot carry a bidirectional next-step model forward: its "
            "backward direction reads each sequence from its end, so every new "
            "value would change all earlier outputs. Use a unidirectional model, "
            "or call predict on the growing sequences."
        )
    if estimator.output_sequence:
        with blas_threads_for(estimator, n_samples):  # predict's BLAS threads
            Y = _carry_states(estimator, X, lengths, n_steps, exogenous)
    else:
        Y = _slide_windows(estimator, X, lengths, n_steps, exogenous)
    decoded = estimator._decode_targets(Y.reshape(n_samples * n_steps, n_outputs))
    return decoded.reshape((n_samples, n_steps) + decoded.shape[1:])


def _check_n_steps(n_steps):
    if not isinstance(n_steps, Integral) or isinstance(n_steps, bool):
        raise TypeError(f"n_steps must be an int, got {n_steps!r}.")
    if n_steps < 1:
        raise ValueError(f"n_steps must be at least 1, got {n_steps}.")
    return int(n_steps)


def _check_future(X_future, n_samples, n_steps, n_features, n_outputs):
    """The exogenous inputs ``(n_samples, n_steps, n_features - n_outputs)``."""
    n_exogenous = n_features - n_outputs
    if n_exogenous < 0:
        raise ValueError(
            f"forecast feeds each prediction back as the next input, but this "
            f"model predicts {n_outputs} values from {n_features} input features "
            "per step: the targets must be the first n_outputs input features."
        )
    if n_exogenous == 0:
        if X_future is not None:
            raise ValueError(
                f"X_future was given, but the model's {n_features} input features "
                "are all forecast targets: there are no exogenous features."
            )
        return np.empty((n_samples, n_steps, 0))
    if X_future is None:
        raise ValueError(
            f"The model reads {n_features} features per step but forecasts "
            f"{n_outputs}: the other {n_exogenous} (exogenous) features must be "
            f"given for the future, as X_future of shape (n_samples, n_steps, "
            f"{n_exogenous}) = {(n_samples, n_steps, n_exogenous)}."
        )
    future = check_array(X_future, allow_nd=True, input_name="X_future")
    if future.ndim == 2 and n_exogenous == 1:
        future = future[:, :, None]
    if future.shape != (n_samples, n_steps, n_exogenous):
        raise ValueError(
            f"X_future must be of shape (n_samples, n_steps, n_features - "
            f"n_outputs) = {(n_samples, n_steps, n_exogenous)}, got "
            f"{future.shape}."
        )
    return future


def _next_inputs(prediction, exogenous_step):
    """Input of the next step: the prediction, then the exogenous features."""
    return np.concatenate([prediction, exogenous_step], axis=1)


def _carry_states(estimator, X, lengths, n_steps, exogenous):
    """Next-step model: read the context once, then one cell step per value."""
    network, flat = estimator._network, estimator._params_flat()
    Y = np.empty((len(X), n_steps, network.n_outputs), dtype=flat.dtype)
    Z, states = network.forward_states(flat, X, lengths)
    Y[:, 0] = estimator._unscale(Z)  # in the targets' units, as fed back
    for j in range(1, n_steps):
        x = _next_inputs(Y[:, j - 1], exogenous[:, j - 1])[:, None, :]
        Z, states = network.forward_states(flat, x, None, states)
        Y[:, j] = estimator._unscale(Z)
    return Y


def _slide_windows(estimator, X, lengths, n_steps, exogenous):
    """Window model: drop each window's first step, append the prediction."""
    flat = estimator._params_flat()
    n_samples, n_timesteps, _ = X.shape
    last = np.full(n_samples, n_timesteps - 1) if lengths is None else lengths - 1
    rows = np.arange(n_samples)
    window = X.copy()
    Y = np.empty((n_samples, n_steps, estimator._network.n_outputs), dtype=X.dtype)
    for j in range(n_steps):
        patched = network_inputs(estimator, window, lengths)
        Y[:, j] = estimator._unscale(network_outputs(estimator, *patched, flat))
        if j + 1 < n_steps:
            # the padding after each window's end moves too: never read
            window[:, :-1] = window[:, 1:]
            window[rows, last] = _next_inputs(Y[:, j], exogenous[:, j])
    return Y
