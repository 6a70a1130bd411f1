"""The LSTM cell, gates ``i, f, g, o`` laid out exactly as in PyTorch's ``nn.LSTM``.

For every step, with ``s`` the logistic sigmoid::

    i_t = s(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)      input gate
    f_t = s(W_if x_t + b_if + W_hf h_{t-1} + b_hf)      forget gate
    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)   candidate
    o_t = s(W_io x_t + b_io + W_ho h_{t-1} + b_ho)      output gate
    c_t = f_t * c_{t-1} + i_t * g_t
    h_t = o_t * tanh(c_t)

``weight_ih`` stacks ``W_ii, W_if, W_ig, W_io`` row-wise (shape ``(4*hidden, inputs)``),
and likewise ``weight_hh``, ``bias_ih`` and ``bias_hh``. Both states start at zero.

Inside the cell the gate blocks are ordered ``o, i, f, g`` (:data:`ORDER`), so that
the three sigmoids are one contiguous block, computed with one ``exp`` (their ``-1``
folded into the weights, see ``_activations``), beside ``g``'s ``np.tanh``; and the
three gates that act through ``c_t`` are another. The forward pass computes, while
each step is still in cache, the factors that take the gradient of ``h_t`` and ``c_t``
to the gate pre-activations, so that the backward loop is a few products per step.
The gradients come back in PyTorch's order.
"""

import numpy as np

from .._activations import exp_scale, sigmoid_of_scaled, tanh
from .._workspace import Workspace, workspace_or_new
from ._bptt import GradientStreams, cell_gradients, stack_operands, stack_weights
from ._protocol import LSTMCache

# Inside the cell, gate block j is PyTorch's block ORDER[j]: o, i, f, g.
ORDER = np.array([3, 0, 1, 2])
TO_PYTORCH = np.argsort(ORDER)


