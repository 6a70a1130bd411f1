"""The LSTM cell, gates ``i, f, g, o`` laid out exactly as in PyTorch's ``nn.LSTM``.

For every step, with ``s`` the logistic sigmoid::

    i_t = s(x_t W_ii^T + b_ii + h_{t-1} W_hi^T + b_hi)      input gate
    f_t = s(x_t W_if^T + b_if + h_{t-1} W_hf^T + b_hf)      forget gate
    g_t = tanh(x_t W_ig^T + b_ig + h_{t-1} W_hg^T + b_hg)   candidate
    o_t = s(x_t W_io^T + b_io + h_{t-1} W_ho^T + b_ho)      output gate
    c_t = f_t * c_{t-1} + i_t * g_t
    h_t = o_t * tanh(c_t)

``weight_ih`` stacks ``W_ii, W_if, W_ig, W_io`` row-wise (shape ``(4*hidden, inputs)``),
and likewise ``weight_hh``, ``bias_ih`` and ``bias_hh``. Both states start at zero.
"""

import numpy as np

from .._activations import inplace_logistic, inplace_tanh
from ._bptt import GradientStreams, input_gradients, recurrent_gradients


def _split(a, n_hidden):
    """Views of the four gate blocks ``i, f, g, o`` of ``a[..., 4*n_hidden]``."""
    return (a[..., k * n_hidden : (k + 1) * n_hidden] for k in range(4))


