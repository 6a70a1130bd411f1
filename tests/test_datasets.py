"""sk_rnn.datasets: shapes, determinism and the values each task promises."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from sk_rnn.datasets import (
    load_sequential_digits,
    make_adding_problem,
    make_binary_sum,
    make_memory_task,
    make_ramps,
    make_sine,
)

GENERATORS = [
    (make_binary_sum, {}, 1),
    (make_sine, {}, 1),
    (make_sine, {"output_sequence": True, "noise": 0.1}, 1),
    (make_memory_task, {}, 1),
    (make_ramps, {}, 1),
    (make_ramps, {"output_sequence": False}, 1),
    (make_adding_problem, {}, 2),
]


@pytest.mark.parametrize(("make", "kwargs", "n_features"), GENERATORS)
def test_generator_shapes_and_determinism(make, kwargs, n_features):
    X, y = make(n_samples=7, n_timesteps=12, random_state=0, **kwargs)
    assert X.shape == (7, 12, n_features)
    assert X.dtype == np.float64 and X.flags.c_contiguous
    assert y.shape[0] == 7 and np.all(np.isfinite(y)) and np.all(np.isfinite(X))
    if kwargs.get("output_sequence", make is make_ramps and kwargs == {}):
        assert y.shape == (7, 12)
    else:
        assert y.shape == (7,)
    X2, y2 = make(n_samples=7, n_timesteps=12, random_state=0, **kwargs)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(n_samples=7, n_timesteps=12, random_state=1, **kwargs)
    assert not np.array_equal(X, X3)
    # A RandomState instance is accepted and advanced.
    rng = np.random.RandomState(0)
    X4, _ = make(n_samples=7, n_timesteps=12, random_state=rng, **kwargs)
    X5, _ = make(n_samples=7, n_timesteps=12, random_state=rng, **kwargs)
    np.testing.assert_array_equal(X, X4)
    assert not np.array_equal(X4, X5)


def test_binary_sum_values():
    X, y = make_binary_sum(n_samples=500, n_timesteps=9, random_state=0)
    assert set(np.unique(X)) == {0.0, 1.0}
    np.testing.assert_array_equal(y, X[:, :, 0].sum(axis=1))
    assert 0.4 < X.mean() < 0.6


def test_sine_values():
    X, y = make_sine(n_samples=50, n_timesteps=15, period=10.0, random_state=0)
    # Recover each phase from the first two values, then check the whole wave.
    omega = 2 * np.pi / 10.0
    cos_phase = (X[:, 1, 0] - X[:, 0, 0] * np.cos(omega)) / np.sin(omega)
    phase = np.arctan2(X[:, 0, 0], cos_phase)
    s = np.sin(omega * np.arange(16) + phase[:, None])
    np.testing.assert_allclose(X[:, :, 0], s[:, :15], atol=1e-12)
    np.testing.assert_allclose(y, s[:, 15], atol=1e-12)
    Xs, Ys = make_sine(
        n_samples=50, n_timesteps=15, period=10.0, output_sequence=True, random_state=0
    )
    np.testing.assert_array_equal(Xs, X)
    np.testing.assert_array_equal(Ys[:, :-1], X[:, 1:, 0])
    np.testing.assert_array_equal(Ys[:, -1], y)
    # Noise is added, with the requested spread, around the same waves.
    Xn, yn = make_sine(
        n_samples=400, n_timesteps=15, period=10.0, noise=0.5, random_state=0
    )
    Xc, yc = make_sine(n_samples=400, n_timesteps=15, period=10.0, random_state=0)
    noise = np.concatenate([(Xn - Xc).ravel(), yn - yc])
    assert 0.48 < noise.std() < 0.52 and abs(noise.mean()) < 0.02


def test_memory_task_values():
    X, y = make_memory_task(
        n_samples=400, n_timesteps=25, position=3, noise=0.5, random_state=0
    )
    assert set(np.unique(X[:, 3, 0])) == {-1.0, 1.0}
    np.testing.assert_array_equal(y, (X[:, 3, 0] > 0).astype(int))
    assert y.dtype.kind == "i" and 0.4 < y.mean() < 0.6
    others = np.delete(X[:, :, 0], 3, axis=1)
    assert 0.45 < others.std() < 0.55
    with pytest.raises(ValueError, match="position must be less than n_timesteps"):
        make_memory_task(n_timesteps=5, position=5)


def test_ramps_values():
    X, y = make_ramps(
        n_samples=1, n_timesteps=4, start_range=(1, 1), slope_range=(1, 1)
    )
    np.testing.assert_array_equal(X, [[[1.0], [2.0], [3.0], [4.0]]])
    np.testing.assert_array_equal(y, [[2.0, 3.0, 4.0, 5.0]])
    X, y = make_ramps(
        n_samples=200,
        n_timesteps=6,
        start_range=(-2, 3),
        slope_range=(0.5, 1.5),
        random_state=0,
    )
    diffs = np.diff(X[:, :, 0], axis=1)
    np.testing.assert_allclose(diffs, diffs[:, :1] * np.ones(5))  # straight lines
    assert np.all((diffs >= 0.5) & (diffs <= 1.5))
    assert np.all((X[:, 0, 0] >= -2) & (X[:, 0, 0] <= 3))
    np.testing.assert_allclose(y[:, :-1], X[:, 1:, 0])
    np.testing.assert_allclose(y[:, -1], X[:, -1, 0] + diffs[:, 0])
    _, y_last = make_ramps(
        n_samples=200,
        n_timesteps=6,
        start_range=(-2, 3),
        slope_range=(0.5, 1.5),
        output_sequence=False,
        random_state=0,
    )
    np.testing.assert_array_equal(y_last, y[:, -1])
    for bad in [(1.0, 0.0), (0.0,), "ab", (0.0, np.inf)]:
        with pytest.raises(ValueError, match="start_range"):
            make_ramps(start_range=bad)


def test_adding_problem_values():
    X, y = make_adding_problem(n_samples=300, n_timesteps=11, random_state=0)
    values, markers = X[:, :, 0], X[:, :, 1]
    assert np.all((values >= 0) & (values <= 1))
    assert set(np.unique(markers)) == {0.0, 1.0}
    np.testing.assert_array_equal(markers[:, :5].sum(axis=1), 1)  # first half
    np.testing.assert_array_equal(markers[:, 5:].sum(axis=1), 1)  # second half
    np.testing.assert_allclose(y, (values * markers).sum(axis=1))
    # Every position of each half gets a marker somewhere.
    assert np.all(markers.sum(axis=0) > 0)
    with pytest.raises(ValueError, match="n_timesteps"):
        make_adding_problem(n_timesteps=1)


@pytest.mark.parametrize(
    "make",
    [make_binary_sum, make_sine, make_memory_task, make_ramps, make_adding_problem],
)
def test_generators_reject_bad_sizes(make):
    with pytest.raises(ValueError, match="n_samples"):
        make(n_samples=0)
    with pytest.raises(ValueError, match="n_timesteps"):
        make(n_timesteps=0)
    with pytest.raises(ValueError, match="random_state"):
        make(random_state="seed")


def test_load_sequential_digits():
    digits = load_digits()
    X, y = load_sequential_digits(return_X_y=True)
    assert X.shape == (1797, 8, 8)
    np.testing.assert_array_equal(X, digits.images / 16.0)
    np.testing.assert_array_equal(y, digits.target)
    assert X.min() == 0.0 and X.max() == 1.0

    Xp, yp = load_sequential_digits(pixel_by_pixel=True, return_X_y=True)
    assert Xp.shape == (1797, 64, 1)
    # Pixel by pixel is the rows read one after the other.
    np.testing.assert_array_equal(Xp[:, :, 0], X.reshape(1797, 64))
    np.testing.assert_array_equal(yp, y)

    bunch = load_sequential_digits(n_class=2)
    assert bunch.data.shape == (360, 8, 8)
    assert set(bunch.target) == {0, 1}
    np.testing.assert_array_equal(bunch.target_names, [0, 1])
    np.testing.assert_array_equal(bunch.images, bunch.data)
    assert "Sequential digits" in bunch.DESCR and "8 steps" in bunch.DESCR
    with pytest.raises(ValueError, match="n_class"):
        load_sequential_digits(n_class=11)
