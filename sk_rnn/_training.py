"""One epoch of minibatch training: batches, gradient clipping, optimizer steps.

The loop knows neither networks nor estimators: it drives an ``objective`` that maps
a flat parameter vector and the indices of a batch to ``(loss, gradient)``, and hands
each gradient to an optimizer that updates ``[params]`` in place.
"""

import numpy as np
from sklearn.utils import gen_batches


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
):
    """Make one pass over the samples in minibatches and update ``params``.

    Parameters
    ----------
    objective : callable
        ``objective(params, batch_indices) -> (loss, grad)``.
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

    Returns
    -------
    loss : float
        Mean of the batch losses weighted by batch size.
    """
    order = np.arange(n_samples)
    if shuffle and batch_size < n_samples:
        random_state.shuffle(order)
    accumulated = 0.0
    for batch in gen_batches(n_samples, batch_size):
        indices = order[batch]
        loss, grad = objective(params, indices)
        clip_grad_norm([grad], clip_norm)
        optimizer.update_params([params], [grad])
        accumulated += loss * len(indices)
    return accumulated / n_samples