class LSTMCell:
    """Long short-term memory cell (Hochreiter & Schmidhuber, 1997, with forget gate).

    The cell has no hyperparameter: its nonlinearities are fixed by the gates.
    """

    n_gates = 4
    # Floats per hidden unit, timestep and sequence that BPTT holds at its peak:
    # cached gates (4), h, c, tanh(c); backward factors (4) and deltas (4); dH.
    bptt_floats = 16

    def forward(self, X, weight_ih, weight_hh, bias_ih, bias_hh):
        """Run the cell over every timestep of a batch.

        Parameters
        ----------
        X : ndarray of shape (n_timesteps, batch_size, n_inputs)
            Time-major input sequences.
        weight_ih : ndarray of shape (4 * n_hidden, n_inputs)
        weight_hh : ndarray of shape (4 * n_hidden, n_hidden)
        bias_ih, bias_hh : ndarray of shape (4 * n_hidden,)

        Returns
        -------
        H : ndarray of shape (n_timesteps, batch_size, n_hidden)
            Hidden state after every timestep (both initial states are zero).
        cache : tuple
            What :meth:`backward` needs: the inputs, the gate activations
            ``(n_timesteps, batch_size, 4 * n_hidden)``, every hidden and cell
            state ``(n_timesteps + 1, batch_size, n_hidden)`` from the initial one,
            and ``tanh(c_t)`` ``(n_timesteps, batch_size, n_hidden)``.
        """
        n_steps, batch, n_inputs = X.shape
        n_hidden = weight_hh.shape[1]
        gates = np.empty((n_steps, batch, 4 * n_hidden), dtype=X.dtype)
        # Input projection of all timesteps and gates in one product.
        np.matmul(
            X.reshape(-1, n_inputs), weight_ih.T, out=gates.reshape(-1, 4 * n_hidden)
        )
        gates += bias_ih + bias_hh
        # states[t + 1] is h_t and cells[t + 1] is c_t; index 0 holds the zero start.
        states = np.empty((n_steps + 1, batch, n_hidden), dtype=X.dtype)
        cells = np.empty_like(states)
        states[0] = cells[0] = 0.0
        tanh_c = np.empty_like(states[1:])  # tanh(c_t), kept for the backward pass
        recurrent = np.empty((batch, 4 * n_hidden), dtype=X.dtype)
        for t in range(n_steps):
            np.matmul(states[t], weight_hh.T, out=recurrent)  # all gates, one product
            gates[t] += recurrent
            i, f, g, o = _split(gates[t], n_hidden)
            inplace_logistic(gates[t, :, : 2 * n_hidden])  # i and f
            inplace_tanh(g)
            inplace_logistic(o)
            np.multiply(f, cells[t], out=cells[t + 1])  # c_t = f * c_{t-1} ...
            cells[t + 1] += i * g  # ... + i * g
            np.tanh(cells[t + 1], out=tanh_c[t])
            np.multiply(o, tanh_c[t], out=states[t + 1])  # h_t = o * tanh(c_t)
        return states[1:], (X, gates, states, cells, tanh_c)

    def backward(
        self,
        dH,
        weight_ih,
        weight_hh,
        bias_ih,
        bias_hh,
        cache,
        *,
        input_grad=True,
        truncate=None,
    ):
        """Backpropagate through time over the whole batch.

        Parameters
        ----------
        dH : ndarray of shape (n_timesteps, batch_size, n_hidden)
            Gradient of the loss with respect to every hidden state, from the layers
            above (zero where a state feeds nothing but the next step).
        weight_ih, weight_hh, bias_ih, bias_hh : ndarray
            The parameters given to :meth:`forward`.
        cache : tuple
            The cache returned by :meth:`forward`.
        input_grad : bool, default=True
            Whether to compute the gradient with respect to ``X``.
        truncate : int or None, default=None
            Truncated BPTT: the gradient entering at ``dH[t]`` flows back into steps
            ``t, t-1, ..., t-truncate+1`` only (through ``h`` and ``c`` alike).
            ``None`` is full BPTT.

        Returns
        -------
        dX : ndarray of shape (n_timesteps, batch_size, n_inputs) or None
            Gradient with respect to the inputs, or ``None`` if not asked for.
        grads : tuple of ndarray
            Gradients of ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``.
        """
        X, gates, states, cells, tanh_c = cache
        batch, n_hidden = X.shape[1], weight_hh.shape[1]
        streams = GradientStreams(dH, truncate)
        lo, hi = streams.bounds
        # What does not depend on the gradient, for every visited step at once:
        # the factors taking dc_t to the pre-activations of i, f, g and dh_t to o's.
        i, f, g, o = _split(gates[lo:hi], n_hidden)
        tc = tanh_c[lo:hi]
        factor = np.empty_like(gates[lo:hi])
        f_i, f_f, f_g, f_o = _split(factor, n_hidden)
        np.subtract(1.0, i, out=f_i)
        f_i *= i * g  # dc/da_i = g * i * (1 - i)
        np.subtract(1.0, f, out=f_f)
        f_f *= f * cells[lo:hi]  # dc/da_f = c_{t-1} * f * (1 - f)
        np.multiply(g, g, out=f_g)
        np.subtract(1.0, f_g, out=f_g)
        f_g *= i  # dc/da_g = i * (1 - g^2)
        np.subtract(1.0, o, out=f_o)
        f_o *= o * tc  # dh/da_o = tanh(c_t) * o * (1 - o)
        dh_dc = 1.0 - tc * tc
        dh_dc *= o  # dh/dc = o * (1 - tanh(c_t)^2)
        factor = factor.reshape(hi - lo, batch, 4, n_hidden)
        delta = np.empty_like(gates)  # delta[t]: dL/d(pre-activations), lo <= t < hi
        scratch = np.empty((streams.n_streams, batch, 4 * n_hidden), dtype=X.dtype)
        dh_next = streams.zeros(batch, n_hidden, X.dtype)
        dc_next = streams.zeros(batch, n_hidden, X.dtype)
        for t in streams.steps:
            dh = streams.enter(t, dh_next, dH[t])  # into h_t: from above and step t+1
            dc = streams.enter(t, dc_next)  # into c_t from step t+1
            dc += dh * dh_dc[t - lo]  # into c_t through h_t = o * tanh(c_t)
            d = streams.target(delta[t], scratch)  # delta[t] itself if one stream
            d4 = d.reshape(-1, batch, 4, n_hidden)
            np.multiply(
                dc[:, :, None], factor[t - lo, :, :3], out=d4[:, :, :3]
            )  # i, f, g
            np.multiply(dh, factor[t - lo, :, 3], out=d4[:, :, 3])  # into o
            streams.merge(d, out=delta[t])  # sum of the streams, for the weights
            dc_next = np.multiply(dc, f[t - lo], out=dc)  # into c_{t-1}
            dh_next = d @ weight_hh  # into h_{t-1}, all gates and streams at once
        d_weight_hh, d_bias_hh = recurrent_gradients(delta, states, (lo, hi))
        dX, d_weight_ih, d_bias_ih = input_gradients(
            delta, X, weight_ih, (lo, hi), input_grad
        )
        return dX, (d_weight_ih, d_weight_hh, d_bias_ih, d_bias_hh)
