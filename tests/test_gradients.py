"""BPTT gradients against central finite differences, and one SGD step by hand."""

import numpy as np
import pytest
from _gradcheck import numerical_gradient

from sk_rnn import RNNRegressor
from sk_rnn._backend import LOSSES, RecurrentNetwork, loss_and_gradient
from sk_rnn.utils import check_gradients


def make_problem(loss_name, n_samples, n_timesteps, rng, n_features=3, n_classes=3):
    X = rng.normal(size=(n_samples, n_timesteps, n_features))
    if loss_name == "squared_error":
        Y = rng.normal(size=(n_samples, 2))
    elif loss_name == "binary_log_loss":
        Y = rng.randint(0, 2, size=(n_samples, 1)).astype(float)
    else:
        Y = np.eye(n_classes)[rng.randint(0, n_classes, size=n_samples)]
    return X, Y


@pytest.mark.parametrize("activation", ["tanh", "relu", "identity"])
@pytest.mark.parametrize("n_timesteps", [1, 20])
@pytest.mark.parametrize("n_samples", [1, 7])
@pytest.mark.parametrize("loss_name", ["squared_error", "binary_log_loss", "log_loss"])
def test_bptt_matches_finite_differences(activation, n_timesteps, n_samples, loss_name):
    rng = np.random.RandomState(0)
    X, Y = make_problem(loss_name, n_samples, n_timesteps, rng)
    network = RecurrentNetwork(
        "rnn", X.shape[2], (4,), Y.shape[1], activation=activation
    )
    flat = network.init_params(rng, np.float64)
    sample_weight = rng.uniform(0.5, 2.0, size=n_samples)
    loss = LOSSES[loss_name]

    def objective(p):
        return loss_and_gradient(network, loss, p, X, Y, sample_weight, alpha=0.3)

    _, analytic = objective(flat)
    numeric = numerical_gradient(lambda p: objective(p)[0], flat)
    params, grads = network.unpack(numeric), network.unpack(analytic)
    for name in params:
        scale = max(np.abs(params[name]).max(), 1e-8)
        rel_error = np.abs(params[name] - grads[name]).max() / scale
        assert rel_error < 1e-6, (name, rel_error)


def test_one_sgd_step_by_hand():
    """One unit, one sample, two steps: the first SGD update worked out by hand."""
    reg = RNNRegressor(
        hidden_layer_sizes=(1,),
        cell="rnn",
        activation="identity",
        solver="sgd",
        learning_rate_init=0.1,
        momentum=0.0,
        alpha=0.0,
        clip_norm=None,  # the full gradient step worked out below
        normalize_y=False,  # the loss of the raw target, as worked out below
        max_iter=1,
        shuffle=False,
        random_state=0,
    )
    # Initialise, then set every weight by hand and take one more step.
    X, y = np.array([[1.0, 2.0]]), np.array([2.0])
    reg.set_params(warm_start=True).fit(X, y)
    w_x, w_h, b_ih, b_hh, w_o, b_o = 0.5, 0.25, 0.1, 0.0, 2.0, 0.5
    reg.recurrent_weights_ = {
        "weight_ih_l0": np.array([[w_x]]),
        "weight_hh_l0": np.array([[w_h]]),
        "bias_ih_l0": np.array([b_ih]),
        "bias_hh_l0": np.array([b_hh]),
    }
    reg.output_weight_, reg.output_bias_ = np.array([[w_o]]), np.array([b_o])
    # Forward: h0 = 0.5*1 + 0.1 = 0.6; h1 = 0.5*2 + 0.25*0.6 + 0.1 = 1.25;
    # prediction = 2*1.25 + 0.5 = 3.0; loss = (3.0 - 2)^2 / 2, so dL/dpred = 1.
    # Backward: d w_o = h1 = 1.25; d b_o = 1; dh1 = w_o = 2; dh0 = dh1*w_h = 0.5;
    # d w_x = dh1*x1 + dh0*x0 = 4.5; d w_h = dh1*h0 = 1.2; d b = dh1 + dh0 = 2.5.
    reg.fit(X, y)
    lr = 0.1
    weights = reg.recurrent_weights_
    assert reg.output_weight_[0, 0] == pytest.approx(w_o - lr * 1.25)
    assert reg.output_bias_[0] == pytest.approx(b_o - lr * 1.0)
    assert weights["weight_ih_l0"][0, 0] == pytest.approx(w_x - lr * 4.5)
    assert weights["weight_hh_l0"][0, 0] == pytest.approx(w_h - lr * 1.2)
    assert weights["bias_ih_l0"][0] == pytest.approx(b_ih - lr * 2.5)
    assert weights["bias_hh_l0"][0] == pytest.approx(b_hh - lr * 2.5)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("readout", ["mean", "max"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_pooled_readouts_match_finite_differences(cell, readout, bidirectional):
    """The head's gradient reaches every real step (mean) or each unit's peak
    step (max)."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(6, 5, 2))
    y = rng.normal(size=6)
    reg = RNNRegressor(
        (3, 2),
        cell=cell,
        readout=readout,
        bidirectional=bidirectional,
        random_state=0,
    )
    errors = check_gradients(reg, X, y)
    assert max(errors.values()) < 1e-6
