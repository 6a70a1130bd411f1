"""The input contract: 3-D sequences, 2-D univariate series, clear errors."""

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture
def series():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 7))
    return X, X.sum(axis=1)


def regressor(**params):
    params = {"cell": "rnn", **params}
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


def test_values_too_large_for_the_models_dtype_are_named(series):
    X, y = series
    reg = regressor(warm_start=True).fit(X[:, :, None].astype(np.float32), y)
    before = pickle.dumps(reg)
    huge = np.full((4, 7, 1), 1e39)  # finite in float64, inf in float32
    huge[1] = -1e39  # and -inf beside inf
    message = "Input X contains infinity or a value too large for dtype('float32')"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the error alone, no NumPy warning
        with pytest.raises(ValueError, match=re.escape(message)):
            reg.predict(huge)
        for call in (reg.fit, reg.partial_fit, reg.score):
            with pytest.raises(ValueError, match=re.escape(message)):
                call(huge, y[:4])
        with pytest.raises(ValueError, match=re.escape(message.replace("X", "X_val"))):
            reg.fit(X[:, :, None], y, X_val=huge, y_val=y[:4])
    assert pickle.dumps(reg) == before


def test_a_validation_set_is_named_in_its_errors(series):
    X, y = series
    with pytest.raises(ValueError, match="X_val has 2 features per timestep"):
        regressor().fit(X[:, :, None], y, X_val=np.zeros((3, 7, 2)), y_val=y[:3])
    bad = X[:3, :, None].copy()
    bad[0, 3] = np.nan
    with pytest.raises(ValueError, match="Input X_val contains NaN inside sequence 0"):
        regressor().fit(X[:, :, None], y, X_val=bad, y_val=y[:3])
    # fitted on 2-D series, where scikit-learn's own checks run
    with pytest.raises(ValueError, match="Input X_val contains infinity"):
        regressor().fit(X, y, X_val=np.full((3, 7), np.inf), y_val=y[:3])
    with pytest.raises(ValueError, match="X_val has 4 features, but RNNRegressor"):
        regressor().fit(X, y, X_val=X[:3, :4], y_val=y[:3])
    # and its targets
    with pytest.raises(ValueError, match="Input y_val contains NaN"):
        regressor().fit(X, y, X_val=X[:3], y_val=[1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="y_val has 2 outputs"):
        regressor().fit(X, y, X_val=X[:3], y_val=np.ones((3, 2)))
    labels = np.arange(len(X)) % 2
    with pytest.raises(ValueError, match=re.escape("y_val contains labels [2]")):
        RNNClassifier(max_iter=2).fit(X, labels, X_val=X[:3], y_val=[0, 1, 2])
    with pytest.raises(ValueError, match="y_val contains a missing label"):
        RNNClassifier(max_iter=2).fit(X, labels, X_val=X[:2], y_val=[0, None])


def test_wrong_length_of_2d_series_at_predict_says_how_to_pass_them(series):
    X, y = series
    reg = regressor().fit(X, y)
    with pytest.raises(ValueError, match=re.escape("as 3-D (n_samples, n_timesteps")):
        reg.predict(X[:, :5])
    assert reg.predict(X[:, :5, None]).shape == (len(X),)
    # Named columns are compared first: the missing ones are listed.
    columns = [f"t{j}" for j in range(X.shape[1])]
    reg = regressor().fit(pd.DataFrame(X, columns=columns), y)
    with pytest.raises(ValueError, match="Feature names seen at fit time, yet now"):
        reg.predict(pd.DataFrame(X[:, :5], columns=columns[:5]))
    with pytest.raises(ValueError, match="minimum of 1 is required by RNNRegressor"):
        reg.predict(np.empty((0, X.shape[1])))


def test_per_step_validation_targets_are_named():
    X = np.random.RandomState(0).normal(size=(6, 4, 1))
    reg = regressor(output_sequence=True)
    with pytest.raises(ValueError, match="output_sequence=True, y_val must be of"):
        reg.fit(X, X[:, :, 0], X_val=X[:3], y_val=np.ones(3))


@pytest.mark.parametrize(
    "X",
    [
        np.zeros((4, 3, 1), dtype="datetime64[s]"),
        np.zeros((4, 3), dtype="timedelta64[ms]"),
        pd.DataFrame({"t": pd.date_range("2026-01-01", periods=4), "x": range(4)}),
        [np.zeros(3, dtype="datetime64[D]"), np.zeros(2, dtype="datetime64[D]")],
    ],
)
def test_dates_and_durations_are_not_read_as_numbers(X):
    with pytest.raises(TypeError, match="dates and durations are not numbers"):
        RNNRegressor().fit(X, np.arange(4.0)[: len(X)])


@pytest.mark.parametrize(
    "X",
    [
        np.ones((4, 3, 1)).astype(str),
        np.ones((4, 3)).astype(bytes),
        [["1", "2", "3"]] * 4,
        np.ones((4, 3)).astype(str).astype(object),
        np.array([[1.0, "2", 3.0]] * 4, dtype=object),
        pd.DataFrame({"a": ["1"] * 4, "b": [2.0] * 4}, dtype=object),
        pd.DataFrame({"a": pd.array(["1"] * 4, dtype="string"), "b": [2.0] * 4}),
        pd.DataFrame({"a": pd.Categorical(["1", "2"] * 2), "b": [2.0] * 4}),
    ],
)
def test_strings_are_not_read_as_numbers(X):
    named = "Input X column 'a' has" if isinstance(X, pd.DataFrame) else "Input X has"
    with pytest.raises(TypeError, match=f"{named} dtype .*: strings are not numbers"):
        RNNRegressor().fit(X, np.arange(4.0))
    fitted = regressor().fit(np.ones((4, 3, 1)), np.arange(4.0))
    with pytest.raises(TypeError, match="strings are not numbers"):
        fitted.predict(X)


@pytest.mark.parametrize(
    "X",
    [
        np.ones((4, 3)).astype(object),
        pd.DataFrame({"a": pd.Categorical([1.0, 2.0] * 2), "b": [2.0] * 4}),
        pd.DataFrame({"a": pd.array([1, 2, 3, 4], dtype="Int64"), "b": [2.0] * 4}),
    ],
)
def test_numbers_in_object_and_pandas_columns_are_numbers(X):
    reg = regressor().fit(X, np.arange(4.0))
    assert reg.predict(X).dtype == np.float64


def test_an_object_array_of_sequences_is_a_list_of_them():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(n, 2)) for n in (3, 5, 4, 2)]
    y = np.arange(4.0)
    as_objects = np.empty(4, dtype=object)
    as_objects[:] = X
    reg = regressor().fit(X, y)
    again = regressor().fit(as_objects, y)
    np.testing.assert_array_equal(reg.predict(as_objects), reg.predict(X))
    np.testing.assert_array_equal(again.predict(X), reg.predict(X))
    # and so is a pandas Series of them (a DataFrame column), whatever its index
    column = pd.Series(X, index=[10, 3, 7, 1])
    from_column = regressor().fit(column, y)
    np.testing.assert_array_equal(from_column.predict(X), reg.predict(X))
    np.testing.assert_array_equal(reg.predict(column), reg.predict(X))
    scaled = SequenceScaler().fit(X).transform(column)
    assert [s.shape for s in scaled] == [x.shape for x in X]


