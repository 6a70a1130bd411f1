"""Each solver learns; SGD's schedules follow their formulas; L-BFGS follows MLP."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from sklearn.utils import check_random_state

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn._backend import LOSSES, RecurrentNetwork, make_objective

ALL = slice(None)


def binary_sum_data(n_samples, n_timesteps, seed):
    """0/1 sequences and the number of ones in each."""
    X = np.random.RandomState(seed).randint(0, 2, size=(n_samples, n_timesteps, 1))
    return X.astype(float), X.sum(axis=(1, 2)).astype(float)


def ragged_binary_sum_data(n_samples, min_length, max_length, seed):
    """0/1 sequences of random lengths (a list of arrays) and their counts of ones."""
    rng = np.random.RandomState(seed)
    lengths = rng.randint(min_length, max_length + 1, size=n_samples)
    X = [rng.randint(0, 2, size=(n, 1)).astype(float) for n in lengths]
    return X, np.array([x.sum() for x in X])


def test_rprop_learns_the_binary_sum_exactly():
    # A linear recurrent unit counts the ones by h_t = h_{t-1} + x_t: the recurrent
    # weight must be exactly 1, the input-to-output path exactly 1 too, and the
    # biases must cancel at every length, which training on sequences of several
    # lengths (5 to 10) pins down.
    X, y = ragged_binary_sum_data(100, 5, 10, seed=0)
    reg = RNNRegressor(
        hidden_layer_sizes=(1,),
        cell="rnn",
        activation="identity",
        readout="last",  # the count is the last state
        solver="rprop",
        normalize_y=False,  # the weights count in the targets' own units
        alpha=0.0,
        max_iter=2000,
        tol=0.0,
        n_iter_no_change=100,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, y)
    weights = reg.recurrent_weights_
    assert abs(weights["weight_hh_l0"][0, 0] - 1.0) < 1e-6
    path = weights["weight_ih_l0"][0, 0] * reg.output_weight_[0, 0]
    assert abs(path - 1.0) < 1e-6
    # Unseen sequences, of lengths it never saw.
    for n_timesteps in (12, 50):
        X_test, y_test = binary_sum_data(200, n_timesteps, seed=n_timesteps)
        np.testing.assert_allclose(reg.predict(X_test), y_test, rtol=0, atol=1e-4)


def test_lbfgs_reaches_a_lower_loss_than_50_adam_epochs():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 6, 2))
    y = 0.5 * X[:, :, 0].sum(axis=1) + X[:, -1, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        params = dict(readout="last", random_state=0)  # a sum: the last state
        adam = RNNRegressor((8,), learning_rate_init=0.01, max_iter=50, **params)
        lbfgs = RNNRegressor((8,), solver="lbfgs", max_iter=100, **params)
        adam.fit(X, y)
        lbfgs.fit(X, y)

    def half_mse(est):
        return 0.5 * np.mean((est.predict(X) - y) ** 2)

    assert half_mse(lbfgs) < 0.1 * half_mse(adam)
    assert lbfgs.loss_ == pytest.approx(lbfgs.loss_curve_[-1])
    assert len(lbfgs.loss_curve_) == lbfgs.n_iter_
    assert lbfgs.t_ == 0  # as in MLP, t_ counts samples of the epoch solvers only


def test_lbfgs_max_fun_and_max_iter_as_mlp():
    X, y = binary_sum_data(40, 5, seed=0)
    reg = RNNRegressor((4,), solver="lbfgs", max_fun=5, max_iter=100, random_state=0)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        reg.fit(X, y)
    assert 1 <= reg.n_iter_ <= 5
    reg.set_params(max_fun=15000, max_iter=3)
    with pytest.warns(ConvergenceWarning, match="ITERATIONS REACHED LIMIT"):
        reg.fit(X, y)
    assert reg.n_iter_ == 3


@pytest.mark.parametrize("solver", ["rprop", "lbfgs"])
def test_partial_fit_only_for_stochastic_solvers(solver):
    for est in (RNNClassifier(solver=solver), RNNRegressor(solver=solver)):
        assert not hasattr(est, "partial_fit")
        with pytest.raises(AttributeError, match="partial_fit") as excinfo:
            est.partial_fit  # noqa: B018
        assert "only available for stochastic" in str(excinfo.value.__cause__)
    assert hasattr(RNNRegressor(solver="sgd"), "partial_fit")


@pytest.mark.parametrize(
    "solver, params",
    [
        ("adam", dict(learning_rate_init=0.01)),
        ("sgd", dict(learning_rate_init=0.05)),
        ("rprop", dict(learning_rate_init=0.01)),
        ("lbfgs", dict()),
    ],
)
def test_each_solver_learns_a_sequence_classification(solver, params):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 6, 2))
    y = (X[:, :, 0].sum(axis=1) > 0).astype(int)  # every step counts
    clf = RNNClassifier(
        (8,), solver=solver, max_iter=100, readout="last", random_state=0, **params
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X[:200], y[:200])
    assert clf.score(X[200:], y[200:]) > 0.9


# --------------------------------------------------------- SGD schedules
def _schedule_problem():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 5, 2))
    y = X[:, :, 0].sum(axis=1)
    return X, y


def _replay_sgd(X, y, learning_rates, seed, alpha):
    """Full-batch gradient descent without momentum, one rate per epoch."""
    network = RecurrentNetwork("rnn", X.shape[2], (3,), 1)
    flat = network.init_params(check_random_state(seed), np.float64)
    objective = make_objective(
        network, LOSSES["squared_error"], X, y[:, None], np.ones(len(X)), alpha
    )
    for rate in learning_rates:
        _, grad = objective(flat, ALL)
        flat -= rate * grad
    return network.unpack(flat)


def _sgd(X, y, **params):
    reg = RNNRegressor(
        (3,),
        cell="rnn",
        readout="last",  # the replay reads the last state
        solver="sgd",
        momentum=0.0,
        batch_size=len(X),
        alpha=1e-3,
        normalize_y=False,  # the replay trains on the raw targets
        clip_norm=None,  # and steps along the raw gradient
        random_state=0,
        **params,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return reg.fit(X, y)


def _assert_weights(reg, expected):
    got = {**reg.recurrent_weights_, "output_weight": reg.output_weight_}
    for name, value in got.items():
        np.testing.assert_allclose(value, expected[name], rtol=1e-12, atol=1e-14)


def test_constant_schedule_formula():
    X, y = _schedule_problem()
    reg = _sgd(X, y, learning_rate="constant", learning_rate_init=0.05, max_iter=4)
    _assert_weights(reg, _replay_sgd(X, y, [0.05] * 4, seed=0, alpha=1e-3))


def test_invscaling_schedule_formula():
    # Epoch k + 1 runs at learning_rate_init / (t + 1) ** power_t, t = k * n_samples.
    X, y = _schedule_problem()
    reg = _sgd(
        X,
        y,
        learning_rate="invscaling",
        learning_rate_init=0.5,
        power_t=0.3,
        max_iter=4,
    )
    rates = [0.5 / (k * len(X) + 1) ** 0.3 for k in range(4)]
    _assert_weights(reg, _replay_sgd(X, y, rates, seed=0, alpha=1e-3))
    assert reg.t_ == 4 * len(X)
    assert reg._optimizer.learning_rate == 0.5 / (4 * len(X) + 1) ** 0.3


def test_adaptive_schedule_formula():
    # With a huge tol no epoch after the first counts as an improvement, so with
    # n_iter_no_change=1 the rate is divided by 5 after epochs 3, 5, 7, ... and
    # training stops at the first such epoch where the rate is already <= 1e-6.
    X, y = _schedule_problem()
    params = dict(
        learning_rate="adaptive", learning_rate_init=1e-3, tol=1e9, n_iter_no_change=1
    )
    reg = _sgd(X, y, max_iter=100, **params)
    assert reg.n_iter_ == 13  # 1e-3 / 5**5 = 3.2e-7 is the first rate <= 1e-6
    rates = [1e-3 / 5 ** max(0, (epoch - 2) // 2) for epoch in range(1, 14)]
    _assert_weights(reg, _replay_sgd(X, y, rates, seed=0, alpha=1e-3))
    # MLP stops after the same number of epochs under the same rule.
    mlp = MLPRegressor(solver="sgd", momentum=0.0, max_iter=100, **params)
    mlp.fit(X[:, :, 0], y)
    assert mlp.n_iter_ == reg.n_iter_


def test_sgd_momentum_and_nesterov_change_the_trajectory():
    X, y = _schedule_problem()
    base = dict(learning_rate_init=0.05, max_iter=4)
    plain = _sgd(X, y, **base)
    heavy = _sgd(X, y, **base).set_params(momentum=0.9, nesterovs_momentum=False)
    nesterov = _sgd(X, y, **base).set_params(momentum=0.9, nesterovs_momentum=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        heavy.fit(X, y)
        nesterov.fit(X, y)
    w = [e.recurrent_weights_["weight_hh_l0"] for e in (plain, heavy, nesterov)]
    assert not np.allclose(w[0], w[1]) and not np.allclose(w[1], w[2])
