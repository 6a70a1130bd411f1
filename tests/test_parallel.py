"""Parallel searches give the serial scores; predict is thread-safe; dask scales out."""

from concurrent.futures import ThreadPoolExecutor

import distributed
import joblib
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, cross_val_score

from sk_rnn import RNNClassifier, RNNRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

GRID = {"hidden_layer_sizes": [(3,), (6,)], "alpha": [1e-4, 1e-1]}


def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 5, 2))
    return X, (X[:, 0, 0] > 0).astype(int)


def small(Estimator):
    return Estimator(max_iter=10, random_state=0)


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_loky_cross_val_score_equals_serial(Estimator):
    X, y = data()
    serial = cross_val_score(small(Estimator), X, y, cv=3, n_jobs=1)
    parallel = cross_val_score(small(Estimator), X, y, cv=3, n_jobs=2)
    np.testing.assert_array_equal(parallel, serial)


def test_concurrent_predict_is_thread_safe():
    X, y = data()
    clf = small(RNNClassifier).fit(X, y)
    expected = clf.predict_proba(X)
    chunks = [X[i::4] for i in range(4)] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(clf.predict_proba, chunks))
    for chunk, result in zip(chunks, results):
        np.testing.assert_array_equal(result, clf.predict_proba(chunk))
    np.testing.assert_array_equal(clf.predict_proba(X), expected)


def test_grid_search_on_a_dask_cluster():
    X, y = data()
    serial = GridSearchCV(small(RNNClassifier), GRID, cv=3).fit(X, y)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_backend("dask"),
    ):
        on_dask = GridSearchCV(small(RNNClassifier), GRID, cv=3).fit(X, y)
    np.testing.assert_array_equal(
        on_dask.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
    assert on_dask.best_params_ == serial.best_params_