@pytest.mark.parametrize(
    "sequence, shape",
    [
        (np.zeros((0, 2)), "(0, 2)"),
        (np.zeros((2, 0)), "(2, 0)"),
        (np.zeros((2, 2, 2)), "(2, 2, 2)"),
    ],
)
def test_a_list_names_its_bad_sequence(sequence, shape):
    X = [np.ones((3, 2)), sequence]
    with pytest.raises(
        ValueError, match=re.escape(f"sequence 1 of X has shape {shape}")
    ):
        RNNRegressor().fit(X, [1.0, 2.0])


@pytest.mark.parametrize(
    "y, classes, message",
    [
        (np.array(["a", np.nan] * 4, dtype=object), None, "y contains a missing"),
        (np.array(["a", None] * 4, dtype=object), None, "y contains a missing"),
        (pd.array(["a", pd.NA] * 4, dtype="string"), None, "y contains a missing"),
        (np.array([0.0, np.nan] * 4), None, "y contains a missing"),
        (np.array([1, "a"] * 4, dtype=object), None, "y mixes labels"),
        (np.arange(8) % 2, [0, 1, np.nan], "classes contains a missing"),
        (np.arange(8) % 2, np.array([0, 1, "a"], dtype=object), "classes mixes"),
        (np.arange(8) % 2, [0, 1, "a"], "classes mixes labels of type str"),
    ],
)
def test_labels_must_name_classes(y, classes, message):
    X = np.zeros((8, 3))
    with pytest.raises(ValueError, match=message):
        if classes is None:
            RNNClassifier().fit(X, y)
        else:
            RNNClassifier().partial_fit(X, y, classes=classes)


