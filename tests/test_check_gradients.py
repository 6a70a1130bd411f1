"""sk_rnn.utils.check_gradients: small for correct BPTT, large for a broken one."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn._backend._cells import CELLS
from sk_rnn.utils import check_gradients


def data(n_classes=None, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(12, 5, 2))
    y = rng.normal(size=12) if n_classes is None else np.arange(12) % n_classes
    return X, y


@pytest.mark.parametrize(
    "estimator, n_classes",
    [
        (RNNRegressor((3,), alpha=0.1, random_state=0), None),
        (RNNClassifier((3,), random_state=0), 2),
        (RNNClassifier((3,), random_state=0), 3),
        (RNNRegressor((3, 2), cell="rnn", activation="identity", random_state=0), None),
        (RNNClassifier((2,), bidirectional=True, random_state=0), 3),
    ],
)
def test_correct_backpropagation_gives_tiny_errors(estimator, n_classes):
    # Seeded: finite differences of an unseeded draw exceeded the bound about once
    # in 200 draws (1.8e-7 at worst), with or without any change to the kernels.
    X, y = data(n_classes)
    errors = check_gradients(estimator, X, y, sample_weight=np.arange(1.0, 13.0))
    n_layers = len(estimator.hidden_layer_sizes)
    directions = ("", "_reverse") if estimator.bidirectional else ("",)
    expected = {
        f"{name}_l{k}{suffix}"
        for k in range(n_layers)
        for suffix in directions
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    } | {"output_weight", "output_bias"}
    assert set(errors) == expected
    assert max(errors.values()) < 1e-7
    assert not hasattr(estimator, "n_iter_")  # left unfitted


def test_fitted_estimator_is_checked_at_its_weights_and_left_alone():
    X, y = data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = RNNRegressor((3,), max_iter=20, random_state=0).fit(X, y)
    before = reg.recurrent_weights_["weight_hh_l0"].copy()
    errors = check_gradients(reg, X, y, max_entries=4)
    assert max(errors.values()) < 1e-7
    np.testing.assert_array_equal(reg.recurrent_weights_["weight_hh_l0"], before)
    assert reg.n_iter_ == 20


def test_a_fitted_classifier_names_why_it_needs_its_classes():
    X, y = data(n_classes=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = RNNClassifier((2,), max_iter=2, random_state=0).fit(X, y)
    with pytest.raises(
        ValueError, match="check_gradients evaluates a fitted .*same cl"
    ):
        check_gradients(clf, X, y % 2, max_entries=2)
    with pytest.raises(ValueError, match="at least 2 classes") as raised:
        check_gradients(RNNClassifier((2,)), X, np.zeros(12))  # unfitted: as fit says
    assert "check_gradients" not in str(raised.value)


def test_a_wrong_gradient_is_caught(monkeypatch):
    # Corrupt the recurrent weight's gradient by 1%: only that array is flagged.
    cell_class = CELLS["rnn"]
    backward = cell_class.backward

    def wrong_backward(self, *args, **kwargs):
        dX, (d_ih, d_hh, d_bih, d_bhh) = backward(self, *args, **kwargs)
        return dX, (d_ih, 1.01 * d_hh, d_bih, d_bhh)

    monkeypatch.setattr(cell_class, "backward", wrong_backward)
    X, y = data()
    reg = RNNRegressor((3,), cell="rnn", random_state=0)
    errors = check_gradients(reg, X, y)
    assert errors["weight_hh_l0"] > 1e-3
    del errors["weight_hh_l0"]
    assert max(errors.values()) < 1e-7


def test_float32_estimators_are_checked_in_float64():
    X, y = data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = RNNRegressor((3,), max_iter=3, random_state=0)
        reg.fit(X.astype(np.float32), y.astype(np.float32))
    assert reg.output_weight_.dtype == np.float32
    assert max(check_gradients(reg, X, y).values()) < 1e-7


def test_max_entries_samples_each_array():
    X, y = data()
    errors = check_gradients(
        RNNRegressor((4,), random_state=0), X, y, max_entries=2, random_state=0
    )
    assert max(errors.values()) < 1e-7


def test_variable_length_sequences():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(n, 2)) for n in (3, 7, 1, 5, 7, 2)]
    model = RNNClassifier((3,), bidirectional=True, readout="last", random_state=0)
    errors = check_gradients(model, X, [0, 1] * 3)
    assert max(errors.values()) < 1e-7
