"""Synthetic single heartbeats of an ECG, in five classes like ECG5000's.

The waves of a beat follow the dynamical model of McSharry et al. (2003): a point
goes round a limit cycle at the angular speed of the heart rate, and the ECG is the
sum of the P, Q, R, S and T events, Gaussians in the phase ``theta``. On the limit
cycle (radius 1, ``theta = omega t``) and without the model's slow return to the
baseline ``z0``, the model's ODE integrates in closed form to

    z(theta) = sum_i A_i exp(-(theta - theta_i)^2 / (2 b_i^2)),
    A_i = a_i b_i^2 / omega,

which is what is computed here, sample by sample: no ODE is integrated. The
baseline wander, which the model adds through ``z0``, is added to that sum.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, validate_params

CLASS_NAMES = np.array(
    ["normal", "r_on_t_pvc", "pvc", "supraventricular_premature", "unclassified"]
)
# ECG5000's class frequencies: 2919, 1767, 96, 194 and 24 beats of 5000.
ECG5000_WEIGHTS = np.array([2919, 1767, 96, 194, 24]) / 5000

# Events of each class as (phase theta_i in radians from the R peak, height A_i
# with R about 1, width b_i in radians). The normal beat is McSharry et al.'s
# Table 1: theta = -pi/3, -pi/12, 0, pi/12, pi/2 and b = 0.25, 0.1, 0.1, 0.1, 0.4,
# heights a_i b_i^2 scaled so that R is 1.
_NORMAL = [
    (-np.pi / 3, 0.25, 0.25),  # P
    (-np.pi / 12, -0.17, 0.1),  # Q
    (0.0, 1.0, 0.1),  # R
    (np.pi / 12, -0.25, 0.1),  # S
    (np.pi / 2, 0.4, 0.4),  # T
]
# A ventricular beat: no P, a QRS about 2.5 times as wide and taller, and a T wave
# discordant with it (inverted).
_VENTRICULAR = [
    (-0.45, -0.12, 0.2),  # q
    (0.0, 1.2, 0.26),  # wide R
    (0.6, -0.45, 0.22),  # wide S
    (np.pi / 2 + 0.2, -0.55, 0.45),  # inverted T
]
EVENTS = {
    0: _NORMAL,
    # premature ventricular beat landing on the T wave of the beat before
    1: [(-0.7, 0.4, 0.32), *_VENTRICULAR],
    2: _VENTRICULAR,
    # premature atrial beat: a small early P, right after the previous T
    # wave (whose tail opens the window), then a normal QRS and T
    3: [(-2.7, 0.35, 0.4), (-1.6, 0.22, 0.16), *_NORMAL[1:]],
    # none of the above: normal P and QRS, a depressed ST segment, inverted T
    4: [*_NORMAL[:4], (np.pi / 4, -0.2, 0.3), (np.pi / 2, -0.45, 0.4)],
}
# Where the R peak sits, as a fraction of the window: the R-on-T beat comes early.
R_POSITION = {0: 0.45, 1: 0.35, 2: 0.45, 3: 0.45, 4: 0.45}
# The window spans this much phase at the mean rate (one cycle is 2 pi): from
# before the P wave to the end of the T wave.
SPAN = 5.0


def _class_counts(n_samples, weights):
    """Beats per class: ``n_samples * weights`` rounded so that they sum up."""
    exact = n_samples * weights
    counts = np.floor(exact).astype(int)
    # the remainder goes to the largest fractional parts (ties to the first)
    order = np.argsort(counts - exact, kind="stable")
    counts[order[: n_samples - counts.sum()]] += 1
    return counts


def _check_weights(weights):
    if weights is None:
        return ECG5000_WEIGHTS
    try:
        weights = np.asarray(weights, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"weights must be 5 non-negative numbers, got {weights!r}."
        ) from exc
    if weights.shape != (5,):
        raise ValueError(
            f"weights must hold one weight per class, 5 in all; got shape "
            f"{weights.shape}."
        )
    if not np.all(np.isfinite(weights)) or np.any(weights < 0) or weights.sum() <= 0:
        raise ValueError(
            "weights must be finite, non-negative and not all zero; got "
            f"{weights.tolist()}."
        )
    return weights / weights.sum()


def _beat(cls, u, rng):
    """One noise-free beat of class ``cls`` at window positions ``u`` in [0, 1)."""
    rate = rng.uniform(0.85, 1.15)  # phase speed: heart rate over its mean
    r_at = R_POSITION[cls] + rng.uniform(-0.02, 0.02)
    theta = SPAN * rate * (u - r_at)  # phase, 0 at the R peak
    gain = rng.uniform(0.8, 1.2)
    z = np.zeros_like(u)
    for theta_i, height, width in EVENTS[cls]:
        height *= gain * rng.uniform(0.85, 1.15)
        z += height * np.exp(-((theta - theta_i) ** 2) / (2.0 * width**2))
    # baseline wander: a slow wave (breathing) around an offset
    wander = rng.uniform(0.0, 0.1) * np.sin(
        2.0 * np.pi * rng.uniform(0.1, 0.5) * u + rng.uniform(0.0, 2.0 * np.pi)
    )
    return z + wander + rng.uniform(-0.1, 0.1)


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_timesteps": [Interval(Integral, 40, None, closed="left")],
        "weights": ["array-like", None],
        "noise": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_heartbeats(
    n_samples=5000,
    *,
    n_timesteps=140,
    weights=None,
    noise=0.05,
    random_state=None,
    return_X_y=False,
):
    """Synthetic single ECG heartbeats in the five classes of ECG5000.

    Each beat is drawn from the dynamical ECG model of McSharry et al. (2003): the
    P, Q, R, S and T waves are Gaussian events in the phase of a point going round
    a limit cycle at the speed of the heart rate. The model's ODE is not
    integrated: on the limit cycle it has a closed form, the sum of the events'
    Gaussians in the phase, computed at each sample. Every beat varies: its rate
    (the phase speed, +-15 %, which stretches or compresses all waves), the
    position of its R peak (+-2 % of the window), its overall amplitude (+-20 %)
    and that of each wave (+-15 %), and a baseline wander (an offset and a slow
    wave). The five classes are those of ECG5000 (a 140-sample beat from the BIDMC
    congestive heart failure database), labelled 0-4 instead of 1-5:

    0. **normal**: the model's normal beat (McSharry et al.'s Table 1): P, narrow
       QRS, upright T; R at 45 % of the window.
    1. **R-on-T premature ventricular contraction**: a ventricular beat (no P
       wave; a QRS about 2.5 times as wide and taller; an inverted T wave) so
       early that it lands on the T wave of the previous beat, which rises just
       before the QRS; R at 35 % of the window.
    2. **premature ventricular contraction**: the same ventricular beat, no P,
       wide QRS and inverted T, at the normal position with no preceding T wave.
    3. **supraventricular premature beat**: an early P wave (smaller and narrower,
       1.6 rad before R instead of pi/3, right after the previous beat's T wave,
       whose tail opens the window), then a normal narrow QRS and T.
    4. **unclassified**: a normal P and QRS but a depressed ST segment and an
       inverted T wave.

    Parameters
    ----------
    n_samples : int, default=5000
        Number of beats.
    n_timesteps : int, default=140
        Samples per beat (ECG5000's 140), at least 40. Whatever their number,
        the window spans 5 radians of phase at the beat's mean rate (a cycle is
        2 pi), from before the P wave to the end of the T wave.
    weights : array-like of shape (5,) or None, default=None
        Relative frequency of each class (normalised to sum to 1); ``None`` is
        ECG5000's: 58.4 %, 35.3 %, 1.9 %, 3.9 % and 0.5 %. The counts are
        ``n_samples * weights`` rounded to sum to ``n_samples``, in shuffled order.
    noise : float, default=0.05
        Standard deviation of the white Gaussian noise added to every sample (the
        normal R peak is about 1).
    random_state : int, RandomState instance or None, default=None
        Seeds the classes' order, every beat's variations and the noise.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data``, ndarray of shape (n_samples, n_timesteps, 1), the beats;
        ``target``, ndarray of shape (n_samples,), the classes 0-4;
        ``target_names``, ndarray of shape (5,); and ``DESCR``, the description.
    (X, y) : tuple of ndarray
        ``data`` and ``target`` if ``return_X_y`` is True.

    See Also
    --------
    load_sequential_digits : Another offline classification data set.

    References
    ----------
    P. E. McSharry, G. D. Clifford, L. Tarassenko and L. A. Smith, "A dynamical
    model for generating synthetic electrocardiogram signals", IEEE Transactions
    on Biomedical Engineering 50(3), 289-294, 2003.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_rnn.datasets import make_heartbeats
    >>> X, y = make_heartbeats(n_samples=1000, random_state=0, return_X_y=True)
    >>> X.shape, y.shape
    ((1000, 140, 1), (1000,))
    >>> np.bincount(y)                       # imbalanced like ECG5000
    array([584, 353,  19,  39,   5])
    >>> beats = make_heartbeats(n_samples=10, weights=[1, 1, 0, 0, 0],
    ...                         random_state=0)
    >>> beats.target_names[np.unique(beats.target)].tolist()
    ['normal', 'r_on_t_pvc']
    """
    weights = _check_weights(weights)
    rng = check_random_state(random_state)
    y = np.repeat(np.arange(5), _class_counts(n_samples, weights))
    rng.shuffle(y)
    u = np.arange(n_timesteps) / n_timesteps
    X = np.stack([_beat(cls, u, rng) for cls in y])
    if noise > 0:
        X += noise * rng.standard_normal(X.shape)
    X = np.ascontiguousarray(X[:, :, None])
    if return_X_y:
        return X, y
    descr = (
        "Synthetic heartbeats\n--------------------\n\n"
        f"{n_samples} single ECG beats of {n_timesteps} samples from the dynamical "
        "model of McSharry et al. (2003), in ECG5000's five classes: "
        + ", ".join(f"{k} {name}" for k, name in enumerate(CLASS_NAMES))
        + f"; white noise of standard deviation {noise}."
    )
    return Bunch(data=X, target=y, target_names=CLASS_NAMES.copy(), DESCR=descr)
