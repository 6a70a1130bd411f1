"""SequenceScaler: per-feature standardisation of sequences, in pipelines."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_rnn import RNNClassifier, SequenceScaler

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_statistics_over_all_samples_and_timesteps():
    rng = np.random.RandomState(0)
    X = rng.normal(loc=[3.0, -50.0], scale=[2.0, 10.0], size=(40, 7, 2))
    Xt = SequenceScaler().fit_transform(X)
    np.testing.assert_allclose(Xt.reshape(-1, 2).mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Xt.reshape(-1, 2).std(axis=0), 1.0)
    np.testing.assert_allclose(SequenceScaler().fit(X).inverse_transform(Xt), X)


def test_padding_is_ignored_and_kept():
    rng = np.random.RandomState(0)
    X = [rng.normal(loc=5.0, size=(n, 3)) for n in (2, 6, 4)]
    stacked = np.vstack(X)
    scaler = SequenceScaler().fit(X)
    np.testing.assert_allclose(scaler.mean_, stacked.mean(axis=0))
    np.testing.assert_allclose(scaler.scale_, stacked.std(axis=0))
    out = scaler.transform(X)
    assert [len(seq) for seq in out] == [2, 6, 4]
    padded = np.full((3, 6, 3), np.nan)
    for i, seq in enumerate(X):
        padded[i, : len(seq)] = seq
    out_padded = SequenceScaler().fit(padded).transform(padded)
    assert np.isnan(out_padded[0, 2:]).all() and not np.isnan(out_padded[1]).any()
    np.testing.assert_allclose(out_padded[0, :2], out[0])


def test_univariate_2d_and_constant_features():
    X = np.array([[1.0, 2.0, 3.0], [5.0, 6.0, 7.0]])
    Xt = SequenceScaler().fit_transform(X)
    assert Xt.shape == (2, 3)
    np.testing.assert_allclose(Xt.mean(), 0.0, atol=1e-12)
    constant = np.full((4, 5, 1), 3.0)
    np.testing.assert_array_equal(SequenceScaler().fit_transform(constant), 0.0)


@pytest.mark.parametrize("size", [1e-30, 1e-16, 1.0, 1e16])
def test_features_of_any_size_are_scaled_as_standard_scaler_scales_them(size):
    X = np.random.RandomState(0).normal(size=(20, 5, 2)) * [size, 1.0]
    X[:, :, 1] = size  # constant, whatever its size
    scaler = SequenceScaler().fit(X)
    expected = StandardScaler().fit(X.reshape(-1, 2)).scale_
    np.testing.assert_allclose(scaler.scale_, expected, rtol=1e-12)
    assert scaler.scale_[1] == 1.0
    np.testing.assert_allclose(scaler.transform(X).std(axis=(0, 1)), [1.0, 0.0])


def test_scaler_and_classifier_in_search_and_cross_validation():
    rng = np.random.RandomState(0)
    X = rng.normal(loc=100.0, scale=50.0, size=(150, 8, 2))
    y = (X[:, 0, 0] > 100.0).astype(int)
    clf = RNNClassifier(learning_rate_init=0.01, max_iter=60, random_state=0)
    pipe = make_pipeline(SequenceScaler(), clf)
    search = GridSearchCV(
        pipe, {"rnnclassifier__hidden_layer_sizes": [(4,), (16,)]}, cv=3, n_jobs=2
    ).fit(X, y)
    assert search.best_score_ > 0.9
    scores = cross_val_score(search.best_estimator_, X, y, cv=3)
    assert scores.mean() > 0.9
    # Without the scaler, inputs around 100 saturate the cell and it cannot learn.
    unscaled = clf.set_params(hidden_layer_sizes=(16,))
    assert cross_val_score(unscaled, X, y, cv=3).mean() < scores.mean() - 0.2


@pytest.mark.parametrize(
    "bad",
    [
        np.array([[[1.0] * 5, [np.nan] * 5, [2.0] * 5]]),  # NaN inside, 5 features
        pd.DataFrame({"a": [np.nan, np.nan]}),  # all-NaN 2-D, with a feature name
        [np.zeros((0, 2)), np.ones((3, 2))],  # an empty sequence
    ],
)
def test_a_failed_fit_leaves_a_fitted_scaler_as_it_was(bad):
    X = np.random.RandomState(0).normal(size=(12, 3, 2))
    scaler = SequenceScaler().fit(X)
    before = pickle.dumps(scaler)
    expected = scaler.transform(X)
    with pytest.raises(ValueError):
        scaler.fit(bad)
    assert pickle.dumps(scaler) == before
    np.testing.assert_array_equal(scaler.transform(X), expected)


@pytest.mark.filterwarnings("error")  # no overflow warning either
@pytest.mark.parametrize("magnitude", [1e200, 1e307])
def test_scaler_on_values_near_the_float_limit(magnitude):
    X = np.random.RandomState(0).normal(size=(20, 4, 2))
    big = X * magnitude
    scaler = SequenceScaler().fit(big)
    assert np.isfinite(scaler.scale_).all() and np.isfinite(scaler.mean_).all()
    small = SequenceScaler().fit(X)
    np.testing.assert_allclose(scaler.transform(big), small.transform(X), atol=1e-12)


def sizes_spanning_decades(n=60, n_steps=30, seed=0):
    """A shape feature whose sequences' sizes span six decades, beside one of a
    single level; the shapes (sin against cos) make the class."""
    rng = np.random.RandomState(seed)
    y = np.arange(n) % 2
    t = np.linspace(0, 2 * np.pi, n_steps)
    shape = np.where(y[:, None] == 1, np.sin(t), np.cos(t))
    size = 10.0 ** rng.uniform(-3, 3, size=n)
    X = np.stack([shape * size[:, None], rng.normal(size=(n, n_steps))], axis=2)
    return X, y, size


def decades_above_p5(std):
    """``1 + log10(std / p5)``, at least 1: each sequence's size after rescaling."""
    return 1 + np.log10(np.maximum(std / np.percentile(std, 5), 1))


