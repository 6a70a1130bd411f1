"""The cells' nonlinearities (``sk_rnn._backend._activations``): NumPy's tanh in
every cell and dtype, exact near zero, and the exp-based sigmoid of the gates."""

import warnings

import numpy as np
import pytest
from scipy.special import expit

from sk_rnn._backend import RecurrentNetwork
from sk_rnn._backend._activations import sigmoid_of_scaled, tanh
from sk_rnn._backend._cells import make_cell

# [-20, 20] evenly, and a sweep of magnitudes down to the subnormals around 0
GRID = np.concatenate(
    [
        np.linspace(-20, 20, 4001),
        np.geomspace(1e-30, 1, 301),
        -np.geomspace(1e-30, 1, 301),
    ]
)
BIG = 1e4  # a gate bias that makes a sigmoid exactly 0 or 1


def ulps(got, expected):
    """Distance in units in the last place of ``expected``."""
    return np.abs(got - expected) / np.spacing(np.abs(expected).astype(expected.dtype))


def one_step(cell_name, x, dtype):
    """The cell's hidden state after one step from zero with input ``x``.

    The weights make the pre-activation of the tanh equal to ``x``, and the
    gates 0 or 1 exactly, so the state is the cell's tanh of ``x`` (the LSTM's:
    ``tanh(tanh(x))``, its candidate passed through ``tanh(c_t)``).
    """
    cell = make_cell(cell_name, "tanh")
    gates = cell.n_gates
    w_ih = np.zeros((gates, 1), dtype)
    bias = np.zeros(gates, dtype)
    if cell_name == "lstm":  # i, f, g, o: i = o = 1, f = 0
        w_ih[2], bias[[0, 3]], bias[1] = 1.0, BIG, -BIG
    elif cell_name == "gru":  # r, z, n: z = 0, so h = n
        w_ih[2], bias[1] = 1.0, -BIG
    else:
        w_ih[0] = 1.0
    X = x.astype(dtype)[None, None, :]  # (features, steps, batch)
    zeros = np.zeros_like(bias)
    H, _ = cell.forward(X, w_ih, np.zeros((gates, 1), dtype), bias, zeros)
    return H[0, 0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cell_name", ["rnn", "lstm", "gru"])
def test_every_cells_tanh_is_numpys_to_two_ulp(cell_name, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = one_step(cell_name, GRID, dtype)
    x = GRID.astype(dtype)
    expected = np.tanh(np.tanh(x)) if cell_name == "lstm" else np.tanh(x)
    assert h.dtype == dtype
    assert ulps(h, expected).max() <= 2
    assert np.all(h[x == 0] == 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gate_functions_match_the_library_functions(dtype):
    # Over the whole range, the far tails included, with no overflow warning.
    a = np.concatenate([np.linspace(-30, 30, 2001), [-1e4, -100.0, 100.0, 1e4]])
    x = a.astype(dtype)
    s, t = x.copy(), x.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="ignore"):  # as in the cells' loops
            np.negative(s, out=s)
            sigmoid_of_scaled(s)
            tanh(t, out=t)
    tol = 2e-7 if dtype == np.float32 else 1e-15
    np.testing.assert_allclose(s, expit(x), rtol=4 * tol, atol=tol)
    np.testing.assert_array_equal(t, np.tanh(x))
    assert s.dtype == t.dtype == dtype


@pytest.mark.parametrize("cell_name", ["rnn", "lstm", "gru"])
def test_cells_in_float32_match_float64(cell_name):
    cell = make_cell(cell_name, "tanh")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(2, 5, 128))
    size = 64 * cell.n_gates
    shapes = [(size, 2), (size, 64), (size,), (size,)]
    params = [rng.uniform(-0.2, 0.2, size=s) for s in shapes]
    dH = rng.normal(size=(64, 5, 128))
    results = []
    for dtype in (np.float64, np.float32):
        p = [q.astype(dtype) for q in params]
        H, cache = cell.forward(X.astype(dtype), *p)
        dX, grads = cell.backward(dH.astype(dtype), *p, cache)
        results.append([H.copy(), dX, *grads])
    for exact, single in zip(*results):
        assert single.dtype == np.float32
        np.testing.assert_allclose(single, exact, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("hidden, bidirectional", [((4,), False), ((4, 3), True)])
def test_no_gradient_gives_zero_gradients(cell, hidden, bidirectional):
    # A shard of zero-weight sequences, or a dead layer, sends back nothing (and
    # a layer above asks for the input gradient of the one below).
    rng = np.random.RandomState(0)
    network = RecurrentNetwork(cell, 2, hidden, 1, bidirectional=bidirectional)
    flat = network.init_params(rng, np.float64)
    X = rng.normal(size=(3, 5, 2))
    _, cache = network.forward(flat, X)
    grad = network.backward(flat, np.zeros((3, 1)), cache)
    np.testing.assert_array_equal(grad, 0.0)
