"""The recurrent cells and network in textbook form: one sample, one step at a time.

Plain NumPy on vectors, each gate written out with its own weight block, in the
notation of PyTorch's documentation. The vectorised kernels are checked against
these loops, and the truncation tests build their references from them.
"""

import numpy as np


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


ELMAN_ACTIVATIONS = {
    "tanh": np.tanh,
    "relu": lambda a: np.maximum(a, 0.0),
    "identity": lambda a: a,
}


def elman_step(x, h, c, params, activation="tanh"):
    """``h' = act(W_ih x + b_ih + W_hh h + b_hh)``; no cell state."""
    W_ih, W_hh, b_ih, b_hh = params
    return ELMAN_ACTIVATIONS[activation](W_ih @ x + b_ih + W_hh @ h + b_hh), None


def lstm_step(x, h, c, params, activation=None):
    """One LSTM step with gates ``i, f, g, o`` stacked in that order."""
    W_ih, W_hh, b_ih, b_hh = params
    W_ii, W_if, W_ig, W_io = np.split(W_ih, 4)
    W_hi, W_hf, W_hg, W_ho = np.split(W_hh, 4)
    b_ii, b_if, b_ig, b_io = np.split(b_ih, 4)
    b_hi, b_hf, b_hg, b_ho = np.split(b_hh, 4)
    i = sigmoid(W_ii @ x + b_ii + W_hi @ h + b_hi)
    f = sigmoid(W_if @ x + b_if + W_hf @ h + b_hf)
    g = np.tanh(W_ig @ x + b_ig + W_hg @ h + b_hg)
    o = sigmoid(W_io @ x + b_io + W_ho @ h + b_ho)
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new


def gru_step(x, h, c, params, activation=None):
    """One GRU step with gates ``r, z, n``; ``r`` scales ``W_hn h + b_hn``."""
    W_ih, W_hh, b_ih, b_hh = params
    W_ir, W_iz, W_in = np.split(W_ih, 3)
    W_hr, W_hz, W_hn = np.split(W_hh, 3)
    b_ir, b_iz, b_in = np.split(b_ih, 3)
    b_hr, b_hz, b_hn = np.split(b_hh, 3)
    r = sigmoid(W_ir @ x + b_ir + W_hr @ h + b_hr)
    z = sigmoid(W_iz @ x + b_iz + W_hz @ h + b_hz)
    n = np.tanh(W_in @ x + b_in + r * (W_hn @ h + b_hn))
    return (1.0 - z) * n + z * h, None


STEPS = {"rnn": elman_step, "lstm": lstm_step, "gru": gru_step}


def run_cell(cell, x_seq, params, activation="tanh", start=None):
    """Run one sequence ``x_seq`` of shape ``(T, F)`` through a cell.

    ``start`` is the initial ``(h, c)`` (zeros if ``None``). Returns the hidden states
    ``(T, H)`` and the cell states ``(T, H)`` (``None`` entries but for the LSTM).
    """
    n_hidden = params[1].shape[1]
    h, c = start if start is not None else (np.zeros(n_hidden), np.zeros(n_hidden))
    hs, cs = [], []
    for x in x_seq:
        h, c = STEPS[cell](x, h, c, params, activation)
        hs.append(h)
        cs.append(c)
    return np.array(hs), cs


def network_outputs(network, flat, X, cell, activation="tanh"):
    """Head pre-activations of a RecurrentNetwork, one sample at a time.

    Each layer runs forwards (and backwards if bidirectional) over the whole output
    sequence of the layer below; the head reads the last forward state and the first
    backward state.
    """
    params = network.unpack(flat)
    Z = []
    for x_seq in X:
        seq = x_seq
        for k in range(len(network.hidden_sizes)):
            names = [
                f"{n}_l{k}" for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            ]
            forward, _ = run_cell(cell, seq, [params[n] for n in names], activation)
            if len(network.directions) == 1:
                seq = forward
                continue
            reverse_params = [params[n + "_reverse"] for n in names]
            backward, _ = run_cell(cell, seq[::-1], reverse_params, activation)
            seq = np.concatenate([forward, backward[::-1]], axis=1)
        n_hidden = network.hidden_sizes[-1]
        last = (
            seq[-1]
            if len(network.directions) == 1
            else np.concatenate([seq[-1, :n_hidden], seq[0, n_hidden:]])
        )
        Z.append(params["output_weight"] @ last + params["output_bias"])
    return np.array(Z)
