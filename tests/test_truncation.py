"""Truncated BPTT against brute force: for each output ``t``, the graph in which every
state before step ``t - k + 1`` is a constant, differentiated by finite differences."""

import numpy as np
import pytest
from _gradcheck import numerical_gradient, relative_error
from _textbook import run_cell

from sk_rnn._backend import LOSSES, RecurrentNetwork, loss_and_gradient
from sk_rnn._backend._cells import make_cell
from sk_rnn._backend._cells._bptt import GradientStreams

CELLS = ["rnn", "lstm", "gru"]
N_STEPS, BATCH, N_INPUTS, N_HIDDEN = 7, 3, 2, 3


def make_problem(cell, dH_kind, seed=0):
    """Parameters, inputs and an upstream gradient ``dH`` of the given kind."""
    rng = np.random.RandomState(seed)
    gates = make_cell(cell).n_gates * N_HIDDEN
    shapes = [(gates, N_INPUTS), (gates, N_HIDDEN), (gates,), (gates,)]
    params = [rng.uniform(-0.9, 0.9, size=shape) for shape in shapes]
    X = rng.normal(size=(N_STEPS, BATCH, N_INPUTS))
    dH = np.zeros((N_STEPS, BATCH, N_HIDDEN))
    receiving = {
        "many-to-one": [N_STEPS - 1],
        "every-step": list(range(N_STEPS)),
        "some-steps": [2, 3, 5],
    }[dH_kind]
    dH[receiving] = rng.normal(size=(len(receiving), BATCH, N_HIDDEN))
    return params, X, dH


def brute_force_truncated_gradient(cell, params, X, dH, truncate):
    """Gradient of ``sum_t <dH[t], h_t>``, each ``h_t`` computed from a frozen state.

    For every output ``t`` the steps ``t - k + 1, ..., t`` are rerun from the state
    the untouched parameters give at step ``t - k`` (a constant), and the sum is
    differentiated by central differences with respect to the parameters and ``X``.
    """
    sizes = [p.size for p in params] + [X.size]
    frozen = [run_cell(cell, X[:, b], params) for b in range(BATCH)]

    def value(vector):
        pieces = np.split(vector, np.cumsum(sizes)[:-1])
        p = [piece.reshape(param.shape) for piece, param in zip(pieces, params)]
        x = pieces[-1].reshape(X.shape)
        total = 0.0
        for t in np.flatnonzero(dH.any(axis=(1, 2))):
            first = max(t - truncate + 1, 0)
            for b in range(BATCH):
                start = None
                if first > 0:  # the state before the window, held constant
                    hs, cs = frozen[b]
                    start = (hs[first - 1], cs[first - 1])
                hs, _ = run_cell(cell, x[first : t + 1, b], p, start=start)
                total += dH[t, b] @ hs[-1]
        return total

    vector = np.concatenate([p.ravel() for p in params] + [X.ravel()])
    return numerical_gradient(value, vector)


def batch_last(A):
    """``(n_timesteps, batch, size)`` to the cells' ``(size, n_timesteps, batch)``."""
    return np.ascontiguousarray(A.transpose(2, 0, 1))


def flat_gradient(dX, grads):
    """Parameter gradients, then ``dX`` back in ``(n_timesteps, batch, size)`` order."""
    return np.concatenate([g.ravel() for g in grads] + [dX.transpose(1, 2, 0).ravel()])


@pytest.mark.parametrize("truncate", [1, 3])
@pytest.mark.parametrize("dH_kind", ["many-to-one", "every-step", "some-steps"])
@pytest.mark.parametrize("cell", CELLS)
def test_cell_truncation_matches_brute_force(cell, dH_kind, truncate):
    params, X, dH = make_problem(cell, dH_kind)
    cell_ = make_cell(cell)
    _, cache = cell_.forward(batch_last(X), *params)
    dX, grads = cell_.backward(batch_last(dH), *params, cache, truncate=truncate)
    got = flat_gradient(dX, grads)
    expected = brute_force_truncated_gradient(cell, params, X, dH, truncate)
    assert relative_error(got, expected) < 1e-6
    # Truncation matters here: the full gradient is different.
    full = flat_gradient(*cell_.backward(batch_last(dH), *params, cache))
    assert relative_error(full, expected) > 1e-3


@pytest.mark.parametrize("dH_kind", ["many-to-one", "every-step"])
@pytest.mark.parametrize("cell", CELLS)
def test_cell_truncation_at_least_n_steps_is_full_bptt(cell, dH_kind):
    params, X, dH = make_problem(cell, dH_kind, seed=1)
    cell_ = make_cell(cell)
    _, cache = cell_.forward(batch_last(X), *params)
    dH = batch_last(dH)
    full = flat_gradient(*cell_.backward(dH, *params, cache))
    for truncate in (N_STEPS, N_STEPS + 4):
        got = flat_gradient(*cell_.backward(dH, *params, cache, truncate=truncate))
        np.testing.assert_array_equal(got, full)


def test_many_to_one_loop_stops_after_truncate_steps():
    dH = np.zeros((3, 10, 2))  # (n_hidden, n_timesteps, batch_size)
    dH[:, -1] = 1.0
    streams = GradientStreams(dH, 4)
    assert list(streams.steps) == [9, 8, 7, 6]
    assert streams.n_streams == 1
    # Outputs at several steps need one stream per output still in flight.
    dH[:, 3] = 1.0
    streams = GradientStreams(dH, 4)
    assert list(streams.steps) == list(range(9, -1, -1))
    assert streams.n_streams == 4
    with pytest.raises(ValueError, match="truncate must be None or at least 1"):
        GradientStreams(dH, 0)


@pytest.mark.parametrize("cell", CELLS)
def test_objective_truncation_bidirectional_matches_brute_force(cell):
    # One bidirectional layer read by the head (many-to-one): the forward direction
    # reruns the last k steps from a frozen state, the backward direction the first
    # k steps (its last k) from a frozen state.
    n_steps, batch, n_features, n_hidden, truncate = 8, 4, 2, 3, 3
    rng = np.random.RandomState(2)
    network = RecurrentNetwork(cell, n_features, (n_hidden,), 2, bidirectional=True)
    flat0 = network.init_params(rng, np.float64) * 2
    X = rng.normal(size=(batch, n_steps, n_features))
    Y = rng.normal(size=(batch, 2))
    sample_weight = rng.uniform(0.5, 2.0, size=batch)
    loss = LOSSES["squared_error"]

    def layer_params(params, suffix):
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return [params[f"{name}_l0{suffix}"] for name in names]

    first = n_steps - truncate
    frozen = {}  # the state before the last k steps, per sample and direction
    for suffix in ("", "_reverse"):
        base = layer_params(network.unpack(flat0), suffix)
        for b, x in enumerate(X):
            hs, cs = run_cell(cell, x if not suffix else x[::-1], base)
            frozen[b, suffix] = (hs[first - 1], cs[first - 1])

    def last_state(flat, b, suffix):
        """State after the whole sequence, only its last k steps live."""
        x_seq = X[b] if not suffix else X[b, ::-1]
        params = layer_params(network.unpack(flat), suffix)
        live, _ = run_cell(cell, x_seq[first:], params, start=frozen[b, suffix])
        return live[-1]

    def objective(flat):
        params = network.unpack(flat)
        last = np.array(
            [
                np.concatenate(
                    [last_state(flat, b, ""), last_state(flat, b, "_reverse")]
                )
                for b in range(batch)
            ]
        )
        Z = last @ params["output_weight"].T + params["output_bias"]
        per_sample, _ = loss.loss_and_delta(Z, Y, sample_weight)
        return per_sample @ sample_weight / sample_weight.sum()

    value, grad = loss_and_gradient(
        network, loss, flat0, X, Y, sample_weight, 0.0, truncate=truncate
    )
    assert value == pytest.approx(objective(flat0), rel=1e-12)
    expected = numerical_gradient(objective, flat0.copy())
    assert relative_error(grad, expected) < 1e-6
    _, full = loss_and_gradient(network, loss, flat0, X, Y, sample_weight, 0.0)
    assert relative_error(full, expected) > 1e-3


@pytest.mark.parametrize("cell", CELLS)
def test_objective_truncation_at_least_n_steps_is_full_bptt(cell):
    rng = np.random.RandomState(3)
    network = RecurrentNetwork(cell, 2, (3, 2), 3, bidirectional=True)
    flat = network.init_params(rng, np.float64)
    X = rng.normal(size=(5, 6, 2))
    Y = np.eye(3)[rng.randint(3, size=5)]
    args = (network, LOSSES["log_loss"], flat, X, Y, np.ones(5), 0.01)
    _, full = loss_and_gradient(*args)
    for truncate in (6, 50):
        _, got = loss_and_gradient(*args, truncate=truncate)
        np.testing.assert_array_equal(got, full)
    _, cut = loss_and_gradient(*args, truncate=2)
    assert not np.allclose(cut, full)
