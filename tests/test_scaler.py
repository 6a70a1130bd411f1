"""SequenceScaler: per-feature standardisation of sequences, in pipelines."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

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
