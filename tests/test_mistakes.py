"""Common mistakes are named with their fix instead of passing silently."""

import warnings

import numpy as np
import pandas as pd
import pytest
from _training import quiet_fit
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler
from sk_rnn.datasets import make_sine


@pytest.fixture(scope="module")
def fitted():
    X = np.random.RandomState(0).normal(size=(30, 12, 3))
    return X, quiet_fit(RNNRegressor((3,), max_iter=2), X, np.arange(30.0))


def test_one_sequence_without_its_sample_axis_is_named(fitted):
    X, reg = fitted
    with pytest.raises(ValueError, match=r"add the sample axis: X\[None\]"):
        reg.predict(X[0])
    assert reg.predict(X[0][None]).shape == (1,)


def test_other_wrong_widths_get_no_sample_axis_hint(fitted):
    _, reg = fitted
    with pytest.raises(ValueError, match="1 features per timestep") as info:
        reg.predict(np.zeros((5, 7)))
    assert "X[None]" not in str(info.value)


@pytest.mark.parametrize(
    "X, error, message",
    [
        ({"a": [1.0, 2.0]}, TypeError, "X is a dict; pass the sequences as an array"),
        (np.zeros((2, 3, 4, 1)), ValueError, r"merge the extra axes.*reshape"),
        (np.zeros(5), ValueError, r"X.reshape\(1, -1\) for one univariate series"),
    ],
)
def test_wrong_containers_and_dimensions_get_their_own_hint(fitted, X, error, message):
    _, reg = fitted
    with pytest.raises(error, match=message):
        reg.predict(X)


def test_nested_dataframe_is_refused_with_the_conversion():
    rng = np.random.RandomState(0)
    X3d = rng.normal(size=(6, 5, 2))  # 6 sequences, 5 steps, 2 channels
    nested = pd.DataFrame(
        {f"dim_{c}": [pd.Series(seq[:, c]) for seq in X3d] for c in range(2)}
    )
    reg = RNNRegressor((3,), max_iter=2)
    with pytest.raises(TypeError, match="nested DataFrame") as info:
        reg.fit(nested, np.arange(6.0))
    # the conversion the message gives turns it into the 3-D array
    X = nested  # noqa: F841, the name the message's code uses
    code = str(info.value).split("n_features): ")[1].rstrip(".")
    np.testing.assert_array_equal(eval(code), X3d)


def test_long_format_dataframe_is_refused_with_the_conversion():
    rng = np.random.RandomState(0)
    X3d = rng.normal(size=(4, 5, 2))
    index = pd.MultiIndex.from_product([range(4), range(5)], names=["case", "t"])
    long = pd.DataFrame(X3d.reshape(20, 2), index=index, columns=["a", "b"])
    with pytest.raises(ValueError, match="long format") as info:
        RNNRegressor().fit(long, np.arange(4.0))
    assert "groupby(level=0)" in str(info.value)
    X = long
    per_case = [g.to_numpy() for _, g in X.groupby(level=0)]
    np.testing.assert_array_equal(np.stack(per_case), X3d)


def test_classifier_names_per_step_labels():
    X = np.random.RandomState(0).normal(size=(20, 6, 2))
    with pytest.raises(ValueError, match=r"one target per timestep.*output_sequence"):
        RNNClassifier().fit(X, np.zeros((20, 6), dtype=int))


def test_regressor_warns_on_per_step_targets_with_one_output_per_sequence():
    X = np.random.RandomState(0).normal(size=(20, 6, 2))
    with pytest.warns(UserWarning, match=r"set output_sequence=True") as record:
        quiet_fit(RNNRegressor((3,), max_iter=2), X, np.zeros((20, 6)))
    assert record[0].filename.endswith("_training.py")  # the line calling fit
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        quiet_fit(RNNRegressor((3,), max_iter=2, output_sequence=True), X, X[..., 0])
        quiet_fit(RNNRegressor((3,), max_iter=2), X, np.zeros((20, 2)))


def test_unscaled_inputs_get_a_warning_and_scaling_fixes_them():
    X, y = make_sine(n_samples=300, n_timesteps=10, noise=0.05, random_state=0)
    X, y = X * 1000 + 5000, y * 1000 + 5000
    reg = RNNRegressor((16,), max_iter=60, random_state=0)
    with pytest.warns(UserWarning, match=r"far from unit scale.*SequenceScaler") as w:
        quiet_fit(reg, X[:200], y[:200])
    assert w[0].filename.endswith("_training.py")
    raw = r2_score(y[200:], reg.predict(X[200:]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        Xs = SequenceScaler().fit(X[:200]).transform(X)
        reg_scaled = RNNRegressor((16,), max_iter=60, random_state=0)
        quiet_fit(reg_scaled, Xs[:200], y[:200])
    assert r2_score(y[200:], reg_scaled.predict(Xs[200:])) > max(raw, 0) + 0.3


def test_channels_first_arrays_get_a_warning_with_the_transpose():
    from sk_rnn.exceptions import ChannelsFirstWarning

    rng = np.random.RandomState(0)
    # (n_cases, n_channels, n_timepoints): smooth series, as time series are
    aeon_like = np.cumsum(rng.normal(size=(20, 1, 40)), axis=2)
    y = np.arange(20) % 2
    with pytest.warns(ChannelsFirstWarning, match=r"X.transpose\(0, 2, 1\)"):
        RNNClassifier((4,), max_iter=2).fit(aeon_like, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ChannelsFirstWarning)
        RNNClassifier((4,), max_iter=2).fit(aeon_like.transpose(0, 2, 1), y)
        RNNClassifier((4,), max_iter=2).fit(rng.normal(size=(20, 6, 40)), y)
        RNNClassifier((4,), max_iter=2).fit(aeon_like[:, 0], y)  # 2-D: steps
        # a few steps of many features that are not a series: embeddings
        embeddings = rng.normal(size=(20, 5, 300))
        RNNClassifier((4,), max_iter=2).fit(embeddings, y)


def test_an_activation_for_a_gated_cell_is_named():
    X, y = np.zeros((10, 4, 1)), np.arange(10) % 2
    with pytest.warns(UserWarning, match="cell='gru' ignores it"):
        RNNClassifier((2,), activation="identity", max_iter=1).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        RNNClassifier((2,), cell="rnn", activation="identity", max_iter=1).fit(X, y)
