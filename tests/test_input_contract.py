"""The input contract: 3-D sequences, 2-D univariate series, clear errors."""

import pickle
import re

import numpy as np
import pytest

from sk_rnn import RNNClassifier, RNNRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture
def series():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 7))
    return X, X.sum(axis=1)


def regressor(**params):
    return RNNRegressor(hidden_layer_sizes=(5,), max_iter=5, random_state=0, **params)


def test_2d_input_is_univariate_3d_input(series):
    X, y = series
    from_2d = regressor().fit(X, y)
    from_3d = regressor().fit(X[:, :, None], y)
    np.testing.assert_array_equal(from_2d.predict(X), from_3d.predict(X[:, :, None]))
    np.testing.assert_array_equal(from_2d.predict(X), from_2d.predict(X[:, :, None]))
    # A univariate model fitted on 3-D data reads 2-D input of any length.
    np.testing.assert_array_equal(from_3d.predict(X), from_3d.predict(X[:, :, None]))
    assert from_3d.predict(X[:, :3]).shape == (40,)
    assert from_2d.n_features_in_ == 7 and from_3d.n_features_in_ == 1


def test_fitted_model_predicts_sequences_of_any_length():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 6, 3))
    reg = regressor().fit(X, X[:, :, 0].sum(axis=1))
    for n_timesteps in (1, 6, 25):
        assert reg.predict(rng.normal(size=(4, n_timesteps, 3))).shape == (4,)


def test_2d_fit_keeps_scikit_learns_column_contract(series):
    X, y = series
    reg = regressor().fit(X, y)
    msg = "X has 3 features, but RNNRegressor is expecting 7 features as input"
    with pytest.raises(ValueError, match=msg):
        reg.predict(X[:, :3])


def test_wrong_feature_count_at_predict():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 4, 2))
    clf = RNNClassifier(hidden_layer_sizes=(3,), max_iter=2).fit(X, X[:, 0, 0] > 0)
    with pytest.raises(
        ValueError,
        match="X has 3 features per timestep, but RNNClassifier is expecting 2",
    ):
        clf.predict(rng.normal(size=(5, 4, 3)))
    with pytest.raises(ValueError, match="expecting 2 features per timestep"):
        clf.predict(rng.normal(size=(5, 4)))


BAD_INPUTS = [
    (np.zeros(5), "got a 1-D array"),
    (np.zeros((2, 3, 4, 5)), "got a 4-D array"),
    (np.zeros((0, 3, 2)), "0 sample"),
    (np.zeros((3, 0, 2)), "at least one sample, one timestep and one feature"),
    (np.zeros((3, 4, 0)), "at least one sample, one timestep and one feature"),
    (np.full((3, 4, 2), np.nan), "Input X contains NaN"),
    (np.full((3, 4, 2), np.inf), "Input X contains infinity"),
    (np.zeros((3, 4, 1), dtype=complex), "Complex data not supported"),
    (np.array([[["a"], ["b"]], [["c"], ["d"]]], dtype=object), "could not convert"),
    ([np.zeros((3, 2)), np.zeros((2, 3))], "same number of features"),
    ([[[1.0, 2.0], [3.0]], [[1.0, 2.0]]], "Sequence 0 of X is not a rectangular"),
    (
        np.array([[[1.0, 1], [np.nan, np.nan], [2, 2]]]),
        "NaN inside sequence 0 at step 1",
    ),
    (np.array([[[1.0, np.nan], [2.0, 3.0]]]), "NaN in some but not all features"),
]


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
@pytest.mark.parametrize("X, message", BAD_INPUTS)
def test_bad_input_is_named_before_any_math(Estimator, X, message):
    y = np.arange(len(X)) % 2
    with pytest.raises(ValueError, match=re.escape(message)):
        Estimator().fit(X, y)


@pytest.mark.parametrize("X, message", BAD_INPUTS)
def test_bad_input_at_predict(X, message):
    X_train = np.random.RandomState(0).normal(size=(20, 4, 2))
    reg = regressor().fit(X_train, X_train.sum(axis=(1, 2)))
    with pytest.raises(ValueError, match=re.escape(message)):
        reg.predict(X)


def test_bad_parameters_are_named():
    X, y = np.zeros((4, 3)), np.arange(4.0)
    with pytest.raises(ValueError, match="'activation' parameter .* Got 'sigmoid'"):
        RNNRegressor(activation="sigmoid").fit(X, y)
    with pytest.raises(ValueError, match="hidden_layer_sizes must be a positive int"):
        RNNRegressor(hidden_layer_sizes=(4, 0)).fit(X, y)
    with pytest.raises(ValueError, match="only one class"):
        RNNClassifier().fit(X, np.ones(4))
    with pytest.raises(ValueError, match="Found input variables with inconsistent"):
        RNNRegressor().fit(X, np.arange(3.0))


def test_float32_stays_float32(series):
    X, y = series
    reg = regressor().fit(X.astype(np.float32), y)
    assert reg.output_weight_.dtype == np.float32
    assert all(w.dtype == np.float32 for w in reg.recurrent_weights_.values())
    assert reg.predict(X.astype(np.float32)).dtype == np.float32
    assert regressor().fit(X, y).output_weight_.dtype == np.float64


@pytest.mark.parametrize("warm_start", [False, True])
def test_failed_fit_leaves_fitted_model_as_it_was(series, warm_start):
    X, y = series
    reg = regressor(warm_start=warm_start).fit(X, y)
    before = pickle.dumps(reg)
    predictions = reg.predict(X)
    bad_X = X.copy()
    bad_X[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        reg.fit(bad_X, y)
    with pytest.raises(ValueError, match="inconsistent"):
        reg.fit(X, y[:-1])
    with pytest.raises(ValueError, match="NaN"):
        reg.partial_fit(bad_X, y)
    if warm_start:  # continuing needs the fitted feature count
        with pytest.raises(ValueError, match="features"):
            reg.fit(np.zeros((40, 7, 2)), y)
    np.testing.assert_array_equal(reg.predict(X), predictions)
    assert pickle.dumps(reg) == before
