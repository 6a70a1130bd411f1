"""What every cell's BPTT shares: the reversed loop's schedule and the stacked products.

The reversed loop runs whole or truncated. With ``truncate=k`` the gradient entering
at ``dH[t]`` may flow back into steps ``t, t-1, ..., t-k+1`` only, so gradients of
different origins must not be merged before the oldest of them is dropped.
:class:`GradientStreams` keeps them apart only when that is needed:

- full BPTT (``truncate=None``, or no gradient can travel ``k`` steps before reaching
  the first step): one stream, every gradient merged, the loop runs down to step 0;
- one step receives gradient (many-to-one, the usual case): one stream, and the loop
  simply stops after ``k`` steps;
- otherwise: ``k`` streams stacked along a leading axis, one per output still in
  flight, each travelling exactly ``k`` steps. The stream born at step ``t`` lives in
  slot ``t % k``, so it replaces the one born at ``t + k`` just as that one expires.

Cells carry their gradients as arrays of shape ``(n_streams, batch_size, size)`` and
backpropagate all streams of a step with the same products. Backpropagation is
linear in the gradient, so the parameter and input gradients need only the streams'
sum (:meth:`GradientStreams.merge`), from which :func:`recurrent_gradients`
and :func:`input_gradients` form the weight, bias and input gradients of all steps
at once after the loop.
"""

import numpy as np


class GradientStreams:
    """Which steps the reversed loop visits and how incoming gradients are carried.

    Parameters
    ----------
    dH : ndarray of shape (n_timesteps, batch_size, n_hidden)
        Gradient of the loss with respect to every hidden state, from above.
    truncate : int or None
        Truncated-BPTT window; ``None`` is full BPTT.

    Attributes
    ----------
    steps : range
        The timesteps that receive gradient, latest first.
    n_streams : int
        Number of gradient streams carried back in parallel.
    """

    def __init__(self, dH, truncate):
        if truncate is not None and truncate < 1:
            raise ValueError(f"truncate must be None or at least 1, got {truncate}.")
        n_steps = dH.shape[0]
        active = np.flatnonzero(dH.reshape(n_steps, -1).any(axis=1))
        self._cut = False  # whether a stream expires (else all gradients merge)
        if active.size == 0:  # nothing to backpropagate
            self.steps, self.n_streams = range(0), 1
            return
        first, last = int(active[0]), int(active[-1])
        if truncate is None or truncate > last:  # nothing is ever cut: full BPTT
            self.steps, self.n_streams = range(last, -1, -1), 1
        elif first == last:  # a single origin: stop after `truncate` steps
            self.steps, self.n_streams = range(last, last - truncate, -1), 1
        else:  # one stream per origin still in flight
            stop = max(first - truncate + 1, 0)
            self.steps, self.n_streams = range(last, stop - 1, -1), truncate
            self._cut = True

    @property
    def bounds(self):
        """``(lo, hi)``: the visited steps are ``lo <= t < hi``."""
        if not self.steps:
            return 0, 0
        return self.steps[-1], self.steps[0] + 1

    def zeros(self, batch_size, size, dtype):
        """Empty streams: an array of zeros ``(n_streams, batch_size, size)``."""
        return np.zeros((self.n_streams, batch_size, size), dtype=dtype)

    def enter(self, t, streams, dH_t=None):
        """Add the gradient arriving at step ``t`` to the streams, in place.

        Parameters
        ----------
        t : int
            The current step.
        streams : ndarray of shape (n_streams, batch_size, size)
            Gradients carried back from step ``t + 1``.
        dH_t : ndarray of shape (batch_size, size) or None
            Gradient arriving from above at step ``t``; ``None`` for a quantity that
            receives none (the LSTM's cell state), whose expired stream is cleared.

        Returns
        -------
        streams : ndarray of shape (n_streams, batch_size, size)
            The gradients at step ``t`` (the same array).
        """
        if not self._cut:  # one stream: gradients merge
            if dH_t is not None:
                streams[0] += dH_t
        elif dH_t is None:  # the stream born at t + k expires
            streams[t % self.n_streams] = 0.0
        else:  # the stream born at t replaces the one born at t + k
            streams[t % self.n_streams] = dH_t
        return streams

    def target(self, delta_t, scratch):
        """Where to compute the stream deltas of a step, ``(n_streams, batch, size)``.

        With one stream that is ``delta_t`` itself (nothing to merge afterwards),
        otherwise ``scratch``.
        """
        return delta_t[np.newaxis] if self.n_streams == 1 else scratch

    def merge(self, d, out):
        """Sum the streams ``d`` of shape ``(n_streams, batch, size)`` into ``out``."""
        if np.may_share_memory(d, out):  # d came from target(out, ...): done
            return out
        if self.n_streams == 1:
            out[...] = d[0]
        else:
            d.sum(axis=0, out=out)
        return out


