"""Training loops: minibatch epochs with clipping, and full-batch L-BFGS.

The loops know neither networks nor estimators: they drive an ``objective`` that maps
a flat parameter vector and the indices of a batch to ``(loss, gradient)``. An epoch
hands each gradient to an optimizer that updates ``[params]`` in place; L-BFGS hands
the objective over the whole data to :func:`scipy.optimize.minimize`.
"""

import numpy as np
import scipy.optimize
from sklearn.utils import gen_batches

ALL_SAMPLES = slice(None)


def clip_grad_norm(grads, max_norm):
    """Rescale ``grads`` in place so their global L2 norm is at most ``max_norm``.

    Parameters
    ----------
    grads : list of ndarray
    max_norm : float or None
        ``None`` disables clipping.

    Returns
    -------
    norm : float
        The global norm before clipping.
    """
    norm = float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads)))
    if max_norm is not None and norm > max_norm:
        for g in grads:
            g *= max_norm / norm
    return norm


# Samples are sorted by size within windows of this many batches.
BUCKET_BATCHES = 20


def run_epoch(
    objective,
    params,
    optimizer,
    n_samples,
    batch_size,
    *,
    shuffle,
    random_state,
    clip_norm,
    sizes=None,
):
    """Make one pass over the samples in minibatches and update ``params``.

    Parameters
    ----------
    objective : callable
        ``objective(params, batch_indices) -> (loss, grad)``; ``batch_indices`` is an
        integer array, or a slice when the samples are visited in order.
    params : ndarray of shape (n_params,)
        Flat parameters, updated in place.
    optimizer : BaseOptimizer
    n_samples, batch_size : int
    shuffle : bool
        Visit the samples in a new random order. Skipped when one batch holds every
        sample, where the order cannot change the result.
    random_state : RandomState
    clip_norm : float or None
        Global gradient-norm clipping threshold.
    sizes : ndarray of shape (n_samples,) or None, default=None
        Cost of each sample; batches then group samples of similar size (see
        :func:`minibatches`).

    Returns
    -------
    loss : float
        Mean of the batch losses weighted by batch size, or the first non-finite
        batch loss: the epoch stops there, before that batch's update.
    """
    accumulated = 0.0
    for indices in minibatches(n_samples, batch_size, shuffle, random_state, sizes):
        loss, grad = objective(params, indices)
        if not np.isfinite(loss):
            return loss
        clip_grad_norm([grad], clip_norm)
        optimizer.update_params([params], [grad])
        accumulated += loss * _count(indices)
    return accumulated / n_samples


def _count(indices):
    return indices.stop - indices.start if isinstance(indices, slice) else len(indices)


def minibatches(n_samples, batch_size, shuffle, random_state, sizes=None):
    """The batches of one epoch: slices in order, or index arrays.

    With ``sizes`` (the cost of each sample, such as its sequence length), samples
    are sorted by size within windows of ``BUCKET_BATCHES`` batches, so that a batch
    holds samples of similar size and costs no more than its largest; the batches
    are then visited in random order.

    Parameters
    ----------
    n_samples, batch_size : int
    shuffle : bool
    random_state : RandomState
    sizes : ndarray of shape (n_samples,) or None, default=None

    Returns
    -------
    batches : list of slice or ndarray
    """
    if batch_size >= n_samples:  # one batch: the order cannot change the result
        return [slice(0, n_samples)]
    if not shuffle and sizes is None:
        return list(gen_batches(n_samples, batch_size))
    order = np.arange(n_samples)
    if shuffle:
        random_state.shuffle(order)
    if sizes is not None:
        window = BUCKET_BATCHES * batch_size
        for start in range(0, n_samples, window):
            part = order[start : start + window]
            part[...] = part[np.argsort(sizes[part], kind="stable")]
    batches = [order[batch] for batch in gen_batches(n_samples, batch_size)]
    if shuffle and sizes is not None:
        random_state.shuffle(batches)
    return batches


def run_lbfgs(objective, params, *, max_iter, max_fun, tol, callback=None):
    """Minimise the full-batch objective with L-BFGS-B and update ``params``.

    Parameters
    ----------
    objective : callable
        ``objective(params, batch_indices) -> (loss, grad)``, called with every sample.
    params : ndarray of shape (n_params,)
        Starting point, overwritten by the solution (in its own dtype; L-BFGS itself
        runs in float64).
    max_iter : int
        Maximum number of L-BFGS iterations.
    max_fun : int
        Maximum number of objective evaluations.
    tol : float
        Stop when the largest gradient entry falls below it (``gtol``).
    callback : callable, default=None
        ``callback(x, loss)`` after every iteration with its accepted point.

    Returns
    -------
    result : scipy.optimize.OptimizeResult
    """
    dtype = params.dtype
    last = {}  # the last evaluation; L-BFGS-B accepts the last point it tried

    def fun(x):
        loss, grad = objective(x.astype(dtype, copy=False), ALL_SAMPLES)
        last.update(x=x.copy(), loss=loss)
        return loss, grad.astype(np.float64, copy=False)

    def on_iteration(x):
        if not np.array_equal(x, last["x"]):
            fun(x)
        callback(x, float(last["loss"]))

    result = scipy.optimize.minimize(
        fun,
        params.astype(np.float64),
        method="L-BFGS-B",
        jac=True,
        options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
        callback=None if callback is None else on_iteration,
    )
    params[...] = result.x
    return result
