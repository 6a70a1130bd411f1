"""Hidden-state nonlinearities of the recurrent cells, each with its derivative.

Every activation works in place on a pre-activation array, and every derivative is
computed from the activation's *output* (as in scikit-learn's ``_base.py``), so
backpropagation needs only the stored hidden states, never the pre-activations.
"""

import numpy as np
from scipy.special import expit


def inplace_tanh(X):
    """Apply ``tanh`` to ``X`` in place."""
    np.tanh(X, out=X)


def inplace_relu(X):
    """Apply ``max(0, x)`` to ``X`` in place."""
    np.maximum(X, 0, out=X)


def inplace_identity(X):
    """Leave ``X`` unchanged (a linear recurrent network)."""


def inplace_logistic(X):
    """Apply the logistic sigmoid to ``X`` in place (used by gated cells)."""
    # SciPy's expit never overflows and is one pass, twice as fast as via tanh.
    expit(X, out=X)


def tanh_derivative(H):
    """Return ``tanh'(A)`` from the outputs ``H = tanh(A)``."""
    return 1.0 - H * H


def relu_derivative(H):
    """Return the ReLU's derivative (one where the output ``H`` is positive)."""
    return (H > 0).astype(H.dtype)


def identity_derivative(H):
    """Return ``None``: the identity's derivative is one and needs no product."""
    return None


ACTIVATIONS = {
    "tanh": inplace_tanh,
    "relu": inplace_relu,
    "identity": inplace_identity,
    "logistic": inplace_logistic,
}

DERIVATIVES = {
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "identity": identity_derivative,
}