@pytest.mark.parametrize("weight", [-1.0, np.nan, np.inf])
def test_class_weights_must_be_finite_and_non_negative(weight):
    X, y = np.zeros((8, 3)), np.arange(8) % 2
    with pytest.raises(ValueError, match="class_weight must give each class a finite"):
        RNNClassifier(class_weight={0: weight}).fit(X, y)


def test_a_network_too_large_for_memory_is_refused_before_its_weights():
    X, y = np.zeros((4, 3)), np.arange(4.0)
    message = r"hidden_layer_sizes=\(1000000,\), with 1 input features and 1 outputs"
    with pytest.raises(ValueError, match=message):
        RNNRegressor(hidden_layer_sizes=(10**6,)).fit(X, y)


@pytest.mark.parametrize(
    "change, named",
    [
        ({"cell": "lstm"}, "cell='rnn' -> 'lstm'"),
        ({"hidden_layer_sizes": 6}, "hidden_layer_sizes=(5,) -> (6,)"),
        ({"activation": "relu"}, "activation='tanh' -> 'relu'"),
        ({"bidirectional": True}, "bidirectional=False -> True"),
        ({"output_sequence": True}, "output_sequence=False -> True"),
    ],
)
def test_continuing_needs_the_fitted_architecture(series, change, named):
    X, y = series
    reg = regressor(warm_start=True).fit(X[:, :, None], y)
    before = pickle.dumps(reg)
    reg.set_params(**change)
    for call in (reg.fit, reg.partial_fit):
        with pytest.raises(ValueError, match=re.escape(named)):
            call(X[:, :, None], y)
    reg.set_params(**regressor(warm_start=True).get_params())
    assert pickle.dumps(reg) == before
    reg.set_params(hidden_layer_sizes=[5], activation="tanh").fit(X[:, :, None], y)


@pytest.mark.parametrize(
    "change, named",
    [
        ({"n_features_per_step": 2}, "n_features_per_step=1 -> 2"),
        ({"n_timesteps": 4}, "n_timesteps=None -> 4"),
    ],
)
def test_continuing_needs_the_fitted_layout_of_rows(series, change, named):
    # fitted on 2-D rows of univariate steps: a new layout would read other inputs
    X, y = series
    reg = regressor(warm_start=True).fit(X, y)
    before = pickle.dumps(reg)
    reg.set_params(**change)
    for call in (reg.fit, reg.partial_fit):
        with pytest.raises(ValueError, match=re.escape(named)):
            call(X, y)
    reg.set_params(n_features_per_step=None, n_timesteps=None)
    assert pickle.dumps(reg) == before
    reg.set_params(n_features_per_step=1).fit(X, y)  # the same layout, spelt out


def test_a_model_fitted_on_rows_before_their_layout_was_kept_continues(series):
    X, y = series
    reg = regressor(warm_start=True).fit(X, y)
    del reg._n_features_per_step, reg._n_timesteps  # as pickled by 0.1.0
    old = pickle.loads(pickle.dumps(reg))
    expected = old.predict(X)
    np.testing.assert_array_equal(regressor().fit(X, y).predict(X), expected)
    old.fit(X, y)  # continues: one feature a step, no static columns
    old.partial_fit(X, y)
    assert len(old.loss_curve_) == 11  # 5 epochs, 5 more, and partial_fit's one


def test_a_list_of_series_is_a_list_of_univariate_sequences():
    X = [pd.Series([1.0, 2.0, 3.0]), pd.Series([1.0, 2.0])]
    expected = regressor().fit([[1.0, 2.0, 3.0], [1.0, 2.0]], [6.0, 3.0])
    reg = regressor().fit(X, [6.0, 3.0])
    np.testing.assert_array_equal(reg.predict(X), expected.predict(X))


def test_a_model_pickled_before_architectures_were_kept_continues(series):
    X, y = series
    reg = regressor(warm_start=True).fit(X, y)
    del reg._network.architecture  # as pickled by an earlier version
    old = pickle.loads(pickle.dumps(reg))
    old.fit(X, y)
    assert old.n_iter_ == 5 and len(old.loss_curve_) == 10
