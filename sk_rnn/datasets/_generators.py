"""Generators of the classic toy tasks for recurrent networks.

Each returns ``X`` of shape ``(n_samples, n_timesteps, n_features)`` (3-D even for one
feature; ``X[:, :, 0]`` is the 2-D univariate form) and its targets, drawn from
``random_state`` alone.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params

_PARAMS = {
    "n_samples": [Interval(Integral, 1, None, closed="left")],
    "random_state": ["random_state"],
}


def _check_range(name, value):
    """Return ``(low, high)`` from a pair of reals with ``low <= high``."""
    try:
        low, high = (float(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be a pair (low, high) of real numbers, got {value!r}."
        ) from exc
    if not (np.isfinite(low) and np.isfinite(high) and low <= high):
        raise ValueError(
            f"{name} must be a pair (low, high) of finite numbers with low <= high, "
            f"got {value!r}."
        )
    return low, high


@validate_params(
    {**_PARAMS, "n_timesteps": [Interval(Integral, 1, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def make_binary_sum(n_samples=100, n_timesteps=10, *, random_state=None):
    """Binary sequences and the number of ones in each: a task for a linear RNN.

    Each step is 0 or 1 with equal probability; the target is the count of ones. A
    linear RNN with one hidden unit solves it exactly, with the recurrent weight 1
    and the input-to-output gain 1, for sequences of any length.

    Parameters
    ----------
    n_samples : int, default=100
        Number of sequences.
    n_timesteps : int, default=10
        Length of each sequence.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw; an int gives the same data on every call.

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, 1)
        The binary sequences, as floats.
    y : ndarray of shape (n_samples,)
        The number of ones in each sequence, as floats.

    See Also
    --------
    make_adding_problem : Sum of two marked values hidden in a long sequence.

    Examples
    --------
    >>> from sk_rnn.datasets import make_binary_sum
    >>> X, y = make_binary_sum(n_samples=3, n_timesteps=5, random_state=0)
    >>> X.shape, y.shape
    ((3, 5, 1), (3,))
    >>> X[0, :, 0], float(y[0])
    (array([0., 1., 1., 0., 1.]), 3.0)
    """
    rng = check_random_state(random_state)
    X = rng.randint(0, 2, size=(n_samples, n_timesteps, 1)).astype(np.float64)
    return X, X.sum(axis=(1, 2))


@validate_params(
    {
        **_PARAMS,
        "n_timesteps": [Interval(Integral, 1, None, closed="left")],
        "period": [Interval(Real, 0, None, closed="neither")],
        "noise": [Interval(Real, 0, None, closed="left")],
        "output_sequence": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_sine(
    n_samples=100,
    n_timesteps=20,
    *,
    period=20.0,
    noise=0.0,
    output_sequence=False,
    random_state=None,
):
    """Windows of a sine wave and the value that follows: one-step forecasting.

    Sequence ``i`` reads ``s_i(t) = sin(2 pi t / period + phi_i) + noise * e_it`` for
    ``t = 0, ..., n_timesteps - 1``, with a phase ``phi_i`` uniform in ``[0, 2 pi)``
    and standard normal ``e_it``. The target is the next value ``s_i(n_timesteps)``,
    or, with ``output_sequence=True``, the whole sequence shifted by one step,
    ``s_i(1), ..., s_i(n_timesteps)``.

    Parameters
    ----------
    n_samples : int, default=100
        Number of windows.
    n_timesteps : int, default=20
        Length of each window.
    period : float, default=20.0
        Period of the wave, in timesteps.
    noise : float, default=0.0
        Standard deviation of the Gaussian noise added to every value, targets
        included.
    output_sequence : bool, default=False
        Return the shifted sequence as target instead of the next value.
    random_state : int, RandomState instance or None, default=None
        Seeds the phases and the noise.

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, 1)
        The windows.
    y : ndarray of shape (n_samples,) or (n_samples, n_timesteps)
        The next value, or the next value of every step if ``output_sequence``.

    See Also
    --------
    make_ramps : Straight lines, for next-step sequence-to-sequence learning.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_rnn.datasets import make_sine
    >>> X, y = make_sine(n_samples=4, n_timesteps=10, random_state=0)
    >>> X.shape, y.shape
    ((4, 10, 1), (4,))
    >>> X, Y = make_sine(n_samples=4, n_timesteps=10, output_sequence=True,
    ...                  random_state=0)
    >>> Y.shape
    (4, 10)
    >>> bool(np.allclose(Y[:, :-1], X[:, 1:, 0]))   # the input shifted by one step
    True
    """
    rng = check_random_state(random_state)
    phase = rng.uniform(0.0, 2.0 * np.pi, size=(n_samples, 1))
    t = np.arange(n_timesteps + 1)
    series = np.sin(2.0 * np.pi * t / period + phase)
    if noise > 0:
        series += noise * rng.standard_normal(series.shape)
    X = series[:, :-1, None]
    y = series[:, 1:] if output_sequence else series[:, -1]
    return np.ascontiguousarray(X), np.ascontiguousarray(y)


@validate_params(
    {
        **_PARAMS,
        "n_timesteps": [Interval(Integral, 1, None, closed="left")],
        "position": [Interval(Integral, 0, None, closed="left")],
        "noise": [Interval(Real, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def make_memory_task(
    n_samples=100, n_timesteps=20, *, position=0, noise=1.0, random_state=None
):
    """Classify a sequence by the sign of one early element hidden in noise.

    Step ``position`` of each sequence holds ``+1`` or ``-1`` with equal
    probability; every other step is Gaussian noise of standard deviation
    ``noise``. The label is 1 for ``+1`` and 0 for ``-1``. The network must carry
    that sign through ``n_timesteps - position - 1`` steps of noise, which is hard
    for the Elman cell when the gap is long and easy for gated cells.

    Parameters
    ----------
    n_samples : int, default=100
        Number of sequences.
    n_timesteps : int, default=20
        Length of each sequence.
    position : int, default=0
        Step holding the sign; must be less than ``n_timesteps``.
    noise : float, default=1.0
        Standard deviation of the noise at the other steps.
    random_state : int, RandomState instance or None, default=None
        Seeds the signs and the noise.

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, 1)
        The sequences.
    y : ndarray of shape (n_samples,)
        The labels, 0 or 1 (``X[:, position, 0] > 0``).

    See Also
    --------
    make_adding_problem : A regression task that needs a long memory.

    Examples
    --------
    >>> from sk_rnn.datasets import make_memory_task
    >>> X, y = make_memory_task(n_samples=6, n_timesteps=30, random_state=0)
    >>> X.shape, y.shape
    ((6, 30, 1), (6,))
    >>> X[:, 0, 0], y
    (array([-1.,  1.,  1., -1.,  1.,  1.]), array([0, 1, 1, 0, 1, 1]))
    """
    if position >= n_timesteps:
        raise ValueError(
            f"position must be less than n_timesteps={n_timesteps}, got {position}."
        )
    rng = check_random_state(random_state)
    sign = rng.choice(np.array([-1.0, 1.0]), size=n_samples)
    X = noise * rng.standard_normal((n_samples, n_timesteps, 1))
    X[:, position, 0] = sign
    return X, (sign > 0).astype(np.int64)


@validate_params(
    {
        **_PARAMS,
        "n_timesteps": [Interval(Integral, 1, None, closed="left")],
        "start_range": ["array-like"],
        "slope_range": ["array-like"],
        "output_sequence": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_ramps(
    n_samples=100,
    n_timesteps=10,
    *,
    start_range=(-1.0, 1.0),
    slope_range=(-0.2, 0.2),
    output_sequence=True,
    random_state=None,
):
    """Straight lines and their next values: next-step sequence-to-sequence.

    Sequence ``i`` is the ramp ``x_i(t) = a_i + b_i t`` for ``t = 0, ...,
    n_timesteps - 1``, with start ``a_i`` uniform in ``start_range`` and slope
    ``b_i`` uniform in ``slope_range``. Its target is the same ramp one step ahead,
    ``x_i(1), ..., x_i(n_timesteps)``, so ``[[1], [2], [3], [4]]`` maps to
    ``[[2], [3], [4], [5]]``; with ``output_sequence=False`` only the next value
    ``x_i(n_timesteps)``.

    Parameters
    ----------
    n_samples : int, default=100
        Number of ramps.
    n_timesteps : int, default=10
        Length of each ramp.
    start_range : (float, float), default=(-1.0, 1.0)
        Range ``(low, high)`` of the starting values; ``low == high`` fixes it.
    slope_range : (float, float), default=(-0.2, 0.2)
        Range ``(low, high)`` of the slopes; ``low == high`` fixes it.
    output_sequence : bool, default=True
        Return the shifted sequence as target; if False, only the next value.
    random_state : int, RandomState instance or None, default=None
        Seeds the starts and slopes.

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, 1)
        The ramps.
    y : ndarray of shape (n_samples, n_timesteps) or (n_samples,)
        The ramps one step ahead, or their next value.

    See Also
    --------
    make_sine : Windows of a sine wave, for one-step forecasting.

    Examples
    --------
    >>> from sk_rnn.datasets import make_ramps
    >>> X, y = make_ramps(n_samples=1, n_timesteps=4, start_range=(1, 1),
    ...                   slope_range=(1, 1))
    >>> X[0]
    array([[1.],
           [2.],
           [3.],
           [4.]])
    >>> y[0]
    array([2., 3., 4., 5.])
    >>> X, y = make_ramps(n_samples=50, output_sequence=False, random_state=0)
    >>> X.shape, y.shape
    ((50, 10, 1), (50,))
    """
    start_low, start_high = _check_range("start_range", start_range)
    slope_low, slope_high = _check_range("slope_range", slope_range)
    rng = check_random_state(random_state)
    start = rng.uniform(start_low, start_high, size=(n_samples, 1))
    slope = rng.uniform(slope_low, slope_high, size=(n_samples, 1))
    ramps = start + slope * np.arange(n_timesteps + 1)
    X = np.ascontiguousarray(ramps[:, :-1, None])
    y = ramps[:, 1:] if output_sequence else ramps[:, -1]
    return X, np.ascontiguousarray(y)


@validate_params(
    {**_PARAMS, "n_timesteps": [Interval(Integral, 2, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def make_adding_problem(n_samples=100, n_timesteps=50, *, random_state=None):
    """The adding problem of Hochreiter & Schmidhuber (1997): a long-memory test.

    Each sequence has two channels. Channel 0 holds values uniform in ``[0, 1]``;
    channel 1 is 0 except for one marker (1) in the first half,
    ``t < n_timesteps // 2``, and one in the second half. The target is the sum of
    the two marked values of channel 0. Predicting the constant 1 gives an R² near
    0; solving it means remembering a value across up to ``n_timesteps`` steps.

    Parameters
    ----------
    n_samples : int, default=100
        Number of sequences.
    n_timesteps : int, default=50
        Length of each sequence, at least 2.
    random_state : int, RandomState instance or None, default=None
        Seeds the values and the marker positions.

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, 2)
        Values (channel 0) and markers (channel 1).
    y : ndarray of shape (n_samples,)
        Sum of the two marked values, in ``[0, 2]``.

    See Also
    --------
    make_memory_task : A classification task that needs a long memory.

    References
    ----------
    S. Hochreiter and J. Schmidhuber, "Long short-term memory", Neural Computation
    9(8), 1735-1780, 1997.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_rnn.datasets import make_adding_problem
    >>> X, y = make_adding_problem(n_samples=5, n_timesteps=50, random_state=0)
    >>> X.shape, y.shape
    ((5, 50, 2), (5,))
    >>> X[:, :, 1].sum(axis=1)                      # two markers per sequence
    array([2., 2., 2., 2., 2.])
    >>> bool(np.allclose(y, (X[:, :, 0] * X[:, :, 1]).sum(axis=1)))
    True
    """
    rng = check_random_state(random_state)
    half = n_timesteps // 2
    X = np.zeros((n_samples, n_timesteps, 2))
    X[:, :, 0] = rng.uniform(0.0, 1.0, size=(n_samples, n_timesteps))
    rows = np.arange(n_samples)
    X[rows, rng.randint(0, half, size=n_samples), 1] = 1.0
    X[rows, rng.randint(half, n_timesteps, size=n_samples), 1] = 1.0
    y = (X[:, :, 0] * X[:, :, 1]).sum(axis=1)
    return X, y
