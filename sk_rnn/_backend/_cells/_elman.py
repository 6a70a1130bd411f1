"""The Elman cell: ``h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``.

Pure math over a whole batch of time-major sequences. The cell owns no parameters:
they are passed in, laid out exactly as in PyTorch's ``nn.RNN``.
"""

import numpy as np

from .._activations import ACTIVATIONS, DERIVATIVES
from ._bptt import GradientStreams, input_gradients, recurrent_gradients


class ElmanCell:
    """Vanilla recurrent cell with a ``tanh``, ``relu`` or ``identity`` activation.

    Parameters
    ----------
    activation : {"tanh", "relu", "identity"}, default="tanh"
        Nonlinearity applied to the new hidden state.
    """

    n_gates = 1
    # Floats per hidden unit, timestep and sequence that BPTT holds at its peak:
    # the cached states, the derivative, the deltas and the gradient from above.
    bptt_floats = 4

    def __init__(self, activation="tanh"):
        self.activation = activation

    def forward(self, X, weight_ih, weight_hh, bias_ih, bias_hh):
        """Run the cell over every timestep of a batch.

        Parameters
        ----------
        X : ndarray of shape (n_timesteps, batch_size, n_inputs)
            Time-major input sequences.
        weight_ih : ndarray of shape (n_hidden, n_inputs)
        weight_hh : ndarray of shape (n_hidden, n_hidden)
        bias_ih, bias_hh : ndarray of shape (n_hidden,)

        Returns
        -------
        H : ndarray of shape (n_timesteps, batch_size, n_hidden)
            Hidden state after every timestep (the initial state is zero).
        cache : tuple
            What :meth:`backward` needs: the inputs and every hidden state.
        """
        n_steps, batch, n_inputs = X.shape
        n_hidden = weight_hh.shape[0]
        act = ACTIVATIONS[self.activation]
        # states[0] is h_{-1} = 0; states[t + 1] is h_t.
        states = np.empty((n_steps + 1, batch, n_hidden), dtype=X.dtype)
        states[0] = 0.0
        # Input projection of all timesteps in one product, written in place.
        np.matmul(
            X.reshape(-1, n_inputs),
            weight_ih.T,
            out=states[1:].reshape(-1, n_hidden),
        )
        states[1:] += bias_ih + bias_hh
        act(states[1])  # h_{-1} = 0 contributes nothing at the first step
        recurrent = np.empty((batch, n_hidden), dtype=X.dtype)
        for t in range(1, n_steps):
            np.matmul(states[t], weight_hh.T, out=recurrent)
            states[t + 1] += recurrent
            act(states[t + 1])
        return states[1:], (X, states)

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
        X, states = cache
        batch, n_hidden = X.shape[1], weight_hh.shape[0]
        streams = GradientStreams(dH, truncate)
        lo, hi = streams.bounds
        # The activation's derivative at every visited step (None for the identity).
        derivative = DERIVATIVES[self.activation](states[lo + 1 : hi + 1])
        delta = np.empty_like(states[1:])  # delta[t] becomes dL/da_t, for lo <= t < hi
        dh_next = streams.zeros(batch, n_hidden, X.dtype)
        for t in streams.steps:
            dh = streams.enter(t, dh_next, dH[t])  # into h_t: from above and step t+1
            da = streams.target(delta[t], dh)  # delta[t] itself if one stream
            if derivative is None:
                da[...] = dh  # through the identity, into a_t
            else:
                np.multiply(dh, derivative[t - lo], out=da)  # through act, into a_t
            streams.merge(da, out=delta[t])  # sum of the streams, for the weights
            dh_next = da @ weight_hh  # into h_{t-1}, all streams at once
        d_weight_hh, d_bias_hh = recurrent_gradients(delta, states, (lo, hi))
        dX, d_weight_ih, d_bias_ih = input_gradients(
            delta, X, weight_ih, (lo, hi), input_grad
        )
        return dX, (d_weight_ih, d_weight_hh, d_bias_ih, d_bias_hh)
