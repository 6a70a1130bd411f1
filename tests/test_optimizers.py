"""The optimizers: MLP's SGD and Adam step for step, and Rprop's update rule."""

import numpy as np
import pytest
from sklearn.neural_network import _stochastic_optimizers as mlp_optim

from sk_rnn._train import AdamOptimizer, RpropOptimizer, SGDOptimizer


def _random_problem(seed=0):
    rng = np.random.RandomState(seed)
    params = [rng.normal(size=(3, 4)), rng.normal(size=4)]
    grads = [[rng.normal(size=p.shape) for p in params] for _ in range(6)]
    return params, grads


def _run(optimizer, params, grads, time_step=0):
    for step_grads in grads:
        optimizer.update_params(params, [g.copy() for g in step_grads])
        time_step += 10
        optimizer.iteration_ends(time_step)
    return params


@pytest.mark.parametrize("schedule", ["constant", "invscaling", "adaptive"])
@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_matches_mlp_step_for_step(schedule, nesterov):
    params, grads = _random_problem()
    ours = [p.copy() for p in params]
    theirs = [p.copy() for p in params]
    args = (0.1, schedule, 0.9, nesterov, 0.25)
    _run(SGDOptimizer(ours, *args), ours, grads)
    _run(mlp_optim.SGDOptimizer(theirs, *args), theirs, grads)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


def test_adam_matches_mlp_step_for_step():
    params, grads = _random_problem(1)
    ours = [p.copy() for p in params]
    theirs = [p.copy() for p in params]
    _run(AdamOptimizer(ours, 0.01, 0.8, 0.99, 1e-7), ours, grads)
    _run(mlp_optim.AdamOptimizer(theirs, 0.01, 0.8, 0.99, 1e-7), theirs, grads)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=0)


def test_sgd_momentum_and_nesterov_formulas():
    # v <- mu v - lr g; the step is v, or mu v - lr g with Nesterov's momentum.
    lr, mu = 0.1, 0.9
    g1, g2 = np.array([1.0, -2.0]), np.array([0.5, 4.0])
    for nesterov in (False, True):
        w = np.zeros(2)
        opt = SGDOptimizer([w], lr, "constant", mu, nesterov)
        opt.update_params([w], [g1.copy()])
        opt.update_params([w], [g2.copy()])
        v1 = -lr * g1
        v2 = mu * v1 - lr * g2
        if nesterov:
            expected = (mu * v1 - lr * g1) + (mu * v2 - lr * g2)
        else:
            expected = v1 + v2
        np.testing.assert_allclose(w, expected, rtol=1e-15)


def test_invscaling_formula():
    opt = SGDOptimizer([np.zeros(1)], 0.3, "invscaling", power_t=0.7)
    for t in (0, 5, 100, 12345):
        opt.iteration_ends(t)
        assert opt.learning_rate == 0.3 / (t + 1) ** 0.7


def test_adaptive_divides_by_five_and_stops_below_1e_6():
    opt = SGDOptimizer([np.zeros(1)], 1e-3, "adaptive")
    rates = []
    while not opt.trigger_stopping("no improvement", verbose=False):
        rates.append(opt.learning_rate)
    assert rates == pytest.approx([1e-3 / 5**k for k in range(1, 6)], rel=1e-12)
    assert rates[-2] > 1e-6 >= rates[-1]
    constant = SGDOptimizer([np.zeros(1)], 1e-3, "constant")
    assert constant.trigger_stopping("no improvement", verbose=False)
    assert constant.learning_rate == 1e-3


def test_rprop_step_sizes_follow_the_signs():
    # One weight per case: same sign twice, a sign flip, and a zero gradient.
    w = np.zeros(3)
    opt = RpropOptimizer([w], learning_rate_init=0.1)
    opt.update_params([w], [np.array([2.0, 2.0, 0.0])])
    np.testing.assert_allclose(w, [-0.1, -0.1, 0.0])
    # Same sign: the step grows by 1.2. Flipped: it halves and the weight stays.
    opt.update_params([w], [np.array([5.0, -1.0, 0.0])])
    np.testing.assert_allclose(opt.steps[0], [0.12, 0.05, 0.1])
    np.testing.assert_allclose(w, [-0.22, -0.1, 0.0])
    # After a flip the gradient is forgotten: the next step keeps its size.
    opt.update_params([w], [np.array([1.0, -3.0, 0.0])])
    np.testing.assert_allclose(opt.steps[0], [0.144, 0.05, 0.1])
    np.testing.assert_allclose(w, [-0.364, -0.05, 0.0])
    # Magnitudes never matter, only signs.
    opt2 = RpropOptimizer([np.zeros(3)], learning_rate_init=0.1)
    w2 = np.zeros(3)
    for g in ([2e-9, 2e9, 0.0], [5e5, -1e-7, 0.0], [1e-3, -3e3, 0.0]):
        opt2.update_params([w2], [np.array(g)])
    np.testing.assert_allclose(w2, w)


def test_rprop_step_bounds():
    w = np.zeros(2)
    opt = RpropOptimizer([w], 1.0, step_min=0.01, step_max=3.0)
    for k in range(30):
        opt.update_params([w], [np.array([1.0, (-1.0) ** k])])
    assert opt.steps[0][0] == 3.0  # grew by 1.2 per step up to the bound
    assert opt.steps[0][1] == 0.01  # halved at every other flip down to the bound


def test_rprop_finds_the_minimum_of_a_quadratic():
    target = np.array([3.0, -1e-3, 250.0])
    w = np.zeros(3)
    opt = RpropOptimizer([w], 0.01)
    for _ in range(300):
        opt.update_params([w], [2 * (w - target) * np.array([1.0, 1e6, 1e-6])])
    np.testing.assert_allclose(w, target, rtol=1e-9, atol=1e-9)  # step_min is 1e-10
