"""The input contract: what ``X`` may be, checked before any math runs.

- 3-D ``X`` is ``(n_samples, n_timesteps, n_features)``.
- 2-D ``X`` is a batch of univariate series ``(n_samples, n_timesteps)``, exactly
  ``X[:, :, None]``. scikit-learn's contract then holds: ``n_features_in_`` is the
  number of columns, and ``predict`` on 2-D input needs that many columns. Predict
  series of other lengths by passing them as 3-D ``(n_samples, n_timesteps, 1)``.
- A model fitted on 3-D data predicts sequences of any length with the fitted number of
  features; if that number is one, 2-D input of any length is read as univariate.
"""

import numpy as np
from sklearn.utils.validation import check_array, validate_data

FLOAT_DTYPES = (np.float64, np.float32)


def _ndim(X):
    """Number of dimensions of ``X`` without converting it, if it can tell."""
    ndim = getattr(X, "ndim", None)
    if ndim is not None:
        return ndim
    try:
        return np.asarray(X).ndim
    except ValueError as exc:  # ragged nested lists
        raise ValueError(
            "X must be a rectangular array: its sequences have different lengths or "
            "shapes."
        ) from exc


def check_sequences(estimator, X, *, reset, dtype=FLOAT_DTYPES):
    """Validate ``X`` and return it as a 3-D float array.

    Parameters
    ----------
    estimator : estimator instance
        Where ``n_features_in_`` (and ``_n_input_features``, ``_fit_on_2d``) are set
        when ``reset`` is true and read otherwise.
    X : array-like of shape (n_samples, n_timesteps, n_features) or \
            (n_samples, n_timesteps)
    reset : bool
        Whether this is the first call of ``fit``.
    dtype : dtype or tuple of dtypes, default=(float64, float32)

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
    """
    name = type(estimator).__name__
    ndim = _ndim(X)
    fit_on_2d = getattr(estimator, "_fit_on_2d", False)
    if ndim == 2 and (reset or fit_on_2d):
        # scikit-learn's own checks: feature names, column count, NaN, dtype.
        X = validate_data(estimator, X, reset=reset, dtype=dtype, ensure_min_features=1)
        if reset:
            estimator._fit_on_2d = True
            estimator._n_input_features = 1
        return X[:, :, None]
    if ndim == 2:
        X = check_array(X, dtype=dtype, input_name="X")
        X = X[:, :, None]
    elif ndim == 3:
        X = check_array(X, dtype=dtype, allow_nd=True, input_name="X")
    else:
        raise ValueError(
            f"{name} expects X of shape (n_samples, n_timesteps, n_features), or "
            f"(n_samples, n_timesteps) for univariate series; got a {ndim}-D array "
            f"of shape {np.shape(X)}. Reshape your data, e.g. X.reshape(1, -1) for "
            "one univariate series."
        )
    n_samples, n_timesteps, n_features = X.shape
    if n_samples == 0 or n_timesteps == 0 or n_features == 0:
        raise ValueError(
            f"Found array with shape {X.shape}: {name} needs at least one sample, "
            "one timestep and one feature."
        )
    if reset:
        validate_data(estimator, X[:1, 0, :], reset=True, skip_check_array=True)
        estimator._fit_on_2d = False
        estimator._n_input_features = n_features
    elif n_features != estimator._n_input_features:
        raise ValueError(
            f"X has {n_features} features per timestep, but {name} is expecting "
            f"{estimator._n_input_features} features per timestep as input."
        )
    return X
