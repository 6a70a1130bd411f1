"""Hostile input of each class is refused with our error, before any math and before
any NumPy warning, or gives a correct, finite result."""

import io
import warnings
import zipfile

import numpy as np
import pytest
import skops.io as sio
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import InvalidParameterError

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler
from sk_rnn.io import dump, load

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
    with pytest.raises(ValueError, match="y mixes strings with labels of type"):
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
    reg = RNNRegressor((n_hidden,), cell="lstm")
    with pytest.raises(ValueError, match="more than the limit of 8 GiB"):
        reg.fit(X, np.zeros(200))


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


def test_class_weight_absent_labels_weigh_one(X, y_class):
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


def test_score_labels_of_mixed_or_foreign_types(X, fitted):
    clf, reg = fitted
    with pytest.raises(ValueError, match="y mixes strings with labels of type int"):
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


@pytest.mark.parametrize("extra", [1, 2])
def test_per_step_targets_longer_than_their_sequence(extra):
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(3, 1)), rng.normal(size=(2, 1))]
    y = [np.zeros(3), np.zeros(2 + extra)]
    for est in [RNNRegressor(output_sequence=True, **SMALL)]:
        with pytest.raises(ValueError, match="sequence 1 has 2 steps"):
            est.fit(X, y)


def test_partial_fit_validates_parameters_set_between_calls(X):
    y = X[:, 0, 0]
    reg = RNNRegressor(solver="sgd", **SMALL).partial_fit(X, y)
    before = reg.output_weight_.copy()
    reg.clip_norm = -1.0
    with pytest.raises(InvalidParameterError, match="clip_norm"):
        reg.partial_fit(X, y)
    np.testing.assert_array_equal(reg.output_weight_, before)


@pytest.mark.parametrize("magnitude", [1e200, 1e307])
def test_scaler_on_values_near_the_float_limit(X, magnitude):
    big = X * magnitude
    scaler = SequenceScaler().fit(big)
    assert np.isfinite(scaler.scale_).all() and np.isfinite(scaler.mean_).all()
    small = SequenceScaler().fit(X)
    np.testing.assert_allclose(scaler.transform(big), small.transform(X), atol=1e-12)


# ------------------------------------------------------------ untrusted files
def _rewrite(source, target, change):
    """Copy the archive ``source`` to ``target``, members mapped by ``change``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for name in zin.namelist():
            data = change(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)


@pytest.fixture
def saved(fitted, tmp_path):
    path = tmp_path / "model.skops"
    dump(fitted[1], path)
    return path


def test_load_refuses_objects_that_are_not_models(tmp_path):
    for obj in [{"a": 1}, np.zeros(3)]:
        path = tmp_path / "object.skops"
        sio.dump(obj, path)
        with pytest.raises(ValueError, match="object.skops: it holds a .*, not an"):
            load(path)


def test_load_refuses_a_forged_array_header(saved, tmp_path):
    with zipfile.ZipFile(saved) as archive:
        first = next(n for n in archive.namelist() if n.endswith(".npy"))

    def forge(name, data):
        if name != first:
            return data
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(
            header, {"descr": "<f8", "fortran_order": False, "shape": (2**31,)}
        )
        return header.getvalue() + bytes(1000)  # asks for 16 GiB

    forged = tmp_path / "forged.skops"
    _rewrite(saved, forged, forge)
    with pytest.raises(ValueError, match="forged.skops: its contents declare more"):
        load(forged)


def test_load_refuses_corrupted_archives(saved, tmp_path):
    raw = saved.read_bytes()
    truncated = tmp_path / "truncated.skops"
    truncated.write_bytes(raw[: len(raw) // 2])
    no_json = tmp_path / "json.skops"
    _rewrite(saved, no_json, lambda n, d: b"{not json" if n == "schema.json" else d)
    with zipfile.ZipFile(saved) as archive:
        first = next(n for n in archive.namelist() if n.endswith(".npy"))
    missing = tmp_path / "missing.skops"
    _rewrite(saved, missing, lambda n, d: None if n == first else d)
    for path in [truncated, no_json, missing]:
        with pytest.raises(ValueError, match=f"{path.name}: it is not a readable"):
            load(path)


def test_load_refuses_weights_of_the_wrong_shape(X, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = RNNRegressor(**SMALL).fit(X, X[:, 0, 0])
    reg.output_weight_ = np.zeros((5, 1))
    path = tmp_path / "shape.skops"
    sio.dump(reg, path)
    with pytest.raises(ValueError, match="weight 'output_weight' is an array of"):
        load(path)


def test_load_accepts_a_model_below_max_bytes_only(saved):
    assert isinstance(load(saved), RNNRegressor)
    with pytest.raises(ValueError, match="more than max_bytes=100 bytes"):
        load(saved, max_bytes=100)


def test_fit_never_returns_a_model_predicting_non_finite_values():
    rng = np.random.RandomState(0)
    X = (rng.normal(size=(60, 5, 1)) * 1e6).astype(np.float32)
    params = dict(activation="identity", solver="sgd", max_iter=1, batch_size=60)
    for seed in range(5):
        reg = RNNRegressor((3,), random_state=seed, **params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # far from unit scale
            try:
                reg.fit(X, X[:, 0, 0])
            except ValueError as exc:
                assert "diverged" in str(exc)
                continue
        assert np.isfinite(reg.predict(X)).all()
