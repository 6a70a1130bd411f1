"""The recurrent cells: forward equations against the textbook, gradients against
finite differences of the whole objective."""

import inspect

import numpy as np
import pytest
from _gradcheck import numerical_gradient, relative_error
from _textbook import network_outputs, run_cell

from sk_rnn._backend import LOSSES, RecurrentNetwork, loss_and_gradient
from sk_rnn._backend._cells import CELLS, Cell, GRUCell, LSTMCell, make_cell

# (cell, activation): every Elman activation and both gated cells.
CELL_KINDS = [
    ("rnn", "tanh"),
    ("rnn", "relu"),
    ("rnn", "identity"),
    ("lstm", "tanh"),
    ("gru", "tanh"),
]
KIND_IDS = ["rnn-tanh", "rnn-relu", "rnn-identity", "lstm", "gru"]

# (hidden sizes, bidirectional)
LAYOUTS = {
    "one-layer": ((3,), False),
    "stacked": ((3, 2), False),
    "bidirectional": ((3,), True),
    "stacked-bidirectional": ((2, 2), True),
}


def random_cell_params(cell, n_inputs, n_hidden, rng, scale=0.8):
    """Parameters of one cell in PyTorch's layout, large enough to bend the gates."""
    gates = make_cell(cell).n_gates * n_hidden
    shapes = [(gates, n_inputs), (gates, n_hidden), (gates,), (gates,)]
    return [rng.uniform(-scale, scale, size=shape) for shape in shapes]


def test_registry():
    assert CELLS["lstm"] is LSTMCell and CELLS["gru"] is GRUCell
    assert make_cell("rnn", "relu").activation == "relu"
    # The gated cells have fixed nonlinearities and ignore the activation.
    assert isinstance(make_cell("lstm", "relu"), LSTMCell)
    assert (LSTMCell.n_gates, GRUCell.n_gates, CELLS["rnn"].n_gates) == (4, 3, 1)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_each_cell_offers_the_cell_interface(name):
    # the Protocol documents the seam: the same methods, arguments and defaults
    for method in ("forward", "backward"):
        offered = inspect.signature(getattr(CELLS[name], method)).parameters
        promised = inspect.signature(getattr(Cell, method)).parameters
        assert [(p.name, p.kind, p.default) for p in offered.values()] == [
            (p.name, p.kind, p.default) for p in promised.values()
        ], method
    assert isinstance(CELLS[name].n_gates, int) and CELLS[name].bptt_floats > 0


@pytest.mark.parametrize("cell, activation", CELL_KINDS, ids=KIND_IDS)
def test_cell_forward_matches_textbook(cell, activation):
    rng = np.random.RandomState(0)
    n_steps, batch, n_inputs, n_hidden = 9, 4, 3, 5
    params = random_cell_params(cell, n_inputs, n_hidden, rng)
    X = rng.normal(size=(n_inputs, n_steps, batch))  # the cells work batch-last
    H, _ = make_cell(cell, activation).forward(X, *params)
    assert H.shape == (n_hidden, n_steps, batch)
    for b in range(batch):
        expected, _ = run_cell(cell, X[:, :, b].T, params, activation)
        np.testing.assert_allclose(H[:, :, b].T, expected, rtol=0, atol=1e-10)


@pytest.mark.parametrize("cell, activation", CELL_KINDS, ids=KIND_IDS)
def test_network_forward_matches_textbook(cell, activation):
    # Two stacked bidirectional layers: the reversal, the concatenation and the
    # head's choice of states, all against the one-sample loops.
    rng = np.random.RandomState(1)
    network = RecurrentNetwork(
        cell, 3, (4, 3), 2, activation=activation, bidirectional=True
    )
    flat = network.init_params(rng, np.float64) * 2
    X = rng.normal(size=(5, 7, 3))
    Z, _ = network.forward(flat, X)
    expected = network_outputs(network, flat, X, cell, activation)
    np.testing.assert_allclose(Z, expected, rtol=0, atol=1e-10)


def check_objective_gradient(
    cell, activation, hidden, bidirectional, n_steps, batch, loss_name, alpha
):
    rng = np.random.RandomState(n_steps * 31 + batch)
    n_features = 2
    n_outputs = {"squared_error": 2, "binary_log_loss": 1, "log_loss": 3}[loss_name]
    network = RecurrentNetwork(
        cell,
        n_features,
        hidden,
        n_outputs,
        activation=activation,
        bidirectional=bidirectional,
    )
    flat = network.init_params(rng, np.float64) * 2
    X = rng.normal(size=(batch, n_steps, n_features))
    if loss_name == "squared_error":
        Y = rng.normal(size=(batch, n_outputs))
    elif loss_name == "binary_log_loss":
        Y = rng.randint(2, size=(batch, 1)).astype(float)
    else:
        Y = np.eye(n_outputs)[rng.randint(n_outputs, size=batch)]
    sample_weight = rng.uniform(0.5, 2.0, size=batch)
    loss = LOSSES[loss_name]

    def objective(params):
        return loss_and_gradient(network, loss, params, X, Y, sample_weight, alpha)[0]

    _, grad = loss_and_gradient(network, loss, flat, X, Y, sample_weight, alpha)
    expected = numerical_gradient(objective, flat.copy())
    assert np.abs(expected).max() > 1e-3  # the check is not vacuous
    assert relative_error(grad, expected) < 1e-6


@pytest.mark.parametrize("n_steps", [1, 15])
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("cell, activation", CELL_KINDS, ids=KIND_IDS)
def test_gradient_every_cell_and_layout(cell, activation, layout, n_steps):
    hidden, bidirectional = LAYOUTS[layout]
    check_objective_gradient(
        cell, activation, hidden, bidirectional, n_steps, 7, "squared_error", 0.1
    )


@pytest.mark.parametrize("batch, alpha", [(1, 0.0), (7, 0.3)])
@pytest.mark.parametrize("loss_name", ["squared_error", "binary_log_loss", "log_loss"])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_gradient_every_loss_batch_and_penalty(cell, loss_name, batch, alpha):
    check_objective_gradient(cell, "tanh", (3,), True, 4, batch, loss_name, alpha)


@pytest.mark.parametrize("cell, activation", CELL_KINDS, ids=KIND_IDS)
def test_float32_stays_float32_in_the_kernels(cell, activation):
    # The fast path: float32 in, float32 in every cached array, state and gradient.
    rng = np.random.RandomState(0)
    params = [
        p.astype(np.float32) for p in random_cell_params(cell, 3, 5, rng, scale=0.5)
    ]
    X = rng.normal(size=(3, 6, 4)).astype(np.float32)  # (n_inputs, steps, batch)
    kernel = make_cell(cell, activation)
    H, cache = kernel.forward(X, *params)
    dX, grads = kernel.backward(np.ones_like(H), *params, cache)
    arrays = [H, dX, *grads, *(a for a in cache if isinstance(a, np.ndarray))]
    assert {a.dtype for a in arrays} == {np.dtype(np.float32)}
    network = RecurrentNetwork(cell, 3, (5, 4), 2, activation=activation)
    flat = network.init_params(rng, np.float32)
    Y = rng.normal(size=(4, 2)).astype(np.float32)
    value, grad = loss_and_gradient(
        network,
        LOSSES["squared_error"],
        flat,
        X.transpose(2, 1, 0),
        Y,
        np.ones(4, dtype=np.float32),
        alpha=0.1,
    )
    assert grad.dtype == np.float32 and np.isfinite(value)


@pytest.mark.parametrize("cell, activation", CELL_KINDS, ids=KIND_IDS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_bptt_memory_is_what_the_network_declares(cell, activation, layout):
    # The memory a forward-backward pass keeps (its workspace) is what bptt_bytes
    # declares: exactly for one layer; stacked layers hold a little less, as the
    # gradient entering a lower layer lives in the upper layer's dX.
    from sk_rnn._backend._workspace import Workspace

    hidden, bidirectional = LAYOUTS[layout]
    network = RecurrentNetwork(
        cell, 2, hidden, 1, activation=activation, bidirectional=bidirectional
    )
    rng = np.random.RandomState(0)
    flat = network.init_params(rng, np.float64)
    X, ws = rng.normal(size=(4, 7, 2)), Workspace()
    Z, cache = network.forward(flat, X, workspace=ws)
    network.backward(flat, np.ones_like(Z), cache, workspace=ws)
    declared = network.bptt_bytes(4, 7, 8)
    if layout == "one-layer":
        assert ws.nbytes() == declared
    else:
        assert 0.8 * declared <= ws.nbytes() <= declared


def test_each_cell_returns_its_named_cache():
    from sk_rnn._backend._cells import ElmanCell
    from sk_rnn._backend._cells._protocol import ElmanCache, GRUCache, LSTMCache

    rng = np.random.RandomState(0)
    X = rng.normal(size=(2, 4, 3))  # (n_inputs, n_timesteps, batch_size)
    for cell, n_gates, cache_type in [
        (ElmanCell("tanh"), 1, ElmanCache),
        (LSTMCell(), 4, LSTMCache),
        (GRUCell(), 3, GRUCache),
    ]:
        n = 5 * n_gates
        weights = (rng.normal(size=(n, 2)), rng.normal(size=(n, 5)))
        biases = (rng.normal(size=n), rng.normal(size=n))
        H, cache = cell.forward(X, *weights, *biases)
        assert type(cache) is cache_type
        assert cache.operands.shape == (5 + 2 + 1, 5, 3)  # [h_{t-1}; x_t; 1]
        np.testing.assert_array_equal(cache.operands[:5, 1:], H)