def reorder(A, order):
    """The gate blocks of ``A`` (stacked along axis 0) in the given ``order``."""
    blocks = A.reshape(4, A.shape[0] // 4, *A.shape[1:])
    return blocks[order].reshape(A.shape)


class LSTMCell:
    """Long short-term memory cell (Hochreiter & Schmidhuber, 1997, with forget gate).

    The cell has no hyperparameter: its nonlinearities are fixed by the gates.
    """

    n_gates = 4
    # Floats per hidden unit, timestep and sequence that BPTT holds at its peak:
    # cached factors (4), dh/dc, f and h; the deltas (4); dH.
    bptt_floats = 12

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
        initial_state: tuple[np.ndarray, np.ndarray] | None = None,
        return_state: bool = False,
    ) -> tuple:
        """Run the cell over every timestep of a batch.

        Parameters
        ----------
        X : ndarray of shape (n_inputs, n_timesteps, batch_size)
            Input sequences, batch-last.
        weight_ih : ndarray of shape (4 * n_hidden, n_inputs)
        weight_hh : ndarray of shape (4 * n_hidden, n_hidden)
        bias_ih, bias_hh : ndarray of shape (4 * n_hidden,)
        training : bool, default=True
            Whether to build the cache for :meth:`backward`; ``False`` returns
            ``None`` instead and skips that work.
        workspace : Workspace or None, default=None
            Where the large arrays are kept from one call to the next; the
            returned states and cache live there until its next use.
        initial_state : (ndarray, ndarray) or None, default=None
            Hidden and cell states ``(h, c)``, each of shape ``(n_hidden,
            batch_size)``, before the first step; ``None`` is zero. For inference
            (stepping a fitted network forward): :meth:`backward` assumes zero.
        return_state : bool, default=False
            Whether to return the state after the last step as well.

        Returns
        -------
        H : ndarray of shape (n_hidden, n_timesteps, batch_size)
            Hidden state after every timestep (both initial states are zero); a
            view of the step operands.
        cache : LSTMCache or None
            What :meth:`backward` needs: the operands
            ``[h_{t-1}; x_t; 1]`` of every step (``_bptt.stack_operands``); the gate
            factors ``tanh(c_t) o (1-o)``, ``g i (1-i)``, ``c_{t-1} f (1-f)`` and
            ``i (1-g^2)``, ``(n_timesteps, 4, n_hidden, batch_size)``; and
            per step ``(n_timesteps, n_hidden, batch_size)`` the factor
            ``o (1 - tanh(c_t)^2)`` taking dh_t into c_t, and ``f_t``.
        state : tuple of two ndarray of shape (n_hidden, batch_size)
            Only with ``return_state``: the hidden and cell states after the last
            step (copies), the ``initial_state`` of a call continuing the
            sequences.
        """
        ws, dtype = workspace_or_new(workspace), X.dtype
        _, n_steps, batch = X.shape
        n_hidden = weight_hh.shape[1]
        size = 4 * n_hidden
        weights = stack_weights(
            reorder(weight_hh, ORDER),
            reorder(weight_ih, ORDER),
            reorder(bias_ih + bias_hh, ORDER),
        )
        # Rows of o, i and f times -1: their pre-activations come out as exp
        # wants them; g's as they are, for np.tanh.
        weights *= exp_scale("ssst", n_hidden, dtype)[:, None]
        operands = stack_operands(X, n_hidden, ws)  # [h_{t-1}; x_t; 1] per step
        if training:
            factor = ws.empty("factor", (n_steps, 4, n_hidden, batch), dtype)
            dh_dc = ws.empty("dh_dc", (n_steps, n_hidden, batch), dtype)
            forget = ws.empty("forget", (n_steps, n_hidden, batch), dtype)
        gates = np.empty((4, n_hidden, batch), dtype=X.dtype)  # those of one step
        o, i, f, g = gates
        sigmoids = gates[:3]  # o, i and f
        a = gates.reshape(size, batch)  # the same, as the product's output
        c = np.zeros((n_hidden, batch), dtype=X.dtype)  # c_{t-1}, then c_t
        if initial_state is not None:
            operands[:n_hidden, 0], c[...] = initial_state  # h_{-1}, c_{-1}
        tanh_c = np.empty_like(c)
        work = np.empty_like(c)
        with np.errstate(over="ignore"):
            for t in range(n_steps):
                # all gates, both sides and the biases: one product
                np.matmul(weights, operands[:, t], out=a)
                sigmoid_of_scaled(sigmoids)  # o, i, f
                np.tanh(g, out=g)  # g
                if training:
                    F_o, F_i, F_f, F_g = F = factor[t]
                    np.subtract(1.0, sigmoids, out=F[:3])
                    F[:3] *= sigmoids  # s (1 - s)
                    np.multiply(g, g, out=F_g)
                    np.subtract(1.0, F_g, out=F_g)  # 1 - g^2
                    F_f *= c  # dc_t/da_f = c_{t-1} f (1 - f)
                    forget[t] = f  # dc_t/dc_{t-1}
                c *= f  # c_t = f * c_{t-1} ...
                np.multiply(i, g, out=work)
                c += work  # ... + i * g
                tanh(c, out=tanh_c)
                np.multiply(o, tanh_c, out=operands[:n_hidden, t + 1])  # h_t
                if not training:
                    continue
                F_i *= g  # dc_t/da_i = g i (1 - i)
                F_g *= i  # dc_t/da_g = i (1 - g^2)
                F_o *= tanh_c  # dh_t/da_o = tanh(c_t) o (1 - o)
                np.multiply(tanh_c, tanh_c, out=dh_dc[t])
                np.subtract(1.0, dh_dc[t], out=dh_dc[t])
                dh_dc[t] *= o  # dh_t/dc_t = o (1 - tanh(c_t)^2)
        states = operands[:n_hidden, 1:]
        cache = LSTMCache(operands, factor, dh_dc, forget) if training else None
        if return_state:
            return states, cache, (operands[:n_hidden, -1].copy(), c.copy())
        return states, cache

    def backward(
        self,
        dH: np.ndarray,
        weight_ih: np.ndarray,
        weight_hh: np.ndarray,
        bias_ih: np.ndarray,
        bias_hh: np.ndarray,
        cache: LSTMCache,
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
        cache : LSTMCache
            The cache returned by :meth:`forward`.
        input_grad : bool, default=True
            Whether to compute the gradient with respect to ``X``.
        truncate : int or None, default=None
            Truncated BPTT: the gradient entering at ``dH[:, t]`` flows back into
            steps ``t, t-1, ..., t-truncate+1`` only (through ``h`` and ``c`` alike).
            ``None`` is full BPTT.
        workspace : Workspace or None, default=None
            Where the large arrays are kept from one call to the next.

        Returns
        -------
        dX : ndarray of shape (n_inputs, n_timesteps, batch_size) or None
            Gradient with respect to the inputs, or ``None`` if not asked for.
        grads : tuple of ndarray
            Gradients of ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``.
        """
        operands, factor, dh_dc, forget = cache
        ws, dtype = workspace_or_new(workspace), operands.dtype
        n_hidden, n_steps, batch = dH.shape
        size = 4 * n_hidden
        streams = GradientStreams(dH, truncate)
        lo, hi = streams.bounds
        delta = ws.empty("delta", (size, n_steps, batch), dtype)  # dL/da
        scratch = np.empty((streams.n_streams, size, batch), dtype=dtype)
        dh_next = streams.zeros(n_hidden, batch, dtype)
        dc_next = streams.zeros(n_hidden, batch, dtype)
        work = np.empty_like(dh_next)
        # in the cell's gate order; contiguous, a faster product than .T
        weight_hh_T = np.ascontiguousarray(reorder(weight_hh, ORDER).T)
        for t in streams.steps:
            dh = streams.enter(t, dh_next, dH[:, t])  # into h_t: from above and t+1
            dc = streams.enter(t, dc_next)  # into c_t from step t+1
            np.multiply(dh, dh_dc[t], out=work)
            dc += work  # into c_t through h_t = o * tanh(c_t)
            d = streams.target(delta[:, t], scratch)  # delta[:, t] itself if one
            d_gates = d.reshape(-1, 4, n_hidden, batch)
            # into the pre-activations of i, f and g, through c_t
            np.multiply(dc[:, None], factor[t, 1:], out=d_gates[:, 1:])
            np.multiply(dh, factor[t, 0], out=d_gates[:, 0])  # into o's
            streams.merge(d, out=delta[:, t])  # sum of the streams, for the weights
            dc_next = np.multiply(dc, forget[t], out=dc)  # into c_{t-1}
            dh_next = np.matmul(weight_hh_T, d, out=dh)  # into h_{t-1}, all gates
        dX, grads = cell_gradients(
            delta, operands, reorder(weight_ih, ORDER), (lo, hi), ws, input_grad
        )
        return dX, tuple(reorder(grad, TO_PYTORCH) for grad in grads)
