"""Both estimators inside scikit-learn's tools: pipelines, searches, cloning, pickle."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sk_rnn import RNNClassifier, RNNRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def classification_data(n_samples=120, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, 6, 2))
    y = np.where(X[:, 0, 0] + X[:, -1, 1] > 0, "up", "down")
    return X, y


def regression_data(n_samples=120, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, 6, 2))
    return X, X[:, :, 0].sum(axis=1)


def small(estimator, **params):
    # the label reads the first and last steps' signs: the last state holds them
    return estimator.set_params(
        hidden_layer_sizes=(8,), max_iter=30, readout="last", random_state=0, **params
    )


ESTIMATORS = [
    (small(RNNClassifier()), classification_data),
    (small(RNNRegressor()), regression_data),
]


@pytest.mark.parametrize("estimator, data", ESTIMATORS)
def test_pipeline_on_2d_univariate_series(estimator, data):
    X, y = data()
    X2d = X[:, :, 0]
    pipe = make_pipeline(FunctionTransformer(lambda Z: 2 * Z), clone(estimator))
    pipe.fit(X2d, y)
    direct = clone(estimator).fit(2 * X2d, y)
    np.testing.assert_array_equal(pipe.predict(X2d), direct.predict(2 * X2d))


@pytest.mark.parametrize("estimator, data", ESTIMATORS)
def test_grid_search_in_parallel(estimator, data):
    X, y = data()
    grid = {"hidden_layer_sizes": [(4,), (8,)], "alpha": [1e-4, 1e-1]}
    search = GridSearchCV(clone(estimator), grid, cv=3, n_jobs=2).fit(X, y)
    serial = GridSearchCV(clone(estimator), grid, cv=3, n_jobs=1).fit(X, y)
    assert search.best_params_["hidden_layer_sizes"] in grid["hidden_layer_sizes"]
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
    assert search.best_estimator_.predict(X).shape == (len(X),)


@pytest.mark.parametrize("estimator, data", ESTIMATORS)
def test_cross_val_score_learns(estimator, data):
    X, y = data(240)
    est = clone(estimator).set_params(max_iter=150, learning_rate_init=0.01)
    scores = cross_val_score(est, X, y, cv=3)
    assert scores.shape == (3,)
    assert scores.mean() > 0.8


@pytest.mark.parametrize("estimator, data", ESTIMATORS)
def test_clone_get_set_params(estimator, data):
    params = estimator.get_params()
    assert params["hidden_layer_sizes"] == (8,)
    assert params["solver"] == "adam"
    other = clone(estimator).set_params(alpha=0.5, cell="rnn", activation="relu")
    assert other.get_params()["alpha"] == 0.5
    assert estimator.get_params()["alpha"] == params["alpha"]
    X, y = data()
    fitted = clone(estimator).fit(X, y)
    assert not hasattr(clone(fitted), "output_weight_")


@pytest.mark.parametrize("estimator, data", ESTIMATORS)
def test_pickle_round_trip(estimator, data):
    X, y = data()
    fitted = clone(estimator).fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))
    assert restored.loss_curve_ == fitted.loss_curve_


@pytest.mark.parametrize("estimator, data", ESTIMATORS)
def test_same_random_state_same_model(estimator, data):
    X, y = data()
    a = clone(estimator).fit(X, y)
    b = clone(estimator).fit(X, y)
    np.testing.assert_array_equal(a.output_weight_, b.output_weight_)
    assert a.loss_curve_ == b.loss_curve_
    c = clone(estimator).set_params(random_state=1).fit(X, y)
    assert not np.array_equal(a.output_weight_, c.output_weight_)


def test_classifier_string_labels_and_probabilities():
    X, y = classification_data()
    clf = small(RNNClassifier()).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, ["down", "up"])
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), proba)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])


def test_multiclass_softmax_head():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 4, 1))
    y = np.digitize(X[:, 0, 0], [-0.5, 0.5])  # three classes from the first step
    clf = RNNClassifier(hidden_layer_sizes=(16,), max_iter=300, random_state=0)
    clf.fit(X, y)
    assert clf.output_weight_.shape == (3, 16)
    assert clf.predict_proba(X).shape == (90, 3)
    assert clf.score(X, y) > 0.9


def test_regressor_keeps_the_dimensions_of_y():
    X, y = regression_data()
    reg = small(RNNRegressor())
    assert reg.fit(X, y).predict(X).shape == (len(X),)
    assert reg.fit(X, y[:, None]).predict(X).shape == (len(X), 1)
    Y = np.column_stack([y, -y])
    assert reg.fit(X, Y).predict(X).shape == (len(X), 2)
    assert reg.output_weight_.shape == (2, 8)
