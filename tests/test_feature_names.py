"""SequenceScaler's feature names and set_output, on 2-D input and on sequences."""

import numpy as np
import pandas as pd
import pytest
from sklearn import config_context
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_rnn import SequenceScaler

rng = np.random.RandomState(0)
X3 = rng.normal(3.0, 2.0, size=(12, 4, 2))
FLAT = X3.reshape(12, -1)
COLUMNS = [f"t{t}_{name}" for t in range(4) for name in ("a", "b")]


def test_names_and_pandas_output_on_2d():
    frame = pd.DataFrame(FLAT, columns=COLUMNS, index=np.arange(100, 112))
    scaler = SequenceScaler(n_features_per_step=2).set_output(transform="pandas")
    out = scaler.fit_transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == COLUMNS == list(scaler.get_feature_names_out())
    np.testing.assert_array_equal(out.index, frame.index)
    expected = (X3 - X3.reshape(-1, 2).mean(0)) / X3.reshape(-1, 2).std(0)
    np.testing.assert_allclose(out.to_numpy(), expected.reshape(12, -1))
    assert isinstance(scaler.transform(frame), pd.DataFrame)


def test_global_output_setting_and_default_names():
    with config_context(transform_output="pandas"):
        out = SequenceScaler().fit_transform(FLAT)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == [f"x{i}" for i in range(8)]


def test_pipeline_feature_names():
    frame = pd.DataFrame(FLAT, columns=COLUMNS)
    pipe = make_pipeline(StandardScaler(), SequenceScaler()).fit(frame)
    assert list(pipe.get_feature_names_out()) == COLUMNS


def test_sequences_stay_arrays_whatever_the_output_setting():
    """A DataFrame holds one row a sample; 3-D arrays and lists have no such form."""
    scaler = SequenceScaler().set_output(transform="pandas")
    out = scaler.fit_transform(X3)
    assert isinstance(out, np.ndarray) and out.shape == X3.shape
    ragged = scaler.transform([X3[0], X3[1, :2]])
    assert isinstance(ragged, list) and ragged[1].shape == (2, 2)
    # the names are then those of the features of a step
    assert list(scaler.get_feature_names_out()) == ["x0", "x1"]
    with config_context(transform_output="pandas"):
        assert isinstance(scaler.transform(X3), np.ndarray)


def test_wrong_input_features_are_refused():
    scaler = SequenceScaler().fit(pd.DataFrame(FLAT, columns=COLUMNS))
    with pytest.raises(ValueError, match="input_features is not equal"):
        scaler.get_feature_names_out(["a"] * 8)


def test_a_scaler_fitted_on_sequences_gives_arrays_for_rows_too():
    scaler = SequenceScaler(n_features_per_step=2).set_output(transform="pandas")
    scaler.fit(X3)
    out = scaler.transform(FLAT)  # no table: the fitted names are a step's
    assert isinstance(out, np.ndarray) and out.shape == FLAT.shape
