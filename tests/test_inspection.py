"""sk_rnn.inspection: permutation importance over features and timesteps."""

import matplotlib
import numpy as np
import pytest

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn.datasets import make_memory_task
from sk_rnn.inspection import TimestepImportanceDisplay, permutation_importance

matplotlib.use("Agg")
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 5, 3))
    y = X[:, 1, 0] + 0.5 * X[:, 3, 2]
    return RNNRegressor((8,), max_iter=30, random_state=0).fit(X, y), X, y


def by_hand(model, X, y, block, n_repeats, random_state):
    """The permutation loop written out: one seed, the same shuffles per block."""
    seed = np.random.RandomState(random_state).randint(np.iinfo(np.int32).max + 1)
    rng, permuted = np.random.RandomState(seed), X.copy()
    order, drops = np.arange(len(X)), []
    for _ in range(n_repeats):
        rng.shuffle(order)
        permuted[(slice(None), *block)] = permuted[order][(slice(None), *block)]
        drops.append(model.score(X, y) - model.score(permuted, y))
    return drops


def test_features_match_the_loop_by_hand(fitted):
    model, X, y = fitted
    result = permutation_importance(model, X, y, n_repeats=3, random_state=1)
    assert result.importances.shape == (3, 3)
    for j in range(3):
        expected = by_hand(model, X, y, (slice(None), j), 3, 1)
        np.testing.assert_allclose(result.importances[j], expected)
    np.testing.assert_allclose(result.importances_mean, result.importances.mean(1))
    np.testing.assert_allclose(result.importances_std, result.importances.std(1))
    assert result.over == "features"


def test_windows_match_the_loop_by_hand(fitted):
    model, X, y = fitted
    result = permutation_importance(
        model, X, y, over="timesteps", window=2, n_repeats=2, random_state=0
    )
    np.testing.assert_array_equal(result.window_starts, [0, 2, 4])
    for k, start in enumerate([0, 2, 4]):
        block = (slice(start, start + 2), slice(None))
        expected = by_hand(model, X, y, block, 2, 0)
        np.testing.assert_allclose(result.importances[k], expected)
    # the target reads steps 1 and 3: the windows holding them matter most
    assert result.importances_mean[2] < min(result.importances_mean[:2])


def test_the_memory_task_names_the_step_that_holds_the_label():
    X, y = make_memory_task(300, n_timesteps=8, position=2, random_state=0)
    model = RNNClassifier((16,), cell="gru", random_state=0).fit(X, y)
    result = permutation_importance(
        model, X, y, over="timesteps", n_repeats=3, random_state=0
    )
    assert int(np.argmax(result.importances_mean)) == 2
    assert result.importances_mean[2] > 0.3  # accuracy falls towards chance
    others = np.delete(result.importances_mean, 2)
    assert np.abs(others).max() < 0.05


def test_flat_rows_are_read_as_the_model_reads_them(fitted):
    _, X, y = fitted
    flat = X.reshape(len(X), -1)
    model = RNNRegressor((8,), n_features_per_step=3, max_iter=30, random_state=0)
    model.fit(flat, y)
    on_rows = permutation_importance(model, flat, y, n_repeats=2, random_state=0)
    on_3d = permutation_importance(model, X, y, n_repeats=2, random_state=0)
    np.testing.assert_allclose(on_rows.importances, on_3d.importances)
    assert on_rows.importances.shape == (3, 2)  # features, not columns


def test_parallel_and_several_scorers(fitted):
    model, X, y = fitted
    serial = permutation_importance(model, X, y, n_repeats=2, random_state=0)
    parallel = permutation_importance(
        model, X, y, n_repeats=2, random_state=0, n_jobs=2
    )
    np.testing.assert_array_equal(serial.importances, parallel.importances)
    both = permutation_importance(
        model, X, y, scoring=["r2", "neg_mean_squared_error"], random_state=0
    )
    assert set(both) == {"r2", "neg_mean_squared_error"}
    np.testing.assert_allclose(
        both["r2"].importances,
        permutation_importance(model, X, y, random_state=0).importances,
    )


def test_bad_input_is_named(fitted):
    model, X, y = fitted
    padded = X.copy()
    padded[0, -1] = np.nan
    with pytest.raises(ValueError, match="NaN or inf"):
        permutation_importance(model, padded, y)
    with pytest.raises(ValueError, match="one length"):
        permutation_importance(model, [X[0], X[1, :3]], y[:2])
    with pytest.raises(ValueError, match="window=9 is longer"):
        permutation_importance(model, X, y, over="timesteps", window=9)
    with pytest.raises(ValueError, match="over"):
        permutation_importance(model, X, y, over="steps")


def test_display_draws_the_windows(fitted):
    model, X, y = fitted
    display = TimestepImportanceDisplay.from_estimator(
        model, X, y, window=2, n_repeats=2, random_state=0
    )
    heights = [bar.get_height() for bar in display.bars_]
    np.testing.assert_allclose(heights, display.result_.importances_mean)
    assert [bar.get_x() for bar in display.bars_] == [0, 2, 4]
    assert display.ax_.get_xlabel() == "First of 2 steps"
    with pytest.raises(ValueError, match="non-empty 1-D"):
        TimestepImportanceDisplay([]).plot()
