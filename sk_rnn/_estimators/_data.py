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


def mean_and_std(values, weights=None):
    """Mean and standard deviation of each column, in float64, without overflow.

    Computed in units of each column's largest magnitude, so that neither the sum
    nor the squares of values near the float64 limit overflow.

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_columns)
        Finite values.
    weights : ndarray of shape (n_rows, n_columns), default=None
        Non-negative weight of each value (None: all equal). A column of no
        weight gets mean and standard deviation 0.

    Returns
    -------
    mean, std : ndarray of shape (n_columns,)
    """
    values = np.asarray(values, dtype=np.float64)
    magnitude = np.abs(values).max(axis=0)
    magnitude[magnitude == 0] = 1.0
    unit = values / magnitude
    if weights is None:
        return unit.mean(axis=0) * magnitude, unit.std(axis=0) * magnitude
    total = weights.sum(axis=0)
    total[total == 0] = 1.0  # no weight: the sums below are 0 too
    mean = (weights * unit).sum(axis=0) / total
    var = (weights * (unit - mean) ** 2).sum(axis=0) / total
    return mean * magnitude, np.sqrt(var) * magnitude


def scale_of(mean, std):
    """``std`` as a divisor: 1 where it is within rounding of the values (ten
    machine epsilons of the mean), so that a constant column is centred, never
    divided by nothing; judged against the values' own size, as scikit-learn's
    ``StandardScaler`` judges it, so that a feature of values near 1e-16 still
    varies."""
    tiny = 10 * np.finfo(np.float64).eps * np.abs(mean)
    return np.where(std <= tiny, 1.0, std)


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


def real_inputs(n_steps, lengths, k, n_features):
    """Which inputs of the patches of :func:`patch_steps` hold a real step, not
    the padding after a sequence's end nor the zeros completing a last patch.

    Returns
    -------
    real : ndarray of bool of shape (n_samples or 1, ceil(n_steps / k), k * n_features)
        One row for all sequences when ``lengths`` is None.

    Examples
    --------
    >>> real_inputs(5, None, 2, 1)[0].tolist()
    [[True, True], [True, True], [True, False]]
    """
    ends = np.array([[n_steps]]) if lengths is None else np.asarray(lengths)[:, None]
    n_patches = -(-n_steps // k)
    real = (np.arange(n_patches * k) < ends).reshape(len(ends), n_patches, k)
    return np.repeat(real, n_features, axis=2)  # a step's features side by side


def fit_patch_scaling(X, real, sample_weight):
    """Weighted mean and scale of each input of the patches, over its real values.

    Each of a patch's ``k * n_features`` inputs is one position of the patch: on
    series aligned in time (spectra, a repeated cycle) the positions differ in
    level and spread even after a per-feature ``SequenceScaler``, as the columns
    of a flattened series do for ``StandardScaler``. Each value weighs as its
    sequence does, so that a weight of 2 is the sequence twice, and 0 none; the
    padding and the zeros completing a last patch do not count.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_patches, k * n_features)
        Patches, as :func:`patch_steps` returns them.
    real : ndarray of bool of shape (n_samples or 1, n_patches, k * n_features)
        Which values are real (:func:`real_inputs`).
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights of a positive sum.

    Returns
    -------
    scaling : ndarray of shape (2, k * n_features)
        The means, then the scales (1 for a constant input, and for an input no
        sequence is long enough to reach, whose mean is 0).
    """
    n_inputs = X.shape[2]
    weights = np.asarray(sample_weight, np.float64)[:, None, None] * real
    mean, std = mean_and_std(X.reshape(-1, n_inputs), weights.reshape(-1, n_inputs))
    return np.stack([mean, scale_of(mean, std)])


def scale_patches(X, real, scaling):
    """Standardise each input of the patches ``X`` with ``scaling`` (None: as they
    are); what is not ``real`` (:func:`real_inputs`) becomes zero, the mean."""
    if scaling is None:
        return X
    # Each term divided first: the difference of two values near the float64
    # limit would overflow.
    mean, scale = scaling.astype(X.dtype)  # float32 stays float32
    return np.where(real, X / scale - mean / scale, X.dtype.type(0))


def network_inputs(est, X, lengths):
    """What ``est``'s network reads of validated sequences: patches of
    ``patch_size_`` steps, each input standardised with the fitted scaling.

    Returns
    -------
    X : ndarray of shape (n_samples, ceil(n_timesteps / patch_size_), n_inputs)
        Zeros after each sequence's end.
    lengths : ndarray of shape (n_samples,) or None
    """
    k, scaling = est.patch_size_, est._patch_scaling
    patches, patch_lengths = patch_steps(X, lengths, k)
    if scaling is None:
        return patches, patch_lengths
    real = real_inputs(X.shape[1], lengths, k, X.shape[2])
    return scale_patches(patches, real, scaling), patch_lengths
