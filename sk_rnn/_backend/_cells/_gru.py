"""The GRU cell, gates ``r, z, n`` laid out exactly as in PyTorch's ``nn.GRU``.

For every step, with ``s`` the logistic sigmoid::

    r_t = s(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)           reset gate
    z_t = s(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)           update gate
    n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))  candidate
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

The reset gate multiplies the whole recurrent term ``W_hn h_{t-1} + b_hn``, as in
PyTorch (not ``h_{t-1}`` before the product, as in the original paper).
``weight_ih`` stacks ``W_ir, W_iz, W_in`` row-wise (shape ``(3*hidden, inputs)``),
and likewise ``weight_hh``, ``bias_ih`` and ``bias_hh``. The state starts at zero.

As in the LSTM, the sigmoids go through ``exp`` with their ``-1`` folded into the
weights, the candidate through ``np.tanh``, and the forward pass stores the factors
of the backward one while each step is in cache.
"""

import numpy as np

from .._activations import exp_scale, sigmoid_of_scaled
from .._workspace import Workspace, workspace_or_new
from ._bptt import (
    GradientStreams,
    input_gradient,
    project_inputs,
    stack_operands,
    stack_weights,
    weight_gradients,
)
from ._protocol import GRUCache


class GRUCell:
    """Gated recurrent unit (Cho et al., 2014), PyTorch's variant.

    The cell has no hyperparameter: its nonlinearities are fixed by the gates.
    """

    n_gates = 3
    # Floats per hidden unit, timestep and sequence that BPTT holds at its peak:
    # cached factors (3), r, z and h; the deltas (3); the input projections of n,
    # whose memory then holds the input-side deltas of n; dH.
    bptt_floats = 11

    def forward(
        self,
        X: np.ndarray,
        weight_ih: np.ndarray,
        weight_hh: np.ndarray,
        bias_ih: np.ndarray,
        bias_hh: np.ndarray,
        *,
        training: bool = True,
        workspace: Workspace | None = None,
        initial_state: np.ndarray | None = None,
        return_state: bool = False,
    ) -> tuple:
        """Run the cell over every timestep of a batch.

        Parameters
        ----------
        X : ndarray of shape (n_inputs, n_timesteps, batch_size)
            Input sequences, batch-last.
        weight_ih : ndarray of shape (3 * n_hidden, n_inputs)
        weight_hh : ndarray of shape (3 * n_hidden, n_hidden)
        bias_ih, bias_hh : ndarray of shape (3 * n_hidden,)
        training : bool, default=True
            Whether to build the cache for :meth:`backward`; ``False`` returns
            ``None`` instead and skips that work.
        workspace : Workspace or None, default=None
            Where the large arrays are kept from one call to the next; the
            returned states and cache live there until its next use.
        initial_state : ndarray of shape (n_hidden, batch_size) or None, default=None
            Hidden state before the first step; ``None`` is zero. For inference
            (stepping a fitted network forward): :meth:`backward` assumes zero.
        return_state : bool, default=False
            Whether to return the state after the last step as well.

        Returns
        -------
        H : ndarray of shape (n_hidden, n_timesteps, batch_size)
            Hidden state after every timestep (the initial state is zero); a view
            of the step operands.
        cache : GRUCache or None
            What :meth:`backward` needs: the operands
            ``[h_{t-1}; x_t; 1]`` of every step (``_bptt.stack_operands``); the
            factors ``(W_hn h_{t-1} + b_hn) r (1-r)``, ``(h_{t-1} - n) z (1-z)`` and
            ``(1-z)(1-n^2)``, ``(n_timesteps, 3, n_hidden, batch_size)``; then ``r_t``
            and ``z_t``, ``(n_timesteps, 2 * n_hidden, batch_size)``.
        state : ndarray of shape (n_hidden, batch_size)
            Only with ``return_state``: the hidden state after the last step (a
            copy), the ``initial_state`` of a call continuing the sequences.
        """
        ws, dtype = workspace_or_new(workspace), X.dtype
        _, n_steps, batch = X.shape
        n_hidden = weight_hh.shape[1]
        size = 3 * n_hidden
        scale = exp_scale("sst", n_hidden, dtype)  # -1 in r's and z's rows, for exp
        # r and z add both sides and both biases; n only its recurrent side,
        # W_hn h_{t-1} + b_hn, which the reset gate multiplies before x_t joins.
        bias = bias_ih + bias_hh
        bias[2 * n_hidden :] = bias_hh[2 * n_hidden :]
        weights = stack_weights(weight_hh, weight_ih, bias)
        # (n's rows multiply the inputs by zero: n_hidden * n_inputs wasted
        # multiply-adds per step and sequence, against a second product)
        weights[2 * n_hidden :, n_hidden:-1] = 0.0
        weights *= scale[:, None]
        operands = stack_operands(X, n_hidden, ws)  # [h_{t-1}; x_t; 1] per step
        if initial_state is not None:
            operands[:n_hidden, 0] = initial_state  # h_{-1}
        # The input side of n, W_in x_t + b_in, of all timesteps at once.
        inputs = project_inputs(
            weight_ih[2 * n_hidden :],
            X,
            ws.empty("pre_activations", (n_steps, n_hidden, batch), dtype),
        )
        inputs += bias_ih[2 * n_hidden :, None]
        if training:
            factor = ws.empty("factor", (n_steps, 3, n_hidden, batch), dtype)
            gates = ws.empty("gates", (n_steps, 2 * n_hidden, batch), dtype)
        # r and z, both sides; n's recurrent side: the product, then the gates
        a = np.empty((size, batch), dtype=X.dtype)
        rz, hn = a[: 2 * n_hidden], a[2 * n_hidden :]
        r, z = rz[:n_hidden], rz[n_hidden:]
        n = np.empty((n_hidden, batch), dtype=X.dtype)
        work = np.empty_like(n)
        with np.errstate(over="ignore"):
            for t in range(n_steps):
                h_prev = operands[:n_hidden, t]
                # r and z (times -1 for exp); W_hn h_{t-1} + b_hn in n's rows
                np.matmul(weights, operands[:, t], out=a)
                sigmoid_of_scaled(rz)  # r and z
                np.multiply(r, hn, out=n)
                n += inputs[t]  # W_in x_t + b_in + r * hn
                np.tanh(n, out=n)  # n
                np.subtract(h_prev, n, out=work)
                work *= z
                # h_t = n + z * (h_{t-1} - n)
                np.add(n, work, out=operands[:n_hidden, t + 1])
                if not training:
                    continue
                F_r, F_z, F_n = factor[t]
                np.subtract(1.0, z, out=F_n)  # 1 - z
                np.multiply(work, F_n, out=F_z)  # dh_t/da_z = (h_{t-1} - n) z (1-z)
                np.multiply(n, n, out=work)
                np.subtract(1.0, work, out=work)
                F_n *= work  # dh_t/da_n = (1 - z)(1 - n^2)
                np.subtract(1.0, r, out=F_r)
                F_r *= r
                F_r *= hn  # dn_t/dr_t through s' = (W_hn h_{t-1} + b_hn) r (1-r)
                gates[t] = rz
        states = operands[:n_hidden, 1:]
        cache = GRUCache(operands, factor, gates) if training else None
        if return_state:
            return states, cache, operands[:n_hidden, -1].copy()
        return states, cache

    def backward(
        self,
        dH: np.ndarray,
        weight_ih: np.ndarray,
        weight_hh: np.ndarray,
        bias_ih: np.ndarray,
        bias_hh: np.ndarray,
        cache: GRUCache,
        *,
        input_grad: bool = True,
        truncate: int | None = None,
        workspace: Workspace | None = None,
    ) -> tuple[np.ndarray | None, tuple[np.ndarray, ...]]:
        """Backpropagate through time over the whole batch.

        Parameters
        ----------
        dH : ndarray of shape (n_hidden, n_timesteps, batch_size)
            Gradient of the loss with respect to every hidden state, from the layers
            above (zero where a state feeds nothing but the next step).
        weight_ih, weight_hh, bias_ih, bias_hh : ndarray
            The parameters given to :meth:`forward`.
        cache : GRUCache
            The cache returned by :meth:`forward`.
        input_grad : bool, default=True
            Whether to compute the gradient with respect to ``X``.
        truncate : int or None, default=None
            Truncated BPTT: the gradient entering at ``dH[:, t]`` flows back into
            steps ``t, t-1, ..., t-truncate+1`` only. ``None`` is full BPTT.
        workspace : Workspace or None, default=None
            Where the large arrays are kept from one call to the next.

        Returns
        -------
        dX : ndarray of shape (n_inputs, n_timesteps, batch_size) or None
            Gradient with respect to the inputs, or ``None`` if not asked for.
        grads : tuple of ndarray
            Gradients of ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``.
        """
        operands, factor, gates = cache
        ws, dtype = workspace_or_new(workspace), operands.dtype
        n_hidden, n_steps, batch = dH.shape
        size = 3 * n_hidden
        streams = GradientStreams(dH, truncate)
        lo, hi = streams.bounds
        # delta[:, t]: dL/d(recurrent-side pre-activations W_hh h_{t-1} + b_hh) and
        # delta_n[:, t]: dL/d(W_in x_t + b_in); r and z add both sides alike.
        delta = ws.empty("delta", (size, n_steps, batch), dtype)
        # in the memory of the forward's input projections
        delta_n = ws.empty("pre_activations", (n_hidden, n_steps, batch), dtype)
        scratch = np.empty((streams.n_streams, size, batch), dtype=dtype)
        dh_next = streams.zeros(n_hidden, batch, dtype)
        spare = np.empty_like(dh_next)  # where the next dh_next is written
        weight_hh_T = np.ascontiguousarray(weight_hh.T)  # a faster product than .T
        for t in streams.steps:
            F_r, F_z, F_n = factor[t]
            r, z = gates[t, :n_hidden], gates[t, n_hidden:]
            dh = streams.enter(t, dh_next, dH[:, t])  # into h_t: from above and t+1
            d = streams.target(delta[:, t], scratch)  # delta[:, t] itself if one
            d_r, d_z, d_n = (d[:, k * n_hidden : (k + 1) * n_hidden] for k in range(3))
            np.multiply(dh, F_z, out=d_z)  # into a_z
            np.multiply(dh, F_n, out=d_n)  # into a_n, the input side of n
            np.multiply(d_n, F_r, out=d_r)  # into a_r, through r * (W_hn h + b_hn)
            streams.merge(d_n, out=delta_n[:, t])  # for W_in and b_in
            d_n *= r  # into W_hn h_{t-1} + b_hn, through the reset gate
            streams.merge(d, out=delta[:, t])  # sum of the streams, for W_hh, b_hh
            np.matmul(weight_hh_T, d, out=spare)  # into h_{t-1} through the gates
            dh *= z
            spare += dh  # into h_{t-1} directly, through the update gate
            dh_next, spare = spare, dh
        # W_hh and b_hh; and W_ih and b_ih but for n's rows (whose input columns
        # are discarded), all steps at once
        d_weights = weight_gradients(delta, operands, (lo, hi))
        # n's rows of W_ih and b_ih, from the operands' input and bias rows
        d_n = weight_gradients(delta_n, operands[n_hidden:], (lo, hi))
        d_weight_ih = d_weights[:, n_hidden:-1].copy()
        d_weight_ih[2 * n_hidden :] = d_n[:, :-1]
        d_bias_ih = d_weights[:, -1].copy()
        d_bias_ih[2 * n_hidden :] = d_n[:, -1]
        d_weight_hh, d_bias_hh = d_weights[:, :n_hidden].copy(), d_weights[:, -1].copy()
        delta[2 * n_hidden :, lo:hi] = delta_n[:, lo:hi]  # now the input side
        dX = input_gradient(delta, weight_ih, (lo, hi), ws) if input_grad else None
        return dX, (d_weight_ih, d_weight_hh, d_bias_ih, d_bias_hh)
