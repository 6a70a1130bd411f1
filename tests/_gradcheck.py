"""Finite differences for the gradient tests."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """Central finite differences of the scalar function ``f`` at ``x``."""
    grad = np.empty_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad
