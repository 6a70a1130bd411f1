"""Fitted models survive pickle, joblib and skops with identical predictions."""

import pickle

import joblib
import numpy as np
import pytest
import skops.io as sio
from sklearn.pipeline import make_pipeline

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler
from sk_rnn.io import dump, load, trusted_types

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(params=[RNNClassifier, RNNRegressor])
def fitted(request):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 5, 2))
    y = (X[:, 0, 0] > 0).astype(int)
    est = request.param(hidden_layer_sizes=(4, 3), bidirectional=True, max_iter=5)
    return est.set_params(random_state=0).fit(X, y), X


def test_pickle_and_joblib(fitted, tmp_path):
    est, X = fitted
    path = tmp_path / "model.joblib"
    joblib.dump(est, path)
    for restored in (pickle.loads(pickle.dumps(est)), joblib.load(path)):
        np.testing.assert_array_equal(restored.predict(X), est.predict(X))


def test_skops_file_holds_only_trusted_types(fitted, tmp_path):
    est, X = fitted
    path = tmp_path / "model.skops"
    dump(est, path)
    # Everything skops would ask about is ours, so load() needs no approval ...
    assert set(sio.get_untrusted_types(file=path)) <= set(trusted_types())
    restored = load(path)
    np.testing.assert_array_equal(restored.predict(X), est.predict(X))
    if hasattr(est, "predict_proba"):
        np.testing.assert_array_equal(restored.predict_proba(X), est.predict_proba(X))
    # ... and it keeps training where it stopped (on the training labels: as in
    # MLP, a warm start needs every class of the first fit).
    y = (X[:, 0, 0] > 0).astype(int)
    restored.set_params(warm_start=True, max_iter=1).fit(X, y)


class Intruder:
    """A type that is neither sk_rnn's nor trusted by skops."""


def test_skops_load_refuses_foreign_types(fitted, tmp_path):
    est, _ = fitted
    est.intruder_ = Intruder()
    path = tmp_path / "model.skops"
    sio.dump(est, path)
    with pytest.raises(ValueError, match="Refusing to load .*Intruder"):
        load(path)


def test_skops_loads_a_pipeline_of_the_scaler_and_a_model(tmp_path):
    rng = np.random.RandomState(0)
    X = rng.normal(loc=50.0, size=(30, 5, 2))
    y = (X[:, 0, 0] > 50).astype(int)
    pipe = make_pipeline(SequenceScaler(), RNNClassifier((4,), max_iter=5)).fit(X, y)
    path = tmp_path / "pipeline.skops"
    dump(pipe, path)
    np.testing.assert_array_equal(load(path).predict_proba(X), pipe.predict_proba(X))


def test_a_fitted_search_is_refused_and_its_best_estimator_loads(tmp_path):
    """What the README says of sk_rnn.io.load and scikit-learn's types."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import GridSearchCV

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 5))
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(ConvergenceWarning):
        search = GridSearchCV(
            RNNClassifier((4,), max_iter=3, random_state=0), {"cell": ["rnn"]}, cv=2
        ).fit(X, y)
    dump(search, tmp_path / "search.skops")
    with pytest.raises(ValueError, match="StratifiedKFold"):
        load(tmp_path / "search.skops")
    dump(search.best_estimator_, tmp_path / "best.skops")
    loaded = load(tmp_path / "best.skops")
    np.testing.assert_array_equal(loaded.predict(X), search.predict(X))
