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
from ._bptt import GradientStreams, parameter_gradients


def _split(a, n_hidden):
    """Views of the three gate blocks ``r, z, n`` of ``a[..., 3*n_hidden]``."""
    return (a[..., k * n_hidden : (k + 1) * n_hidden] for k in range(3))


class GRUCell:
    """Gated recurrent unit (Cho et al., 2014), PyTorch's variant.

    The cell has no hyperparameter: its nonlinearities are fixed by the gates.
    """

    n_gates = 3

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
            rec_r, rec_z, rec_n = _split(recurrent, n_hidden)
            gates[t, :, : 2 * n_hidden] += recurrent[:, : 2 * n_hidden]
            inplace_logistic(gates[t, :, : 2 * n_hidden])  # r and z
            np.add(rec_n, bias_hh[2 * n_hidden :], out=candidate_hh[t])  # W_hn h + b_hn
            n += r * candidate_hh[t]
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
        # Local derivatives at every visited step, computed once for all steps.
        local = gates[lo:hi] * (1.0 - gates[lo:hi])  # sigmoid' for r and z
        z, n = gates[lo:hi, :, n_hidden : 2 * n_hidden], gates[lo:hi, :, 2 * n_hidden :]
        np.subtract(1.0, n * n, out=local[..., 2 * n_hidden :])  # tanh'
        dh_dn = 1.0 - z  # d h_t / d n_t
        dh_dz = states[lo:hi] - n  # d h_t / d z_t = h_{t-1} - n_t
        # delta[t]: dL/d(input-side pre-activations x W_ih^T + b_ih), lo <= t < hi.
        delta = np.empty_like(gates)
        d = np.empty((streams.n_streams, batch, 3 * n_hidden), dtype=X.dtype)
        d_r, d_z, d_n = _split(d, n_hidden)
        dh_next = streams.zeros(batch, n_hidden, X.dtype)
        for t in streams.steps:
            r, z, _ = _split(gates[t], n_hidden)
            dh = streams.enter(t, dh_next, dH[t])  # into h_t: from above and step t+1
            np.multiply(dh, dh_dn[t - lo], out=d_n)  # into n_t
            np.multiply(dh, dh_dz[t - lo], out=d_z)  # into z_t
            d[..., n_hidden:] *= local[t - lo, :, n_hidden:]  # through z's and n's
            np.multiply(d_n, candidate_hh[t], out=d_r)  # into r_t
            d_r *= local[t - lo, :, :n_hidden]  # through r's sigmoid
            streams.merge(d, out=delta[t])  # all streams, for W_ih and b_ih
            d_n *= r  # into W_hn h_{t-1} + b_hn, through the reset gate
            dh_next = d @ weight_hh  # into h_{t-1} through the gates, all streams
            dh_next += dh * z  # into h_{t-1} directly, through the update gate
        # The recurrent side differs only in the candidate block: r_t * delta_n.
        delta_hh = delta.copy()
        delta_hh[lo:hi, :, 2 * n_hidden :] *= gates[lo:hi, :, :n_hidden]
        return parameter_gradients(
            delta, delta_hh, X, states, weight_ih, (lo, hi), input_grad=input_grad
        )
