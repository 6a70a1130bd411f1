"""The Elman cell: ``h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)``.

Pure math over a whole batch of batch-last sequences ``(size, n_timesteps,
batch_size)``. The cell owns no parameters:
they are passed in, laid out exactly as in PyTorch's ``nn.RNN``.
"""

import numpy as np

from .._activations import ACTIVATIONS, DERIVATIVES
from .._workspace import workspace_or_new
from ._bptt import (
    GradientStreams,
    bias_gradient,
    input_gradients,
    project_inputs,
    recurrent_gradient,
)


class ElmanCell:
    """Vanilla recurrent cell with a ``tanh``, ``relu`` or ``identity`` activation.

    Parameters
    ----------
    activation : {"tanh", "relu", "identity"}, default="tanh"
        Nonlinearity applied to the new hidden state.
    """

    n_gates = 1
    # Floats per hidden unit, timestep and sequence that BPTT holds at its peak:
    # the cached states; the input projections, whose memory then holds the
    # derivative; the deltas; the gradient from above.
    bptt_floats = 4

    def __init__(self, activation="tanh"):
        self.activation = activation

    def forward(
        self,
        X,
        weight_ih,
        weight_hh,
        bias_ih,
        bias_hh,
        *,
        training=True,
        workspace=None,
    ):
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

        Returns
        -------
        H : ndarray of shape (n_hidden, n_timesteps, batch_size)
            Hidden state after every timestep (the initial state is zero).
        cache : tuple
            What :meth:`backward` needs: the inputs and every hidden state.
        """
        ws = workspace_or_new(workspace)
        _, n_steps, batch = X.shape
        n_hidden = weight_hh.shape[0]
        act = ACTIVATIONS[self.activation]
        # Input projection of all timesteps in one product: a_t before W_hh h_{t-1}.
        inputs = project_inputs(
            weight_ih,
            X,
            ws.empty("pre_activations", (n_steps, n_hidden, batch), X.dtype),
        )
        inputs += (bias_ih + bias_hh)[:, None]
        states = ws.empty("states", (n_hidden, n_steps, batch), X.dtype)
        a = np.empty((n_hidden, batch), dtype=X.dtype)  # contiguous work array
        with np.errstate(over="ignore"):  # tanh through exp (see _activations)
            for t in range(n_steps):
                if t:
                    np.matmul(weight_hh, states[:, t - 1], out=a)  # W_hh h_{t-1}
                    a += inputs[t]  # + W_ih x_t + b
                else:
                    a[...] = inputs[0]  # h_{-1} = 0 adds nothing at the first step
                act(a, out=a)  # on contiguous memory: faster than on a step of states
                states[:, t] = a  # h_t
        return states, (X, states)

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
        workspace=None,
    ):
        """Backpropagate through time over the whole batch.

        Parameters
        ----------
        dH : ndarray of shape (n_hidden, n_timesteps, batch_size)
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
        workspace : Workspace or None, default=None
            Where the large arrays are kept from one call to the next.

        Returns
        -------
        dX : ndarray of shape (n_inputs, n_timesteps, batch_size) or None
            Gradient with respect to the inputs, or ``None`` if not asked for.
        grads : tuple of ndarray
            Gradients of ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``.
        """
        X, states = cache
        ws = workspace_or_new(workspace)
        n_hidden, n_steps, batch = states.shape
        streams = GradientStreams(dH, truncate)
        lo, hi = streams.bounds
        # The activation's derivative at every visited step (None for the identity).
        derivative = DERIVATIVES[self.activation](
            states[:, lo:hi],
            ws.empty("pre_activations", (n_hidden, hi - lo, batch), X.dtype),
        )
        # delta[:, t] becomes dL/da_t for lo <= t < hi
        delta = ws.empty("delta", states.shape, X.dtype)
        dh_next = streams.zeros(n_hidden, batch, X.dtype)
        spare = np.empty_like(dh_next)  # where the next dh_next is written
        for t in streams.steps:
            dh = streams.enter(t, dh_next, dH[:, t])  # into h_t: from above and t+1
            da = streams.target(delta[:, t], dh)  # delta[:, t] itself if one stream
            if derivative is None:
                da[...] = dh  # through the identity, into a_t
            else:
                np.multiply(dh, derivative[:, t - lo], out=da)  # through act, into a_t
            streams.merge(da, out=delta[:, t])  # sum of the streams, for the weights
            np.matmul(weight_hh.T, da, out=spare)  # into h_{t-1}, all streams at once
            dh_next, spare = spare, dh_next
        d_weight_hh = recurrent_gradient(delta, states, (lo, hi))
        d_bias = bias_gradient(delta, (lo, hi))  # b_ih and b_hh add alike
        dX, d_weight_ih = input_gradients(delta, X, weight_ih, (lo, hi), ws, input_grad)
        return dX, (d_weight_ih, d_weight_hh, d_bias, d_bias.copy())
