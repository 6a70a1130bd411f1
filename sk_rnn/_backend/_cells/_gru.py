"""The GRU cell, gates ``r, z, n`` laid out exactly as in PyTorch's ``nn.GRU``.

For every step, with ``s`` the logistic sigmoid::

    r_t = s(x_t W_ir^T + b_ir + h_{t-1} W_hr^T + b_hr)           reset gate
    z_t = s(x_t W_iz^T + b_iz + h_{t-1} W_hz^T + b_hz)           update gate
    n_t = tanh(x_t W_in^T + b_in + r_t * (h_{t-1} W_hn^T + b_hn))  candidate
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

The reset gate multiplies the whole recurrent term ``h_{t-1} W_hn^T + b_hn``, as in
PyTorch (not ``h_{t-1}`` before the product, as in the original paper).
``weight_ih`` stacks ``W_ir, W_iz, W_in`` row-wise (shape ``(3*hidden, inputs)``),
and likewise ``weight_hh``, ``bias_ih`` and ``bias_hh``. The state starts at zero.
"""

import numpy as np

from .._activations import inplace_logistic, inplace_tanh
from ._bptt import GradientStreams, input_gradients, recurrent_gradients


def _split(a, n_hidden):
    """Views of the three gate blocks ``r, z, n`` of ``a[..., 3*n_hidden]``."""
    return (a[..., k * n_hidden : (k + 1) * n_hidden] for k in range(3))


