"""make_heartbeats: the morphology each class promises, measured on the signal."""

import numpy as np
import pytest
from scipy.signal import find_peaks, peak_widths

from sk_rnn.datasets import make_heartbeats

N_TIMESTEPS = 140
NAMES = ["normal", "r_on_t_pvc", "pvc", "supraventricular_premature", "unclassified"]


@pytest.fixture(scope="module")
def beats():
    """200 noise-free beats of each class, as ``{class: (200, 140)}``."""
    X, y = make_heartbeats(
        1000, weights=[1, 1, 1, 1, 1], noise=0.0, random_state=0, return_X_y=True
    )
    return {k: X[y == k, :, 0] for k in range(5)}


def _r_peak(x):
    return int(np.argmax(x))


def _qrs_width(x):
    """Width of the R wave at half its prominence, in samples."""
    return peak_widths(x, [_r_peak(x)], rel_height=0.5)[0][0]


def _p_waves(x):
    """Distances to R (in samples) of the bumps before the QRS.

    A bump is a local maximum of prominence at least 0.05 that ends 8 % of the
    window before R or earlier.
    """
    r = _r_peak(x)
    peaks, _ = find_peaks(x[: r - int(0.08 * len(x))], prominence=0.05)
    return r - peaks


def _t_wave(x):
    """Mean of the T-wave segment (25-40 % of the window after R) over the beat's
    median."""
    r, n = _r_peak(x), len(x)
    return x[r + int(0.25 * n) : r + int(0.4 * n)].mean() - np.median(x)


def test_r_peak_timing(beats):
    # R at 45 % of the window (+-2 %, and the sampling's rounding), the R-on-T
    # beat early, at 35 %.
    for k, x in beats.items():
        r = np.array([_r_peak(b) for b in x]) / N_TIMESTEPS
        low, high = (0.32, 0.38) if k == 1 else (0.42, 0.48)
        assert low <= r.min() and r.max() <= high, (NAMES[k], r.min(), r.max())


def test_qrs_width(beats):
    # Ventricular beats (1, 2) have a QRS about 2.5 times as wide as the others.
    widths = {k: np.array([_qrs_width(b) for b in x]) for k, x in beats.items()}
    for k in (0, 3, 4):
        assert widths[k].max() < 9.0, (NAMES[k], widths[k].max())
    for k in (1, 2):
        assert widths[k].min() > 12.0, (NAMES[k], widths[k].min())
    ratio = np.median(widths[2]) / np.median(widths[0])
    assert 2.0 < ratio < 3.0


def test_p_wave_present_or_absent(beats):
    for k, x in beats.items():
        p_waves = [_p_waves(b) for b in x]
        if k in (1, 2):  # ventricular: no P wave
            assert all(len(p) == 0 for p in p_waves), NAMES[k]
        else:  # exactly one P wave
            assert all(len(p) == 1 for p in p_waves), NAMES[k]


def test_supraventricular_p_wave_comes_early(beats):
    # The normal P wave is pi/3 before R: 25-35 samples at rates of 0.85-1.15
    # (5 rad a window); the premature atrial P is 1.6 rad before R, 39-53.
    normal = np.concatenate([_p_waves(b) for b in beats[0]])
    early = np.concatenate([_p_waves(b) for b in beats[3]])
    assert normal.min() >= 24 and normal.max() <= 36
    assert early.min() >= 38 and early.max() <= 54
    assert early.min() > normal.max()


def test_r_on_t_rises_on_the_previous_t_wave(beats):
    # 20 samples before R, the R-on-T beat is on the previous beat's T wave, well
    # above where the window starts; the PVC, the same beat later, is near it.
    def rise(x):
        return x[_r_peak(x) - 20] - x[0]

    on_t = np.array([rise(b) for b in beats[1]])
    pvc = np.array([rise(b) for b in beats[2]])
    assert on_t.min() > 0.2 > 0.1 > pvc.max()


def test_t_wave_polarity(beats):
    # Upright T in the normal and supraventricular beats, inverted in the
    # ventricular and unclassified ones.
    for k, x in beats.items():
        t = np.array([_t_wave(b) for b in x])
        if k in (0, 3):
            assert t.min() > 0.05, (NAMES[k], t.min())
        else:
            assert t.max() < -0.05, (NAMES[k], t.max())


def test_shapes_bunch_and_default_weights():
    data = make_heartbeats(2000, random_state=0)
    assert data.data.shape == (2000, N_TIMESTEPS, 1)
    assert data.data.dtype == np.float64 and data.data.flags.c_contiguous
    assert data.target.shape == (2000,)
    assert list(data.target_names) == NAMES
    assert "McSharry" in data.DESCR
    # ECG5000's counts (2919, 1767, 96, 194, 24 of 5000), rounded to sum up
    counts = np.bincount(data.target)
    ecg5000 = np.array([2919, 1767, 96, 194, 24]) / 5000
    assert counts.sum() == 2000 and np.all(np.abs(counts - 2000 * ecg5000) < 1)
    _, y = make_heartbeats(1000, random_state=1, return_X_y=True)
    np.testing.assert_array_equal(np.bincount(y), [584, 353, 19, 39, 5])
    X, y = make_heartbeats(2000, random_state=0, return_X_y=True)
    np.testing.assert_array_equal(X, data.data)
    np.testing.assert_array_equal(y, data.target)
    X, _ = make_heartbeats(3, n_timesteps=60, random_state=0, return_X_y=True)
    assert X.shape == (3, 60, 1)


def test_weights_set_the_class_counts():
    _, y = make_heartbeats(
        100, weights=[0, 3, 0, 1, 0], random_state=0, return_X_y=True
    )
    np.testing.assert_array_equal(np.bincount(y, minlength=5), [0, 75, 0, 25, 0])
    _, y = make_heartbeats(7, weights=[1, 1, 1, 1, 1], random_state=0, return_X_y=True)
    assert sorted(np.bincount(y, minlength=5)) == [1, 1, 1, 2, 2]


def test_determinism_and_noise():
    X1, y1 = make_heartbeats(50, random_state=3, return_X_y=True)
    X2, y2 = make_heartbeats(50, random_state=3, return_X_y=True)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = make_heartbeats(50, random_state=4, return_X_y=True)
    assert not np.array_equal(X1, X3)
    # The noise is white, of the requested standard deviation, on top of the
    # same beats (drawn before it).
    clean, _ = make_heartbeats(400, noise=0.0, random_state=3, return_X_y=True)
    noisy, _ = make_heartbeats(400, noise=0.3, random_state=3, return_X_y=True)
    residual = noisy - clean
    assert abs(residual.std() - 0.3) < 0.005
    assert (
        abs(np.corrcoef(residual[:, 1:, 0].ravel(), residual[:, :-1, 0].ravel())[0, 1])
        < 0.02
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_samples": 0}, "n_samples"),
        ({"n_timesteps": 39}, "n_timesteps"),
        ({"noise": -0.1}, "noise"),
        ({"random_state": "a"}, "random_state"),
        ({"return_X_y": "yes"}, "return_X_y"),
        ({"weights": [1, 2, 3]}, "one weight per class, 5 in all"),
        ({"weights": [1, -1, 1, 1, 1]}, "non-negative"),
        ({"weights": [0, 0, 0, 0, 0]}, "not all zero"),
        ({"weights": [1, np.nan, 1, 1, 1]}, "finite"),
        ({"weights": ["a", "b", "c", "d", "e"]}, "5 non-negative numbers"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_heartbeats(**kwargs)
