"""Hostile inputs: every call either works correctly or names the problem.

Hypothesis throws arbitrary shapes (0-5 dimensions, zero-length axes, ragged lists),
dtypes (bool, int, float16/32/64, complex, object, strings), NaN/inf placements,
non-contiguous and read-only arrays, DataFrames and mismatched ``y`` at every public
method of every estimator. Allowed outcomes: a correct result (right shape, finite
values), or a ``ValueError``/``TypeError`` whose message names what is wrong.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler

# Words a useful message uses to name the problem.
PROBLEM_WORDS = (
    "shape",
    "dimension",
    "-D",
    "NaN",
    "infinity",
    "dtype",
    "Complex",
    "convert",
    "features",
    "sample",
    "timestep",
    "class",
    "label",
    "length",
    "inconsistent",
    "y ",
    "Unknown label type",
    "array",
    "numeric",
    "string",
    "empty",
    "output",
)

DTYPES = st.sampled_from(
    [
        np.bool_,
        np.int8,
        np.int64,
        np.float16,
        np.float32,
        np.float64,
        np.complex128,
        object,
        "U3",
    ]
)

SETTINGS = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


def make(Estimator):
    return Estimator(hidden_layer_sizes=(3,), max_iter=2, random_state=0)


@st.composite
def arrays(draw, min_dims=0, max_dims=5):
    """Arrays of any dtype and shape, with NaN/inf, views, read-only flags."""
    dtype = draw(DTYPES)
    shape = draw(
        hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=0, max_side=4)
    )
    if dtype is object:
        values = draw(hnp.arrays(np.float64, shape, elements=st.floats(-5, 5)))
        X = values.astype(object)
    elif dtype == "U3":
        X = draw(hnp.arrays("U3", shape, elements=st.text(max_size=3)))
    else:
        X = draw(hnp.arrays(dtype, shape))  # any values: NaN, inf, huge, tiny
    how = draw(st.sampled_from(["plain", "transposed", "strided", "readonly"]))
    if how == "transposed" and X.ndim >= 2:
        X = np.swapaxes(X, 0, 1)
    elif how == "strided" and X.ndim >= 1:
        X = np.repeat(X, 2, axis=0)[::2]
    elif how == "readonly":
        X.setflags(write=False)
    return X


@st.composite
def inputs(draw):
    """X as an array, a ragged list or a DataFrame."""
    kind = draw(st.sampled_from(["array", "array", "array", "ragged", "frame"]))
    if kind == "ragged":
        lengths = draw(st.lists(st.integers(0, 4), min_size=1, max_size=4))
        return [np.zeros((n, 2)).tolist() for n in lengths]
    if kind == "frame":
        X = draw(arrays(min_dims=2, max_dims=2))
        return pd.DataFrame(X)
    return draw(arrays())


def targets(draw, n_samples, classifier):
    """A y of the right length most of the time, sometimes not."""
    n = n_samples if draw(st.booleans()) or n_samples == 0 else draw(st.integers(0, 6))
    if classifier:
        kind = draw(st.sampled_from(["int", "str", "float", "one"]))
        if kind == "str":
            return np.array(["a", "b"] * n)[:n]
        if kind == "float":
            return np.linspace(0, 1, n) + 0.123
        if kind == "one":
            return np.zeros(n, dtype=int)
        return np.arange(n) % 3
    kind = draw(st.sampled_from(["1d", "2d", "nan", "3d"]))
    y = np.linspace(-1, 1, n)
    if kind == "2d":
        return np.column_stack([y, -y])
    if kind == "nan":
        return np.where(np.arange(n) == 0, np.nan, y)
    if kind == "3d":
        return y.reshape(n, 1, 1)
    return y


def n_samples_of(X):
    try:
        return len(X)
    except TypeError:
        return 0


def assert_named_failure(exc):
    message = str(exc)
    assert isinstance(exc, ValueError | TypeError), repr(exc)
    assert any(word in message for word in PROBLEM_WORDS), message


def check_result(estimator, method, X, result):
    assert np.asarray(result).shape[0] == n_samples_of(X)
    if method != "predict" or isinstance(estimator, RNNRegressor):
        assert np.all(np.isfinite(np.asarray(result, dtype=float))), result


def check_score(X, score):
    # R² of a single sample is undefined: scikit-learn warns and returns NaN.
    assert np.isfinite(score) or (np.isnan(score) and n_samples_of(X) < 2), score


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
@SETTINGS
@given(data=st.data())
def test_fit_either_works_or_names_the_problem(Estimator, data):
    X = data.draw(inputs())
    y = targets(data.draw, n_samples_of(X), Estimator is RNNClassifier)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        incremental = data.draw(st.booleans())
        try:
            if incremental:  # partial_fit, twice, as a stream of batches would
                estimator = make(Estimator)
                classes = np.unique(y) if Estimator is RNNClassifier else None
                kwargs = {} if classes is None else {"classes": classes}
                estimator.partial_fit(X, y, **kwargs).partial_fit(X, y)
            else:
                estimator = make(Estimator).fit(X, y)
        except Exception as exc:  # noqa: BLE001 - the assertion is on the type
            assert_named_failure(exc)
            return
        for method in ("predict", "predict_proba", "score"):
            if not hasattr(estimator, method):
                continue
            args = (X, y) if method == "score" else (X,)
            result = getattr(estimator, method)(*args)
            if method == "score":
                check_score(X, result)
            else:
                check_result(estimator, method, X, result)


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(12, 3, 2))
    return {
        RNNClassifier: make(RNNClassifier).fit(X, np.arange(12) % 3),
        RNNRegressor: make(RNNRegressor).fit(X, X.sum(axis=(1, 2))),
    }


@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
@pytest.mark.parametrize("method", ["predict", "predict_proba", "score"])
@SETTINGS
@given(data=st.data())
def test_predict_either_works_or_names_the_problem(fitted, Estimator, method, data):
    estimator = fitted[Estimator]
    if not hasattr(estimator, method):
        return
    X = data.draw(inputs())
    args = (X,)
    if method == "score":
        args = (X, targets(data.draw, n_samples_of(X), Estimator is RNNClassifier))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = getattr(estimator, method)(*args)
        except Exception as exc:  # noqa: BLE001 - the assertion is on the type
            assert_named_failure(exc)
            return
    if method == "score":
        check_score(X, result)
    else:
        check_result(estimator, method, X, result)


@SETTINGS
@given(data=st.data())
def test_scaler_either_works_or_names_the_problem(data):
    X = data.draw(inputs())
    try:
        scaler = SequenceScaler().fit(X)
    except Exception as exc:  # noqa: BLE001 - the assertion is on the type
        assert_named_failure(exc)
        return
    Xt = scaler.transform(X)
    if isinstance(Xt, list):  # ragged in, ragged out
        assert len(Xt) == n_samples_of(X)
        assert all(np.isfinite(seq).all() for seq in Xt)
    else:
        assert Xt.shape == np.shape(X)
        padded = np.isnan(np.asarray(X, dtype=float))
        assert np.isfinite(Xt[~padded]).all()
    Y = data.draw(inputs())
    try:
        Yt = scaler.transform(Y)
    except Exception as exc:  # noqa: BLE001 - the assertion is on the type
        assert_named_failure(exc)
        return
    assert len(Yt) == n_samples_of(Y)