class GRUCell:
    """Gated recurrent unit (Cho et al., 2014), PyTorch's variant.

    The cell has no hyperparameter: its nonlinearities are fixed by the gates.
    """

    n_gates = 3
    # Floats per hidden unit, timestep and sequence that BPTT holds at its peak:
    # cached gates (3), W_hn h + b_hn, h; backward factors (3), deltas (4); dH.
    bptt_floats = 13

    def forward(self, X, weight_ih, weight_hh, bias_ih, bias_hh):
        """Run the cell over every timestep of a batch.

        Parameters
        ----------
        X : ndarray of shape (n_timesteps, batch_size, n_inputs)
            Time-major input sequences.
        weight_ih : ndarray of shape (3 * n_hidden, n_inputs)
        weight_hh : ndarray of shape (3 * n_hidden, n_hidden)
        bias_ih, bias_hh : ndarray of shape (3 * n_hidden,)

        Returns
        -------
        H : ndarray of shape (n_timesteps, batch_size, n_hidden)
            Hidden state after every timestep (the initial state is zero).
        cache : tuple
            What :meth:`backward` needs: the inputs, the gate activations
            ``(n_timesteps, batch_size, 3 * n_hidden)``, the recurrent term of the
            candidate ``h_{t-1} W_hn^T + b_hn`` ``(n_timesteps, batch_size,
            n_hidden)`` and every hidden state ``(n_timesteps + 1, batch_size,
            n_hidden)`` from the initial one.
        """
        n_steps, batch, n_inputs = X.shape
        n_hidden = weight_hh.shape[1]
        gates = np.empty((n_steps, batch, 3 * n_hidden), dtype=X.dtype)
        # Input projection of all timesteps and gates in one product.
        np.matmul(
            X.reshape(-1, n_inputs), weight_ih.T, out=gates.reshape(-1, 3 * n_hidden)
        )
        gates += bias_ih
        gates[..., : 2 * n_hidden] += bias_hh[: 2 * n_hidden]  # r and z add both biases
        candidate_hh = np.empty((n_steps, batch, n_hidden), dtype=X.dtype)
        # states[t + 1] is h_t; states[0] is the zero start.
        states = np.empty((n_steps + 1, batch, n_hidden), dtype=X.dtype)
        states[0] = 0.0
        recurrent = np.empty((batch, 3 * n_hidden), dtype=X.dtype)
        for t in range(n_steps):
            np.matmul(states[t], weight_hh.T, out=recurrent)  # all gates, one product
            r, z, n = _split(gates[t], n_hidden)
            rz = gates[t, :, : 2 * n_hidden]
            rz += recurrent[:, : 2 * n_hidden]  # both sides of r and z
            inplace_logistic(rz)  # r and z
            np.add(  # W_hn h_{t-1} + b_hn
                recurrent[:, 2 * n_hidden :],
                bias_hh[2 * n_hidden :],
                out=candidate_hh[t],
            )
            n += r * candidate_hh[t]  # W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn)
            inplace_tanh(n)
            np.subtract(states[t], n, out=states[t + 1])  # h_t = n + z * (h_{t-1} - n)
            states[t + 1] *= z
            states[t + 1] += n
        return states[1:], (X, gates, candidate_hh, states)

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
            ``t, t-1, ..., t-truncate+1`` only. ``None`` is full BPTT.

        Returns
        -------
        dX : ndarray of shape (n_timesteps, batch_size, n_inputs) or None
            Gradient with respect to the inputs, or ``None`` if not asked for.
        grads : tuple of ndarray
            Gradients of ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``.
        """
        X, gates, candidate_hh, states = cache
        batch, n_hidden = X.shape[1], weight_hh.shape[1]
        streams = GradientStreams(dH, truncate)
        lo, hi = streams.bounds
        # What does not depend on the gradient, for every visited step at once:
        # the factors taking dh_t to the pre-activations of z and n (input side),
        # and the reset gate's sigmoid'.
        r, z, n = _split(gates[lo:hi], n_hidden)
        factor = np.empty_like(gates[lo:hi])
        f_r, f_z, f_n = _split(factor, n_hidden)
        np.subtract(1.0, r, out=f_r)
        f_r *= r  # r * (1 - r)
        np.subtract(1.0, z, out=f_z)
        f_z *= z * (states[lo:hi] - n)  # dh/da_z = (h_{t-1} - n) * z * (1 - z)
        np.multiply(n, n, out=f_n)
        np.subtract(1.0, f_n, out=f_n)
        f_n *= 1.0 - z  # dh/da_n = (1 - z) * (1 - n^2)
        # delta[t]: dL/d(recurrent-side pre-activations h_{t-1} W_hh^T + b_hh) and
        # delta_n[t]: dL/d(x_t W_in^T + b_in); the other gates add both sides.
        delta = np.empty_like(gates)
        delta_n = np.empty_like(candidate_hh)
        scratch = np.empty((streams.n_streams, batch, 3 * n_hidden), dtype=X.dtype)
        dh_next = streams.zeros(batch, n_hidden, X.dtype)
        for t in streams.steps:
            dh = streams.enter(t, dh_next, dH[t])  # into h_t: from above and step t+1
            d = streams.target(delta[t], scratch)  # delta[t] itself if one stream
            d_r, d_z, d_n = _split(d, n_hidden)
            np.multiply(dh, factor[t - lo, :, n_hidden : 2 * n_hidden], out=d_z)  # z
            np.multiply(dh, factor[t - lo, :, 2 * n_hidden :], out=d_n)  # into a_n
            np.multiply(d_n, candidate_hh[t], out=d_r)  # into r_t
            d_r *= factor[t - lo, :, :n_hidden]  # through r's sigmoid
            streams.merge(d_n, out=delta_n[t])  # input side of n, for W_in and b_in
            d_n *= r[t - lo]  # into W_hn h_{t-1} + b_hn, through the reset gate
            streams.merge(d, out=delta[t])  # sum of the streams, for W_hh and b_hh
            dh_next = d @ weight_hh  # into h_{t-1} through the gates, all streams
            dh_next += dh * z[t - lo]  # into h_{t-1} directly, through the update gate
        d_weight_hh, d_bias_hh = recurrent_gradients(delta, states, (lo, hi))
        delta[lo:hi, :, 2 * n_hidden :] = delta_n[lo:hi]  # now the input side
        dX, d_weight_ih, d_bias_ih = input_gradients(
            delta, X, weight_ih, (lo, hi), input_grad
        )
        return dX, (d_weight_ih, d_weight_hh, d_bias_ih, d_bias_hh)
