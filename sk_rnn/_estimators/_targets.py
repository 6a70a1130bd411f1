"""Targets: what the loss reads, and one output per timestep.

Each estimator encodes ``y`` into the rows ``(n_samples, n_outputs)`` that its loss
reads (its ``_encode_targets`` hook). With ``output_sequence=True`` the per-timestep
targets are flattened over the real (unpadded) steps, so that hook and the scoring
serve them unchanged, and scattered back into the ``(n_samples, n_timesteps,
n_outputs)`` layout the loss reads (:func:`encode`).
"""

import numpy as np

from .._backend import step_mask


def real_steps(lengths, n_samples, n_timesteps):
    """Boolean ``(n_samples, n_timesteps)`` mask of the real steps."""
    if lengths is None:
        return np.ones((n_samples, n_timesteps), dtype=bool)
    return step_mask(lengths, n_timesteps)


def flatten_step_targets(y, mask, input_name="y"):
    """Targets of the real steps, ``(n_real_steps,)`` or ``(n_real_steps, n_outputs)``.

    Parameters
    ----------
    y : array-like of shape (n_samples, n_timesteps) or \
            (n_samples, n_timesteps, n_outputs), or list of arrays of shape \
            (n_timesteps_i,) or (n_timesteps_i, n_outputs)
        One target per timestep: in an array, values at padded steps are ignored;
        in a list, each sequence's array has exactly one target per real step.
    mask : ndarray of shape (n_samples, n_timesteps)
        The real steps of ``X``.
    input_name : str, default="y"
        What error messages call ``y``.
    """
    lengths = mask.sum(axis=1)
    # A list holds one array per sequence, each as long as its sequence, even
    # when they happen to stack into an array: extra targets would be lost.
    per_sequence = isinstance(y, list | tuple) and all(np.ndim(p) >= 1 for p in y)
    try:
        y_array = None if per_sequence else np.asarray(y)
    except ValueError:  # a ragged list: one array per sequence
        y_array = None
    if y_array is None or y_array.dtype == object and y_array.ndim == 1:
        if len(y) != len(lengths):
            raise ValueError(
                f"With output_sequence=True, {input_name} needs one array of targets "
                f"per sequence: got {len(y)} for {len(lengths)} sequences."
            )
        parts = [np.asarray(part) for part in y]
        for i, (part, n) in enumerate(zip(parts, lengths)):
            if part.ndim not in (1, 2) or len(part) != n:
                raise ValueError(
                    f"With output_sequence=True, {input_name} needs one target per "
                    f"timestep: sequence {i} has {n} steps but its targets have "
                    f"shape {part.shape}. Pass targets padded to n_timesteps as an "
                    "array, whose values at padded steps are ignored."
                )
        return np.concatenate(parts)
    if y_array.ndim not in (2, 3) or y_array.shape[:2] != mask.shape:
        raise ValueError(
            f"With output_sequence=True, {input_name} must be of shape (n_samples, "
            f"n_timesteps) or (n_samples, n_timesteps, n_outputs) = {mask.shape} "
            f"(+ n_outputs), or a list of per-sequence arrays; got shape "
            f"{y_array.shape}."
        )
    return y_array[mask]


def scatter_steps(values, mask):
    """Put per-step rows back in ``(n_samples, n_timesteps, ...)``, zeros elsewhere."""
    out = np.zeros(mask.shape + values.shape[1:], dtype=values.dtype)
    out[mask] = values
    return out


def split_steps(values, mask, lengths):
    """Per-step results as ``(n_samples, n_timesteps, ...)``, or a list if ragged."""
    if lengths is None:
        return values.reshape(mask.shape + values.shape[1:])
    return np.split(values, np.cumsum(lengths)[:-1])


def encode(est, y, X, lengths, **kwargs):
    """Training targets ``Y`` and the targets the validation score reads.

    ``kwargs`` go to the estimator's ``_encode_targets``; per-timestep targets are
    encoded as if each real step were a sample.
    """
    if not est.output_sequence:
        return est._encode_targets(y, **kwargs)
    mask = real_steps(lengths, *X.shape[:2])
    name = kwargs.get("input_name", "y")
    y_steps = flatten_step_targets(y, mask, name)
    Y_steps, _ = est._encode_targets(y_steps, **kwargs)
    Y = scatter_steps(Y_steps, mask)
    return Y, Y  # the score decodes the encoded targets of the real steps
