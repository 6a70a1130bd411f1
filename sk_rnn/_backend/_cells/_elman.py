"""The Elman cell: ``h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)``.

Pure math over a whole batch of batch-last sequences ``(size, n_timesteps,
batch_size)``. The cell owns no parameters:
they are passed in, laid out exactly as in PyTorch's ``nn.RNN``.
"""

import numpy as np

from .._activations import ACTIVATIONS, DERIVATIVES
from .._workspace import Workspace, workspace_or_new
from ._bptt import (
    GradientStreams,
    cell_gradients,
    stack_operands,
    stack_weights,
)
from ._protocol import ElmanCache


class ElmanCell:
    """Vanilla recurrent cell with a ``tanh``, ``relu`` or ``identity`` activation.

    Parameters
    ----------
    activation : {"tanh", "relu", "identity"}, default="tanh"
        Nonlinearity applied to the new hidden state.
    """

    n_gates = 1
    # Floats per hidden unit, timestep and sequence that BPTT holds at its peak:
    # the cached states; the derivatives, which become the deltas in place; the
    # gradient from above.
    bptt_floats = 3

    def __init__(self, activation="tanh"):
        self.activation = activation

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
        weight_ih : ndarray of shape (n_hidden, n_inputs)
        weight_hh : ndarray of shape (n_hidden, n_hidden)
        bias_ih, bias_hh : ndarray of shape (n_hidden,)
        training : bool, default=True
            Whether :meth:`backward` will follow (the Elman cell caches the same
            either way).
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
        cache : ElmanCache
            What :meth:`backward` needs: the operands ``[h_{t-1}; x_t; 1]`` of
            every step (see ``_bptt.stack_operands``).
        state : ndarray of shape (n_hidden, batch_size)
            Only with ``return_state``: the hidden state after the last step (a
            copy), the ``initial_state`` of a call continuing the sequences.
        """
        ws = workspace_or_new(workspace)
        _, n_steps, batch = X.shape
        n_hidden = weight_hh.shape[0]
        operands = stack_operands(X, n_hidden, ws)  # [h_{t-1}; x_t; 1] per step
        if initial_state is not None:
            operands[:n_hidden, 0] = initial_state  # h_{-1}
        weights = stack_weights(weight_hh, weight_ih, bias_ih + bias_hh)
        act = ACTIVATIONS[self.activation]
        a = np.empty((n_hidden, batch), dtype=X.dtype)  # contiguous work array
        for t in range(n_steps):
            # W_hh h_{t-1} + W_ih x_t + b, one product
            np.matmul(weights, operands[:, t], out=a)
            act(a, out=operands[:n_hidden, t + 1])  # h_t
        if return_state:
            return (
                operands[:n_hidden, 1:],
                ElmanCache(operands),
                operands[:n_hidden, -1].copy(),
            )
        return operands[:n_hidden, 1:], ElmanCache(operands)

    def backward(
        self,
        dH: np.ndarray,
        weight_ih: np.ndarray,
        weight_hh: np.ndarray,
        bias_ih: np.ndarray,
        bias_hh: np.ndarray,
        cache: ElmanCache,
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
        cache : ElmanCache
            The cache returned by :meth:`forward`.
        input_grad : bool, default=True
            Whether to compute the gradient with respect to ``X``.
        truncate : int or None, default=None
            Truncated BPTT: the gradient entering at ``dH[t]`` flows back into steps
            ``t, t-1, ..., t-truncate+1`` only. ``None`` is full BPTT.
        workspace : Workspace or None, default=None
            Where the large arrays are kept from one call to the next.

        Returns
        -------
        dX : ndarray of shape (n_inputs, n_timesteps, batch_size) or None
            Gradient with respect to the inputs, or ``None`` if not asked for.
        grads : tuple of ndarray
            Gradients of ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``.
        """
        (operands,) = cache
        ws, dtype = workspace_or_new(workspace), operands.dtype
        n_hidden, n_steps, batch = dH.shape
        streams = GradientStreams(dH, truncate)
        lo, hi = streams.bounds
        # The activation's derivative at every visited step (None for the
        # identity), which the loop turns into delta[:, t] = dL/da_t in place.
        delta = ws.empty("delta", dH.shape, dtype)
        derivative = DERIVATIVES[self.activation](
            operands[:n_hidden, 1 + lo : 1 + hi], delta[:, lo:hi]
        )
        dh_next = streams.zeros(n_hidden, batch, dtype)
        spare = np.empty_like(dh_next)  # where the next dh_next is written
        weight_hh_T = np.ascontiguousarray(weight_hh.T)  # a faster product than .T
        for t in streams.steps:
            dh = streams.enter(t, dh_next, dH[:, t])  # into h_t: from above and t+1
            da = streams.target(delta[:, t], dh)  # delta[:, t] itself if one stream
            if derivative is None:
                da[...] = dh  # through the identity, into a_t
            else:
                np.multiply(dh, delta[:, t], out=da)  # through act, into a_t
            streams.merge(da, out=delta[:, t])  # sum of the streams, for the weights
            np.matmul(weight_hh_T, da, out=spare)  # into h_{t-1}, all streams at once
            dh_next, spare = spare, dh_next
        return cell_gradients(delta, operands, weight_ih, (lo, hi), ws, input_grad)
