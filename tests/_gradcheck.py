"""Finite-difference gradient checking for the tests (private to the test suite)."""

import numpy as np


def numerical_gradient(func, x, eps=1e-6):
    """Central-difference gradient of a scalar function of a flat float64 vector.

    Parameters
    ----------
    func : callable
        ``func(x) -> float``.
    x : ndarray of shape (n,)
        The point; left unchanged on return.
    eps : float, default=1e-6
        Step of the central differences.

    Returns
    -------
    grad : ndarray of shape (n,)
    """
    grad = np.empty_like(x)
    for j in range(x.size):
        saved = x[j]
        x[j] = saved + eps
        upper = func(x)
        x[j] = saved - eps
        lower = func(x)
        x[j] = saved
        grad[j] = (upper - lower) / (2 * eps)
    return grad


def relative_error(a, b):
    """``||a - b|| / max(||a|| + ||b||, tiny)``: zero only where both agree."""
    scale = max(np.linalg.norm(a) + np.linalg.norm(b), np.finfo(float).tiny)
    return np.linalg.norm(a - b) / scale
