"""Common mistakes that would otherwise pass silently, named with their fix.

Each check reads only shapes, types or one cheap summary of the data, and runs
before any math: containers from the time-series libraries that are not arrays of
sequences, targets laid out per timestep for a many-to-one model, and inputs far
from the unit scale that recurrent cells expect.
"""

import warnings
from collections.abc import Mapping

import numpy as np
from scipy.sparse import issparse
from sklearn.base import is_classifier

from ..exceptions import ChannelsFirstWarning
from ._data import mean_and_std

# Inputs whose features reach this far from zero (mean or spread) get a warning.
UNSCALED = 100.0
# 3-D inputs with this many times more features than steps (and at least
# CHANNELS_FIRST_MIN_FEATURES of them), whose neighbouring features correlate like
# neighbouring points of a series, look channels-first.
CHANNELS_FIRST_RATIO = 8
CHANNELS_FIRST_MIN_FEATURES = 16
CHANNELS_FIRST_CORRELATION = 0.5


def refuse_containers(X, input_name="X"):
    """Refuse dicts and the pandas layouts that are not one row per sequence."""
    if isinstance(X, Mapping) and not issparse(X):  # a dok_array is a dict
        raise TypeError(
            f"{input_name} is a {type(X).__name__}; pass the sequences as an array "
            "of shape (n_samples, n_timesteps, n_features), or a list of arrays of "
            "shape (n_timesteps, n_features)."
        )
    index = getattr(X, "index", None)
    if not hasattr(X, "columns") or index is None:
        return
    if getattr(index, "nlevels", 1) > 1:
        raise ValueError(
            f"{input_name} is a DataFrame with a {index.nlevels}-level row index: the "
            "long format, one row per (sequence, timestep), as in sktime's "
            "multi-index format. Convert it to one 3-D array, e.g. for equal "
            "lengths X.to_numpy().reshape(n_sequences, n_timesteps, -1) after "
            "X.sort_index(), or a list of per-sequence arrays: "
            "[g.to_numpy() for _, g in X.groupby(level=0)]."
        )
    for label, dtype in X.dtypes.items():
        if dtype.kind == "O" and len(X) and _is_array_like(X[label].iloc[0]):
            raise TypeError(
                f"{input_name} is a nested DataFrame (column {label!r} holds a "
                "series in each cell: sktime's nested format, one column per "
                "channel). Convert it to a 3-D array (n_samples, n_timesteps, "
                "n_features): np.stack([np.stack([np.asarray(cell) for cell in row], "
                "axis=-1) for row in X.to_numpy()])."
            )


def _is_array_like(value):
    return hasattr(value, "__len__") and not isinstance(value, str | bytes)


def check_per_step_targets(est, y, X):
    """A target per timestep for a model with one output per sequence.

    The classifier refuses it; the regressor warns, since several outputs per
    sequence are also legitimate.
    """
    try:  # ragged per-step targets (a list of arrays) have no 2-D shape
        shape = np.shape(y) if hasattr(y, "shape") or isinstance(y, list) else ()
    except ValueError:
        return
    n_steps = X.shape[1]
    if est.output_sequence or len(shape) != 2 or n_steps < 2 or shape[1] != n_steps:
        return
    advice = (
        f"y has shape {shape}: one target per timestep of X's {n_steps}. For one "
        "prediction per timestep, set output_sequence=True"
    )
    if is_classifier(est):
        raise ValueError(f"{advice}; otherwise pass y of shape (n_samples,).")
    warnings.warn(
        f"{advice}; as it is, the model predicts {n_steps} outputs from each "
        "sequence's last state.",
        UserWarning,
        stacklevel=6,  # this, start, fit, the estimator's fit, _fit_context
    )


def warn_if_unscaled(X, lengths, stacklevel):
    """Warn when features lie far from unit scale, and say how to scale them."""
    if lengths is None:
        values = X.reshape(-1, X.shape[-1])
    else:
        values = X[np.arange(X.shape[1]) < lengths[:, None]]
    mean, spread = mean_and_std(values)
    worst = int(np.argmax(np.maximum(np.abs(mean), spread)))
    if max(abs(mean[worst]), spread[worst]) > UNSCALED:
        warnings.warn(
            f"X is far from unit scale (feature {worst}: mean {mean[worst]:.3g}, "
            f"standard deviation {spread[worst]:.3g}); recurrent cells saturate "
            "on such inputs and learn little. Standardise it first, e.g. "
            "make_pipeline(SequenceScaler(), estimator).",
            UserWarning,
            stacklevel=stacklevel,
        )


def warn_if_channels_first(X, stacklevel):
    """Warn when a 3-D ``X`` has many more features than steps.

    aeon and sktime hold sequences as ``(n_cases, n_channels, n_timepoints)``; such
    an array passed unchanged reads as a few long "steps" of many features, whose
    neighbours correlate as a series' points do.
    """
    _, n_steps, n_features = X.shape
    if n_features < max(CHANNELS_FIRST_RATIO * n_steps, CHANNELS_FIRST_MIN_FEATURES):
        return
    # Series are smooth along time; embeddings and one-hot codes are not smooth
    # along their features.
    rows = X[:100].reshape(-1, n_features).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = np.corrcoef(rows[:, :-1].ravel(), rows[:, 1:].ravel())[0, 1]
    if correlation > CHANNELS_FIRST_CORRELATION:
        warnings.warn(
            f"X has {n_steps} timestep(s) of {n_features} features: it looks "
            "channels-first, (n_cases, n_channels, n_timepoints) as aeon and sktime "
            "hold sequences, whereas sk_rnn reads (n_samples, n_timesteps, "
            "n_features). If so, pass X.transpose(0, 2, 1).",
            ChannelsFirstWarning,
            stacklevel=stacklevel,
        )


def warn_if_activation_ignored(est, stacklevel):
    """Warn when ``activation`` is set for a gated cell, which ignores it."""
    if est.cell != "rnn" and est.activation != "tanh":
        warnings.warn(
            f"activation={est.activation!r} applies to the Elman cell only; "
            f"cell={est.cell!r} ignores it (the default cell is 'gru' since 0.2.0). "
            "Set cell='rnn' for an Elman network with this activation.",
            UserWarning,
            stacklevel=stacklevel,
        )