def test_auto_rescales_each_sequence_whose_sizes_span_decades():
    X, y, size = sizes_spanning_decades()
    scaler = SequenceScaler().fit(X)
    np.testing.assert_array_equal(scaler.per_sequence_, [True, False])
    std = X[:, :, 0].std(axis=1)
    np.testing.assert_allclose(scaler.reference_std_[0], np.percentile(std, 5))
    Z = scaler.transform(X)
    # each sequence of the first feature now spreads by its size in decades
    spread = Z[:, :, 0].std(axis=1)
    np.testing.assert_allclose(
        spread / spread[0], decades_above_p5(std) / decades_above_p5(std)[0], rtol=1e-9
    )
    assert spread.max() / spread.min() < 8  # six decades become 1 to 7
    np.testing.assert_allclose(Z.reshape(-1, 2).std(axis=0), 1.0)  # then global
    # ragged and NaN-padded input: each over its real steps
    ragged = [x[: 20 + i % 10] for i, x in enumerate(X)]
    Zr = SequenceScaler().fit(ragged).transform(ragged)
    std = np.array([x[:, 0].std() for x in ragged])
    spread = np.array([z[:, 0].std() for z in Zr])
    np.testing.assert_allclose(
        spread / spread[0], decades_above_p5(std) / decades_above_p5(std)[0], rtol=1e-9
    )


def test_auto_leaves_sizes_within_two_decades_as_they_are():
    X, y, size = sizes_spanning_decades()
    X[:, :, 0] /= size[:, None] * 10.0 ** np.linspace(0, 1.9, len(X))[:, None]
    assert not SequenceScaler().fit(X).per_sequence_.any()
    short = sizes_spanning_decades(n_steps=9)[0]  # too few steps to tell
    assert not SequenceScaler().fit(short).per_sequence_.any()
    assert SequenceScaler(per_sequence=True).fit(short).per_sequence_.all()


def test_the_network_learns_shapes_of_any_size():
    X, y, _ = sizes_spanning_decades(n=80)
    X_test, y_test, _ = sizes_spanning_decades(n=80, seed=1)
    params = dict(hidden_layer_sizes=(8,), max_iter=60, random_state=0)
    scores = {}
    for per_sequence in ("auto", False):
        pipe = make_pipeline(
            SequenceScaler(per_sequence=per_sequence), RNNClassifier(**params)
        )
        scores[per_sequence] = pipe.fit(X, y).score(X_test, y_test)
    assert scores[False] < 0.6  # the small sequences are flat to the network
    assert scores["auto"] > scores[False] + 0.2  # each seen at its size in decades


def test_inverse_transform_refuses_divided_sequences():
    X, _, _ = sizes_spanning_decades()
    scaler = SequenceScaler().fit(X)
    with pytest.raises(ValueError, match=r"cannot undo per_sequence.*features \[0\]"):
        scaler.inverse_transform(scaler.transform(X))
    plain = SequenceScaler(per_sequence=False).fit(X)
    np.testing.assert_allclose(
        plain.inverse_transform(plain.transform(X)), X, rtol=1e-7, atol=1e-9
    )


def test_scalers_pickled_before_per_sequence_divide_nothing():
    X, _, _ = sizes_spanning_decades()
    plain = SequenceScaler(per_sequence=False).fit(X)
    state = plain.__getstate__()
    for key in ("per_sequence", "per_sequence_"):
        state.pop(key)
    old = SequenceScaler.__new__(SequenceScaler)
    old.__setstate__(state)
    np.testing.assert_array_equal(old.transform(X), plain.transform(X))
    assert old.per_sequence is False


def test_auto_divides_nothing_without_std():
    # with_std=False asks for centring only: no sequence divided by its spread
    X, _, _ = sizes_spanning_decades()
    scaler = SequenceScaler(with_std=False).fit(X)
    assert not scaler.per_sequence_.any()
    np.testing.assert_allclose(scaler.transform(X), X - X.mean(axis=(0, 1)))
    asked = SequenceScaler(with_std=False, per_sequence=np.True_).fit(X)
    assert asked.per_sequence_.all()  # unless asked for
