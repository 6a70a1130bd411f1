"""Hostile input of each class is refused with our error, before any math and before
any NumPy warning, or gives a correct, finite result."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import InvalidParameterError

from sk_rnn import RNNClassifier, RNNRegressor

# Every warning is an error here, so that none escapes before our error.
pytestmark = [
    pytest.mark.filterwarnings("error"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]

SMALL = dict(hidden_layer_sizes=(3,), max_iter=2, random_state=0)


@pytest.fixture(scope="module")
def X():
    return np.random.RandomState(0).normal(size=(20, 4, 2))


@pytest.fixture(scope="module")
def y_class(X):
    return (X[:, 0, 0] > 0).astype(int)


@pytest.fixture(scope="module")
def fitted(X, y_class):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = RNNClassifier(**SMALL).fit(X, y_class)
        reg = RNNRegressor(**SMALL).fit(X, X[:, 0, 0])
    return clf, reg


@pytest.mark.parametrize("label", [np.inf, -np.inf, 1e200, 1e308])
def test_classifier_labels_infinite_or_too_large(X, y_class, label):
    y = y_class.astype(float)
    y[0] = label
    with pytest.raises(ValueError, match="y contains (infinity|the float label)"):
        RNNClassifier(**SMALL).fit(X, y)


@pytest.mark.parametrize("y", [[0.5, "a"] * 10, [1, "b"] * 10])
def test_classifier_labels_mixing_strings_and_numbers(X, y):
    with pytest.raises(ValueError, match="y mixes labels of type str with"):
        RNNClassifier(**SMALL).fit(X, y)


@pytest.mark.parametrize(
    "y",
    [
        np.array(["1.5", "2"] * 10),
        np.array(["1.5", "2"] * 10, dtype=object),
        np.array(["2020-01-01", "2020-01-02"] * 10, dtype="datetime64[D]"),
    ],
)
def test_regressor_targets_text_or_dates(X, y):
    with pytest.raises(TypeError, match="^y (holds strings|has dtype datetime)"):
        RNNRegressor(**SMALL).fit(X, y)


@pytest.mark.parametrize("kind", [np.int8, np.int16, np.uint8, np.int32])
def test_numpy_integer_hidden_sizes_are_valid(X, y_class, kind):
    for sizes in [(kind(3),), kind(3)]:
        clf = RNNClassifier(**{**SMALL, "hidden_layer_sizes": sizes})
        clf.fit(X, y_class)
        assert clf._network.hidden_sizes == (3,)
        assert type(clf._network.hidden_sizes[0]) is int


@pytest.mark.parametrize("n_hidden", [np.int32(1000), np.int32(30000)])
def test_memory_guard_computes_in_python_integers(n_hidden):
    X = np.zeros((200, 20000, 1), dtype=np.float32)  # 16 MB, never trained on
    reg = RNNRegressor((n_hidden,), cell="lstm", patch_size=1)  # step by step
    with pytest.raises(ValueError, match="more than the limit of 8 GiB"):
        reg.fit(X, np.zeros(200))


def test_the_memory_guard_names_the_patch_size():
    # 20,000 steps: "auto" reads 500 steps as one, so the network has 500 * 100
    # inputs, 13 GiB of LSTM weights that one step at a time would be 1 GiB; the
    # message must say so, not blame the 100 features alone
    X = np.zeros((4, 20000, 100), dtype=np.float32)  # 32 MB, never trained on
    reg = RNNRegressor((4096,), cell="lstm")
    with pytest.raises(ValueError, match="more than the limit") as refused:
        reg.fit(X, np.zeros(4))
    assert "patch_size" in str(refused.value)
    assert "50000" in str(refused.value).replace(",", "")  # the inputs it has


def test_structured_dtype_X(y_class):
    X = np.zeros((20, 4), dtype=[("a", "f8"), ("b", "f8")])
    with pytest.raises(TypeError, match="Input X has the structured dtype"):
        RNNClassifier(**SMALL).fit(X, y_class)


@pytest.mark.parametrize("weight", [1e300, 3e38])
def test_sample_weights_that_would_overflow(X, weight):
    X32 = X.astype(np.float32)
    with pytest.raises(ValueError, match="sample_weight sums to .* too large"):
        RNNRegressor(**SMALL).fit(X32, X32[:, 0, 0], sample_weight=np.full(20, weight))


def test_class_weight_that_would_overflow(X, y_class):
    clf = RNNClassifier(class_weight={0: 1e300}, **SMALL)
    with pytest.raises(ValueError, match="sample_weight times class_weight sums"):
        clf.fit(X, y_class)


@pytest.mark.parametrize("class_weight", [{0: 1, 1: 2, 7: 3}, {7: 3}])
def test_class_weight_naming_labels_that_are_not_classes(X, y_class, class_weight):
    with pytest.raises(ValueError, match=r"class_weight names \[7\], which are not"):
        RNNClassifier(class_weight=class_weight, **SMALL).fit(X, y_class)
    # as documented, labels absent from class_weight weigh 1
    weighted = RNNClassifier(class_weight={1: 1.0}, **SMALL).fit(X, y_class)
    plain = RNNClassifier(**SMALL).fit(X, y_class)
    np.testing.assert_array_equal(weighted.output_weight_, plain.output_weight_)


@pytest.mark.parametrize(
    "sample_weight, error",
    [
        (np.array(["a"] * 20), "sample_weight has dtype <U1: strings"),
        (np.array([None] * 20), "sample_weight must hold numbers; .* NoneType"),
    ],
)
def test_score_sample_weight_not_numbers(X, y_class, fitted, sample_weight, error):
    clf, reg = fitted
    for est, y in [(clf, y_class), (reg, X[:, 0, 0])]:
        with pytest.raises(TypeError, match=error):
            est.score(X, y, sample_weight=sample_weight)


def test_score_weighs_by_ratios_without_overflow_warnings(X, y_class, fitted):
    # fit refuses such a total (its loss would overflow); score needs only ratios
    clf, reg = fitted
    for est, y in [(clf, y_class), (reg, X[:, 0, 0])]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            huge = est.score(X, y, sample_weight=np.full(20, 1e307))
        assert huge == pytest.approx(est.score(X, y))


def test_score_labels_of_mixed_or_foreign_types(X, fitted):
    clf, reg = fitted
    with pytest.raises(
        ValueError, match="y mixes labels of type str with labels of type int"
    ):
        clf.score(X, np.array([0, "a"] * 10, dtype=object))
    dates = np.array(["2020-01-01", "2020-01-02"] * 10, dtype="datetime64[D]")
    with pytest.raises(ValueError, match="cannot be compared with the classes"):
        clf.score(X, dates)
    with pytest.raises(TypeError, match="y has dtype datetime64"):
        reg.score(X, dates)


def test_regressor_score_of_huge_targets_is_finite(X):
    y = X[:, 0, 0] * 1e200
    reg = RNNRegressor(hidden_layer_sizes=(3,), max_iter=50, random_state=0)
    reg.fit(X, y)
    score = reg.score(X, y)
    assert np.isfinite(score)
    # R² does not depend on the units of the targets
    unit = RNNRegressor(hidden_layer_sizes=(3,), max_iter=50, random_state=0)
    assert score == pytest.approx(unit.fit(X, y / 1e200).score(X, y / 1e200))


def test_partial_fit_with_no_classes(X, y_class):
    with pytest.raises(ValueError, match="classes must name at least 2 classes"):
        RNNClassifier(**SMALL).partial_fit(X, y_class, classes=[])


def test_validation_set_of_one_sequence(X):
    y = X[:, 0, 0]
    reg = RNNRegressor(early_stopping=True, **SMALL)
    with pytest.raises(ValueError, match="X_val holds 1 sequence"):
        reg.fit(X, y, X_val=X[:1], y_val=y[:1])


def test_per_step_targets_longer_than_their_sequence():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(3, 1)), rng.normal(size=(2, 1))]
    for extra in [1, 2]:  # by 1, the targets stack into an array: none may be lost
        y = [np.zeros(3), np.zeros(2 + extra)]
        for est in [RNNRegressor, RNNClassifier]:
            with pytest.raises(ValueError, match="sequence 1 has 2 steps"):
                est(output_sequence=True, **SMALL).fit(X, y)


def test_partial_fit_validates_parameters_set_between_calls(X):
    y = X[:, 0, 0]
    reg = RNNRegressor(solver="sgd", **SMALL).partial_fit(X, y)
    before = reg.output_weight_.copy()
    reg.clip_norm = -1.0
    with pytest.raises(InvalidParameterError, match="clip_norm"):
        reg.partial_fit(X, y)
    np.testing.assert_array_equal(reg.output_weight_, before)


def test_n_jobs_zero_is_refused_by_name(X, y_class, fitted):
    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter"):
        RNNClassifier(**SMALL, n_jobs=0).fit(X, y_class)
    clf = pickle.loads(pickle.dumps(fitted[0]))
    expected = clf.predict_proba(X)
    clf.set_params(n_jobs=0)  # set after fitting: prediction checks it
    for call in (clf.predict, clf.predict_proba, clf.hidden_states):
        with pytest.raises(ValueError, match="n_jobs=0 has no meaning"):
            call(X)
    np.testing.assert_array_equal(
        clf.set_params(n_jobs=None).predict_proba(X), expected
    )


@pytest.mark.parametrize("missing", [None, pd.NA], ids=["None", "pd.NA"])
def test_missing_values_in_object_input_are_read_as_nan(X, fitted, missing):
    # NaN where pandas says a value is missing: the NaN checks name its place
    clf = fitted[0]
    inner = X[:3].astype(object)
    inner[1, 2, 0] = missing
    message = "NaN in some but not all features of sequence 1 at step 2"
    with pytest.raises(ValueError, match=message):
        clf.predict(inner)
    ragged = [X[0, :3].astype(object), inner[1]]
    with pytest.raises(ValueError, match="sequence 1 at step 2"):
        clf.predict(ragged)
    series = [pd.Series(X[0, :3, 0]), pd.Series(inner[1, :, 0])]  # object Series
    univariate = RNNClassifier(**SMALL).fit(X[:, :, 0], fitted[0].classes_[[0, 1] * 10])
    with pytest.raises(ValueError, match="NaN inside sequence 1 at step 2"):
        univariate.predict(series)
    lists = [[1.0, 2.0], [1.0, missing, 3.0, 4.0]]  # nested Python lists, ragged
    with pytest.raises(ValueError, match="NaN inside sequence 1 at step 1"):
        RNNRegressor(**SMALL).fit(lists, [0.0, 1.0])
    with pytest.raises(ValueError, match="got a 0-D array"):
        clf.predict(np.array(missing, dtype=object))
    frame = pd.DataFrame(X[:3, :, 0]).astype(object)
    frame.iloc[1, 1] = missing  # 2-D rows: a missing value inside a series
    with pytest.raises(ValueError, match="NaN inside sequence 1 at step 1"):
        univariate.predict(frame)