def recurrent_gradients(delta, states, bounds):
    """Gradients of ``weight_hh`` and ``bias_hh``, as products stacked over time.

    Parameters
    ----------
    delta : ndarray of shape (n_timesteps, batch_size, n_gates * n_hidden)
        Gradient with respect to the recurrent side of the gate pre-activations,
        ``h_{t-1} W_hh^T + b_hh``; only the steps in ``bounds`` are read.
    states : ndarray of shape (n_timesteps + 1, batch_size, n_hidden)
        ``states[t]`` is ``h_{t-1}``, with ``states[0]`` the zero initial state.
    bounds : tuple of int
        ``(lo, hi)``: the deltas are zero outside ``lo <= t < hi``.

    Returns
    -------
    d_weight_hh : ndarray of shape (n_gates * n_hidden, n_hidden)
    d_bias_hh : ndarray of shape (n_gates * n_hidden,)
    """
    lo, hi = bounds
    size, n_hidden = delta.shape[-1], states.shape[-1]
    first = max(lo, 1)  # h_{-1} = 0 adds nothing to W_hh
    d_weight_hh = (  # into W_hh, all steps at once
        delta[first:hi].reshape(-1, size).T @ states[first:hi].reshape(-1, n_hidden)
    )
    d_bias_hh = delta[lo:hi].reshape(-1, size).sum(axis=0)  # into b_hh
    return d_weight_hh, d_bias_hh


def input_gradients(delta, X, weight_ih, bounds, input_grad=True):
    """Gradients of ``X``, ``weight_ih`` and ``bias_ih``, as stacked products.

    Parameters
    ----------
    delta : ndarray of shape (n_timesteps, batch_size, n_gates * n_hidden)
        Gradient with respect to the input side of the gate pre-activations,
        ``x_t W_ih^T + b_ih``; only the steps in ``bounds`` are read.
    X : ndarray of shape (n_timesteps, batch_size, n_inputs)
        The inputs of the cell.
    weight_ih : ndarray of shape (n_gates * n_hidden, n_inputs)
    bounds : tuple of int
        ``(lo, hi)``: the deltas are zero outside ``lo <= t < hi``.
    input_grad : bool, default=True
        Whether to compute the gradient with respect to ``X``.

    Returns
    -------
    dX : ndarray of shape (n_timesteps, batch_size, n_inputs) or None
    d_weight_ih : ndarray of shape (n_gates * n_hidden, n_inputs)
    d_bias_ih : ndarray of shape (n_gates * n_hidden,)
    """
    lo, hi = bounds
    n_steps, batch, n_inputs = X.shape
    d = delta[lo:hi].reshape(-1, delta.shape[-1])
    d_weight_ih = d.T @ X[lo:hi].reshape(-1, n_inputs)  # into W_ih, all steps at once
    d_bias_ih = d.sum(axis=0)  # into b_ih
    dX = None
    if input_grad:
        dX = np.zeros((n_steps, batch, n_inputs), dtype=d.dtype)
        np.matmul(d, weight_ih, out=dX[lo:hi].reshape(-1, n_inputs))  # into x_t
    return dX, d_weight_ih, d_bias_ih
