"""Validated training and validation data, and the early-stopping split."""

from typing import NamedTuple

import numpy as np
from sklearn.model_selection import train_test_split


class SequenceData(NamedTuple):
    """Validated sequences with what training or scoring reads of them."""

    X: np.ndarray
    """(n_samples, n_timesteps, n_features), zeros after each sequence's end."""
    lengths: np.ndarray | None
    """(n_samples,) real lengths, or None when no sequence is padded."""
    Y: np.ndarray | None
    """(n_samples, n_outputs) training targets; None for validation data."""
    y: np.ndarray
    """Targets as the validation score reads them."""
    sample_weight: np.ndarray
    """(n_samples,) weights in the loss or the score."""

    def take(self, indices):
        """The samples at ``indices``."""
        return SequenceData(*(None if a is None else a[indices] for a in self))


def split_validation(data, fraction, random_state, stratify):
    """Hold out ``fraction`` of the samples for early stopping, as MLP does.

    Returns
    -------
    train, validation : SequenceData
    """
    n_samples = data.X.shape[0]
    try:
        idx_train, idx_val = train_test_split(
            np.arange(n_samples),
            random_state=random_state,
            test_size=fraction,
            stratify=data.y if stratify else None,
        )
    except ValueError as exc:  # too few samples, or of a class, to split
        how = ", stratified by class" if stratify else ""
        raise ValueError(
            f"early_stopping cannot hold out validation_fraction={fraction} of "
            f"n_samples={n_samples}{how} ({str(exc).rstrip('.')}). Pass X_val and "
            "y_val to fit, change validation_fraction or use more data."
        ) from exc
    if len(idx_val) < 2:
        raise ValueError(
            "The validation set is too small. Increase validation_fraction or the "
            "size of your dataset, or pass X_val and y_val to fit."
        )
    return data.take(idx_train), data.take(idx_val)._replace(Y=None)


def mean_and_std(values):
    """Mean and standard deviation of each column, in float64, without overflow.

    Computed in units of each column's largest magnitude, so that neither the sum
    nor the squares of values near the float64 limit overflow.

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_columns)
        Finite values.

    Returns
    -------
    mean, std : ndarray of shape (n_columns,)
    """
    values = np.asarray(values, dtype=np.float64)
    magnitude = np.abs(values).max(axis=0)
    magnitude[magnitude == 0] = 1.0
    unit = values / magnitude
    return unit.mean(axis=0) * magnitude, unit.std(axis=0) * magnitude


# ``patch_size="auto"`` leaves about this many steps for BPTT to run through.
AUTO_PATCH_STEPS = 40


def resolve_patch_size(patch_size, n_steps, output_sequence):
    """The steps a patch holds for a fit on ``n_steps`` (padded) steps.

    ``"auto"`` leaves about ``AUTO_PATCH_STEPS`` steps, ``n_steps // 40``, the rule
    measured on the accuracy benchmark's long series (``docs/good_results.rst``);
    series under 80 steps are read one step at a time. A model that predicts every
    step (``output_sequence=True``) reads one step at a time.

    Examples
    --------
    >>> resolve_patch_size("auto", 1460, False), resolve_patch_size("auto", 64, False)
    (36, 1)
    """
    if patch_size == "auto":
        return 1 if output_sequence else max(1, n_steps // AUTO_PATCH_STEPS)
    if patch_size > 1 and output_sequence:
        raise ValueError(
            f"patch_size={patch_size} reads several steps as one, but "
            "output_sequence=True predicts every step: use patch_size=1 or 'auto'."
        )
    return patch_size


def patch_steps(X, lengths, k):
    """Read every ``k`` consecutive steps as one step (``patch_size``).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Validated sequences, zeros after each one's end.
    lengths : ndarray of shape (n_samples,) or None
        Real lengths, or None when no sequence is padded.
    k : int
        Steps a patch.

    Returns
    -------
    X : ndarray of shape (n_samples, ceil(n_timesteps / k), k * n_features)
        Step ``j`` holds steps ``j * k`` to ``j * k + k - 1`` in order, their
        features side by side; the last is completed with zeros.
    lengths : ndarray of shape (n_samples,) or None
        ``ceil(lengths / k)``.

    Examples
    --------
    >>> import numpy as np
    >>> X, lengths = patch_steps(np.arange(10.0).reshape(1, 5, 2), None, 2)
    >>> X[0].tolist()
    [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 0.0, 0.0]]
    """
    if k == 1:
        return X, lengths
    n_samples, n_steps, n_features = X.shape
    missing = -n_steps % k
    if missing:
        X = np.concatenate([X, np.zeros((n_samples, missing, n_features), X.dtype)], 1)
    X = X.reshape(n_samples, -1, k * n_features)
    return X, None if lengths is None else -(-lengths // k)


def fit_patch_scaling(X, lengths, sample_weight):
    """Weighted mean and scale of each input of the patches, over the real patches.

    Each of a patch's ``k * n_features`` inputs is one position of the patch: on
    series aligned in time (spectra, a repeated cycle) the positions differ in
    level and spread even after a per-feature ``SequenceScaler``, as the columns
    of a flattened series do for ``StandardScaler``. Each patch weighs as its
    sequence does, so that a weight of 2 is the sequence twice, and 0 none.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_patches, k * n_features)
        Patches, as :func:`patch_steps` returns them.
    lengths : ndarray of shape (n_samples,) or None
        Real patches per sequence, or None when no sequence is padded.
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights of a positive sum.

    Returns
    -------
    scaling : ndarray of shape (2, k * n_features)
        The means, then the scales (1 for a constant input).
    """
    _, n_patches, n_inputs = X.shape
    weights = np.asarray(sample_weight, np.float64)[:, None]
    weights = np.broadcast_to(weights, X.shape[:2])
    if lengths is None:
        values, weights = X.reshape(-1, n_inputs), weights.reshape(-1)
    else:
        real = np.arange(n_patches) < lengths[:, None]
        values, weights = X[real], weights[real]
    # in units of each input's largest magnitude: no overflow near 1e308
    magnitude = np.abs(values).max(axis=0).astype(np.float64)
    magnitude[magnitude == 0] = 1.0
    unit = values / magnitude
    mean = np.average(unit, axis=0, weights=weights)
    std = np.sqrt(np.average((unit - mean) ** 2, axis=0, weights=weights))
    mean, std = mean * magnitude, std * magnitude
    tiny = 10 * np.finfo(np.float64).eps * np.maximum(np.abs(mean), 1.0)
    return np.stack([mean, np.where(std < tiny, 1.0, std)])


def scale_patches(X, lengths, scaling):
    """Standardise each input of the patches ``X`` with ``scaling`` (None: as they
    are); the padding after each sequence's end stays zero."""
    if scaling is None:
        return X
    # Each term divided first: the difference of two values near the float64
    # limit would overflow.
    mean, scale = scaling
    X = (X / scale - mean / scale).astype(X.dtype, copy=False)
    if lengths is not None:
        X[np.arange(X.shape[1]) >= lengths[:, None]] = 0
    return X


def network_inputs(est, X, lengths):
    """What ``est``'s network reads of validated sequences: patches of
    ``patch_size_`` steps, each input standardised with the fitted scaling.

    Returns
    -------
    X : ndarray of shape (n_samples, ceil(n_timesteps / patch_size_), n_inputs)
        Zeros after each sequence's end.
    lengths : ndarray of shape (n_samples,) or None
    """
    X, lengths = patch_steps(X, lengths, est.patch_size_)
    return scale_patches(X, lengths, est._patch_scaling), lengths
