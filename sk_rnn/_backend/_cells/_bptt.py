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

Cells carry their gradients as arrays of shape ``(n_streams, size, batch_size)`` and
backpropagate all streams of a step with the same products. Backpropagation is
linear in the gradient, so the parameter and input gradients need only the streams'
sum (:meth:`GradientStreams.merge`).

Every step's pre-activations are one product: the cells keep, for every step, the
stacked operand ``[h_{t-1}; x_t; 1]`` (:func:`stack_operands`), so that
``[W_hh | W_ih | b] @ [h_{t-1}; x_t; 1]`` (:func:`stack_weights`) adds the
recurrent side, the input side and the bias at once, with no input projection
held for every step (but for the GRU's candidate, :func:`project_inputs`). After
the loop, :func:`weight_gradients` forms the gradient of all three from the summed
deltas of every step in one product, and :func:`input_gradient` the gradient of
the inputs (:func:`cell_gradients`: both, split per parameter).

Layout: cells work batch-last, ``(size, n_timesteps, batch_size)``. One step of a
gate block, ``A[:, t]``, is then a ``(size, batch_size)`` matrix whose gate slices
are contiguous, so the elementwise work on each gate runs over contiguous memory,
and ``A.reshape(size, -1)`` stacks every step for one weight-gradient product.
"""

import numpy as np

# Up to this many inputs, W_ih x_t is faster as broadcast multiply-adds than as a
# matrix product with so short an inner dimension.
FEW_INPUTS = 4


class GradientStreams:
    """Which steps the reversed loop visits and how incoming gradients are carried.

    Parameters
    ----------
    dH : ndarray of shape (n_hidden, n_timesteps, batch_size)
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
        receives = dH.any(axis=0).any(axis=1)  # twice as fast as axis=(0, 2)
        active = np.flatnonzero(receives)
        self._receives = receives.tolist()  # whether dH[:, t] holds any gradient
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

    def zeros(self, size, batch_size, dtype):
        """Empty streams: an array of zeros ``(n_streams, size, batch_size)``."""
        return np.zeros((self.n_streams, size, batch_size), dtype=dtype)

    def enter(self, t, streams, dH_t=None):
        """Add the gradient arriving at step ``t`` to the streams, in place.

        Parameters
        ----------
        t : int
            The current step.
        streams : ndarray of shape (n_streams, size, batch_size)
            Gradients carried back from step ``t + 1``.
        dH_t : ndarray of shape (size, batch_size) or None
            Gradient arriving from above at step ``t``; ``None`` for a quantity that
            receives none (the LSTM's cell state), whose expired stream is cleared.

        Returns
        -------
        streams : ndarray of shape (n_streams, size, batch_size)
            The gradients at step ``t`` (the same array).
        """
        if not self._cut:  # one stream: gradients merge
            if dH_t is not None and self._receives[t]:
                streams[0] += dH_t
        elif dH_t is None:  # the stream born at t + k expires
            streams[t % self.n_streams] = 0.0
        else:  # the stream born at t replaces the one born at t + k
            streams[t % self.n_streams] = dH_t
        return streams

    def target(self, delta_t, scratch):
        """Where to compute the stream deltas of a step, ``(n_streams, size, batch)``.

        With one stream that is ``delta_t`` itself (nothing to merge afterwards),
        otherwise ``scratch``.
        """
        return delta_t[np.newaxis] if self.n_streams == 1 else scratch

    def merge(self, d, out):
        """Sum the streams ``d`` of shape ``(n_streams, size, batch)`` into ``out``."""
        if np.may_share_memory(d, out):  # d came from target(out, ...): done
            return out
        if self.n_streams == 1:
            out[...] = d[0]
        else:
            d.sum(axis=0, out=out)
        return out


def stack_operands(X, n_hidden, workspace):
    """The right operand of every step's product, ``[h_{t-1}; x_t; 1]``.

    Column ``t`` holds ``h_{t-1}`` (zero for ``t = 0``), the inputs ``x_t`` and a
    row of ones. The cell writes ``h_t`` into the hidden rows of column ``t + 1``,
    so once its loop is done ``operands[:n_hidden, 1:]`` are its hidden states.
    No product reads the input rows of the last column, which are left unset.

    Parameters
    ----------
    X : ndarray of shape (n_inputs, n_timesteps, batch_size)
    n_hidden : int
    workspace : Workspace
        Where the operands are kept (under ``"operands"``).

    Returns
    -------
    operands : ndarray of shape (n_hidden + n_inputs + 1, n_timesteps + 1, batch_size)
    """
    n_inputs, n_steps, batch = X.shape
    operands = workspace.empty(
        "operands", (n_hidden + n_inputs + 1, n_steps + 1, batch), X.dtype
    )
    operands[:n_hidden, 0] = 0.0  # h_{-1}
    operands[n_hidden:-1, :n_steps] = X
    operands[-1] = 1.0  # the bias's input
    return operands


def stack_weights(weight_hh, weight_ih, bias):
    """``[W_hh | W_ih | b]``, the left operand of every step's product.

    Parameters
    ----------
    weight_hh : ndarray of shape (size, n_hidden)
    weight_ih : ndarray of shape (size, n_inputs)
    bias : ndarray of shape (size,)

    Returns
    -------
    weights : ndarray of shape (size, n_hidden + n_inputs + 1)
    """
    return np.concatenate([weight_hh, weight_ih, bias[:, None]], axis=1)


def project_inputs(weight_ih, X, out):
    """Write ``W_ih x_t`` for every step and sequence at once into ``out``.

    For a pre-activation whose input side cannot share the step's product (the
    GRU's candidate, whose recurrent side is gated first). The result is
    step-major, so that the time loop adds one contiguous block of it per step.

    Parameters
    ----------
    weight_ih : ndarray of shape (size, n_inputs)
    X : ndarray of shape (n_inputs, n_timesteps, batch_size)
    out : ndarray of shape (n_timesteps, size, batch_size)

    Returns
    -------
    out : ndarray of shape (n_timesteps, size, batch_size)
    """
    n_inputs = X.shape[0]
    if n_inputs > FEW_INPUTS:  # one product per step, looped over in C
        return np.matmul(weight_ih, X.transpose(1, 0, 2), out=out)
    np.multiply(weight_ih[:, 0, None], X[0, :, None], out=out)
    for k in range(1, n_inputs):
        out += weight_ih[:, k, None] * X[k, :, None]
    return out


def weight_gradients(delta, operands, bounds):
    """Gradient of ``[W_hh | W_ih | b]``: every step's ``delta_t [h_{t-1}; x_t; 1]^T``.

    One product stacked over every step and sequence. Split it with
    ``[:, :n_hidden]`` (``W_hh``), ``[:, n_hidden:-1]`` (``W_ih``) and ``[:, -1]``
    (the bias).

    Parameters
    ----------
    delta : ndarray of shape (size, n_timesteps, batch_size)
        Gradient with respect to the pre-activations; only the steps in ``bounds``
        are read.
    operands : ndarray of shape (width, n_timesteps + 1, batch_size)
        The operands of the forward pass (:func:`stack_operands`), or their last
        ``width`` rows (the inputs and the ones: the gradient of ``[W_ih | b]``).
    bounds : tuple of int
        ``(lo, hi)``: the deltas are zero outside ``lo <= t < hi``.

    Returns
    -------
    d_weights : ndarray of shape (size, width)
    """
    lo, hi = bounds
    size, width = delta.shape[0], operands.shape[0]
    if hi <= lo:  # no gradient reached this cell
        return np.zeros((size, width), dtype=delta.dtype)
    d = delta[:, lo:hi].reshape(size, -1)
    return d @ operands[:, lo:hi].reshape(width, -1).T  # all steps at once


def input_gradient(delta, weight_ih, bounds, workspace):
    """Gradient with respect to the inputs, ``W_ih^T delta_t`` for every step.

    Parameters
    ----------
    delta : ndarray of shape (size, n_timesteps, batch_size)
        Gradient with respect to the input side of the pre-activations; only the
        steps in ``bounds`` are read.
    weight_ih : ndarray of shape (size, n_inputs)
    bounds : tuple of int
        ``(lo, hi)``: the deltas are zero outside ``lo <= t < hi``.
    workspace : Workspace
        Where ``dX`` is kept.

    Returns
    -------
    dX : ndarray of shape (n_inputs, n_timesteps, batch_size)
    """
    lo, hi = bounds
    size, n_steps, batch = delta.shape
    n_inputs = weight_ih.shape[1]
    dX = workspace.zeros("dX", (n_inputs, n_steps, batch), delta.dtype)
    if hi > lo:
        d = delta[:, lo:hi].reshape(size, -1)
        dX[:, lo:hi] = (weight_ih.T @ d).reshape(n_inputs, hi - lo, batch)  # into x_t
    return dX


def cell_gradients(delta, operands, weight_ih, bounds, workspace, input_grad=True):
    """Everything :meth:`backward` returns, for a cell of one stacked product.

    For cells whose pre-activations are ``[W_hh | W_ih | b] @ [h_{t-1}; x_t; 1]``
    with ``b = b_ih + b_hh`` (the Elman cell, the LSTM), from the deltas of every
    step.

    Parameters
    ----------
    delta : ndarray of shape (size, n_timesteps, batch_size)
    operands : ndarray of shape (n_hidden + n_inputs + 1, n_timesteps + 1, batch_size)
    weight_ih : ndarray of shape (size, n_inputs)
    bounds : tuple of int
        ``(lo, hi)``: the deltas are zero outside ``lo <= t < hi``.
    workspace : Workspace
        Where ``dX`` is kept.
    input_grad : bool, default=True
        Whether to compute the gradient with respect to the inputs.

    Returns
    -------
    dX : ndarray of shape (n_inputs, n_timesteps, batch_size) or None
    grads : tuple of ndarray
        Gradients of ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``.
    """
    n_hidden = operands.shape[0] - weight_ih.shape[1] - 1
    d_weights = weight_gradients(delta, operands, bounds)  # all steps at once
    d_bias = d_weights[:, -1]  # b_ih and b_hh add alike
    dX = input_gradient(delta, weight_ih, bounds, workspace) if input_grad else None
    return dX, (
        d_weights[:, n_hidden:-1].copy(),
        d_weights[:, :n_hidden].copy(),
        d_bias.copy(),
        d_bias.copy(),
    )
