"""Hidden-state nonlinearities of the recurrent cells, each with its derivative.

Every activation ``act(X, out)`` writes into ``out`` (``X`` itself for in place), and
every derivative is computed from the activation's *output* (as in scikit-learn's
``_base.py``), so backpropagation needs only the stored hidden states, never the
pre-activations.

``tanh`` is NumPy's own everywhere: exact to an ulp, near zero too, in both dtypes.
The gates' sigmoids go through one ``exp``::

    sigmoid(a) = 1 / (1 + exp(-a))

where an overflowing ``exp`` gives the right limit, 0, so they run under
``np.errstate(over="ignore")``. The gated cells fold the ``-1`` into their weights,
so the pre-activations arrive already negated (:func:`sigmoid_of_scaled`).
"""

import numpy as np


def exp_scale(gates, n_hidden, dtype):
    """Per-row factors that turn gate pre-activations into what each gate reads.

    Parameters
    ----------
    gates : str
        The nonlinearity of each gate block: ``"s"`` for a sigmoid through ``exp``
        (factor -1), ``"t"`` for ``np.tanh`` (factor 1).
    n_hidden : int
        Rows of each gate block.
    dtype : dtype

    Returns
    -------
    scale : ndarray of shape (len(gates) * n_hidden,)

    Examples
    --------
    >>> exp_scale("st", 2, np.float32)
    array([-1., -1.,  1.,  1.], dtype=float32)
    """
    factors = [-1.0 if kind == "s" else 1.0 for kind in gates]
    return np.repeat(np.array(factors, dtype=dtype), n_hidden)


def sigmoid_of_scaled(Z):
    """Turn ``Z = -a`` into ``sigmoid(a) = 1 / (1 + exp(-a))``, in place.

    Under ``errstate(over=...)``: an overflowing ``exp`` gives 0, the right limit.
    """
    np.exp(Z, out=Z)
    Z += 1.0
    np.divide(1.0, Z, out=Z)  # np.reciprocal takes up to 1.8x as long


def tanh(X, out):
    """Write ``tanh(X)`` into ``out`` (which may be ``X``)."""
    np.tanh(X, out=out)


def relu(X, out):
    """Write ``max(0, X)`` into ``out`` (which may be ``X``)."""
    np.maximum(X, 0, out=out)


def identity(X, out):
    """Write ``X`` into ``out``: a linear recurrent network."""
    if out is not X:
        out[...] = X


def tanh_derivative(H, out):
    """Write ``tanh'(A)`` into ``out``, from the outputs ``H = tanh(A)``."""
    np.multiply(H, H, out=out)
    np.subtract(1.0, out, out=out)
    return out


def relu_derivative(H, out):
    """Write the ReLU's derivative (one where the output ``H`` is positive)."""
    np.greater(H, 0, out=out)
    return out


def identity_derivative(H, out):
    """Return ``None``: the identity's derivative is one and needs no product."""
    return None


ACTIVATIONS = {
    "tanh": tanh,
    "relu": relu,
    "identity": identity,
}

DERIVATIVES = {
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "identity": identity_derivative,
}
