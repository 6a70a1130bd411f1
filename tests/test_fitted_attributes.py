"""Fitted attributes a user of scikit-learn's MLP expects, and the hidden states."""

import numpy as np
import pytest
from _training import quiet_fit
from sklearn.neural_network import MLPClassifier, MLPRegressor

from sk_rnn import RNNClassifier, RNNRegressor


@pytest.mark.parametrize(
    "rnn, mlp, y",
    [
        (RNNClassifier, MLPClassifier, [0, 1] * 10),
        (RNNClassifier, MLPClassifier, [0, 1, 2, 3] * 5),
        (RNNRegressor, MLPRegressor, np.arange(20.0)),
        (RNNRegressor, MLPRegressor, np.arange(40.0).reshape(20, 2)),
    ],
)
def test_attributes_agree_with_mlp(rnn, mlp, y):
    X = np.random.RandomState(0).normal(size=(20, 4, 3))
    est = quiet_fit(rnn(hidden_layer_sizes=(5, 3), max_iter=2), X, y)
    ref = quiet_fit(mlp(hidden_layer_sizes=(5, 3), max_iter=2), X[:, -1], y)
    assert est.n_outputs_ == ref.n_outputs_ == est.output_bias_.shape[0]
    assert est.n_layers_ == ref.n_layers_ == 4
    assert est.out_activation_ == ref.out_activation_


def test_out_activation_names_what_predict_applies():
    X = np.random.RandomState(0).normal(size=(30, 4, 2))
    clf = quiet_fit(RNNClassifier((4,), max_iter=2), X, [0, 1, 2] * 10)
    logits = clf.hidden_states(X) @ clf.output_weight_.T + clf.output_bias_
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert clf.out_activation_ == "softmax"
    np.testing.assert_allclose(clf.predict_proba(X), softmax, rtol=1e-10)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("readout", ["last", "mean", "max"])
def test_hidden_states_are_what_the_head_reads(cell, bidirectional, readout):
    rng = np.random.RandomState(1)
    X = rng.normal(size=(12, 5, 2))
    params = dict(cell=cell, bidirectional=bidirectional, readout=readout)
    reg = quiet_fit(RNNRegressor((6, 4), max_iter=2, **params), X, rng.normal(size=12))
    H = reg.hidden_states(X)
    assert H.shape == (12, 4 * (1 + bidirectional))
    head = H @ reg.output_weight_.T + reg.output_bias_
    np.testing.assert_allclose(reg.predict(X), reg._unscale(head)[:, 0], rtol=1e-10)
    steps = reg.hidden_states(X, all_steps=True)
    assert steps.shape == (12, 5, H.shape[1])
    if readout == "max":
        np.testing.assert_array_equal(steps.max(axis=1), H)
    elif readout == "mean":
        np.testing.assert_allclose(steps.mean(axis=1), H, rtol=1e-12)
    else:
        np.testing.assert_array_equal(steps[:, -1, :4], H[:, :4])  # forward: last
        if bidirectional:
            np.testing.assert_array_equal(steps[:, 0, 4:], H[:, 4:])  # backward


def test_hidden_states_of_ragged_sequences():
    rng = np.random.RandomState(2)
    X = [rng.normal(size=(n, 2)) for n in (3, 6, 4)]
    reg = quiet_fit(RNNRegressor((5,), max_iter=2), X, [0.0, 1.0, 2.0])
    H, steps = reg.hidden_states(X), reg.hidden_states(X, all_steps=True)
    for i, seq in enumerate(X):
        alone = reg.hidden_states([seq], all_steps=True)[0]
        np.testing.assert_allclose(steps[i, : len(seq)], alone, rtol=1e-12)
        np.testing.assert_allclose(H[i], alone.max(axis=0), rtol=1e-12)
        assert np.isnan(steps[i, len(seq) :]).all()


def test_hidden_states_refuse_wrong_input():
    X = np.random.RandomState(3).normal(size=(10, 4, 2))
    reg = quiet_fit(RNNRegressor((3,), max_iter=2), X, np.arange(10.0))
    with pytest.raises(ValueError, match="3 features per timestep"):
        reg.hidden_states(np.zeros((2, 4, 3)))


def test_a_model_of_every_step_reads_no_summary():
    """With output_sequence=True the readout is moot: hidden_states gives the last
    state, and changing the readout does not change the architecture."""
    rng = np.random.RandomState(4)
    X, y = rng.normal(size=(10, 4, 2)), rng.normal(size=(10, 4))
    reg = quiet_fit(
        RNNRegressor((3,), output_sequence=True, max_iter=2, warm_start=True), X, y
    )
    steps = reg.hidden_states(X, all_steps=True)
    np.testing.assert_array_equal(reg.hidden_states(X), steps[:, -1])
    quiet_fit(reg.set_params(readout="mean"), X, y)  # no architecture error
