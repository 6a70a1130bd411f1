"""Hidden-state nonlinearities of the recurrent cells, each with its derivative.

Every activation ``act(X, out)`` writes into ``out`` (``X`` itself for in place), and
every derivative is
computed from the activation's *output* (as in scikit-learn's ``_base.py``), so
backpropagation needs only the stored hidden states, never the pre-activations.

Where NumPy's ``tanh`` is not vectorised (float64 anywhere, float32 on an AVX2
processor) its ``exp`` is: per float32 element there, ``exp`` takes about half the
time of ``tanh`` and a quarter of SciPy's ``expit``, and an add or a division a
tenth of ``exp`` (``benchmarks/README.md``). So the gated cells and large arrays
compute both through one ``exp``::

    sigmoid(a) = 1 / (1 + exp(-a))      tanh(a) = 2 / (1 + exp(-2a)) - 1

where an overflowing ``exp`` gives the right limit (0, or -1 for ``tanh``), so these
run under ``np.errstate(over="ignore")``. The cells fold the ``-1`` and ``-2`` into
their weights, so the pre-activations arrive already scaled
(:func:`sigmoid_of_scaled`, :func:`tanh_of_scaled`). Where NumPy runs float32
``tanh`` in its AVX-512 loop (:data:`SIMD_TANH_FLOAT32`), ``np.tanh`` itself is the
faster ``tanh``: 0.42 ns per element against 0.61 for ``exp`` alone.
"""

import numpy as np

# Below this many float32 elements np.tanh beats the exp route (five calls, or four
# when the caller folds the -2 into its weights: alone they break even at about
# 3000 elements, but with two shards on two threads each call costs more).
EXP_TANH_MIN_SIZE = 6144


def _numpy_tanh_is_avx512():
    """Whether NumPy dispatches float32 ``tanh`` to its AVX-512 (X86_V4) loop.

    Decided from NumPy's own dispatch table, not by timing, so that every process
    on a machine (the training workers included) takes the same route and
    computes bit for bit the same results. NumPy before 2.1 has no table to read:
    ``False``, the ``exp`` route.
    """
    try:
        from numpy.lib.introspect import opt_func_info

        info = opt_func_info(func_name="^tanh$", signature="float32")
        target = str(info["tanh"]["ff"]["current"])
    except Exception:  # an older NumPy, or a table laid out otherwise
        return False
    return target == "X86_V4" or target.startswith("AVX512")


# Whether np.tanh is the fast float32 tanh here (see the module's docstring).
SIMD_TANH_FLOAT32 = _numpy_tanh_is_avx512()


def exp_scale(gates, n_hidden, dtype):
    """Per-row factors that turn gate pre-activations into what ``exp`` wants.

    Parameters
    ----------
    gates : str
        The nonlinearity of each gate block: ``"s"`` for a sigmoid (factor -1),
        ``"t"`` for a tanh (factor -2); ``"ssts"`` for the LSTM's ``i, f, g, o``.
    n_hidden : int
        Rows of each gate block.
    dtype : dtype

    Returns
    -------
    scale : ndarray of shape (len(gates) * n_hidden,)

    Examples
    --------
    >>> exp_scale("st", 2, np.float32)
    array([-1., -1., -2., -2.], dtype=float32)
    """
    factors = [-1.0 if kind == "s" else -2.0 for kind in gates]
    return np.repeat(np.array(factors, dtype=dtype), n_hidden)


def sigmoid_of_scaled(Z, numerator=1.0):
    """Turn ``Z`` into ``numerator / (1 + exp(Z))``, in place.

    Under ``errstate(over=...)``. That is ``sigmoid(a)`` for ``Z = -a``, and
    ``2 sigmoid(2a) = 1 + tanh(a)`` for ``Z = -2a`` and a numerator of 2: with the
    numerator ``-exp_scale(...)`` repeated over the batch (shaped like ``Z``, as
    the LSTM builds it), one call serves the sigmoid and tanh gates of a step
    alike.
    """
    np.exp(Z, out=Z)
    Z += 1.0
    np.divide(numerator, Z, out=Z)  # np.reciprocal takes up to 1.8x as long


def tanh_of_scaled(Z, out=None):
    """Turn ``Z = -2a`` into ``tanh(a) = 2 / (1 + exp(-2a)) - 1``.

    In place, or into ``out`` if given (``Z`` is then left as scratch); under
    ``errstate(over=...)``.
    """
    np.exp(Z, out=Z)
    Z += 1.0
    np.divide(2.0, Z, out=Z)
    np.subtract(Z, 1.0, out=Z if out is None else out)


def simd_tanh(dtype):
    """Whether ``np.tanh`` of ``dtype`` runs in NumPy's AVX-512 loop here."""
    return dtype == np.float32 and SIMD_TANH_FLOAT32


def exp_tanh_pays(size, dtype):
    """Whether a ``tanh`` of ``size`` elements is faster through ``exp``."""
    if dtype != np.float32:
        return True
    return not SIMD_TANH_FLOAT32 and size >= EXP_TANH_MIN_SIZE


def tanh(X, out):
    """Write ``tanh(X)`` into ``out`` (which may be ``X``; under ``errstate``)."""
    if not exp_tanh_pays(X.size, X.dtype):
        np.tanh(X, out=out)
        return
    np.multiply(X, -2.0, out=out)
    tanh_of_scaled(out)


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
