"""The epoch solvers, ``"adam"``, ``"sgd"`` and ``"rprop"``: minibatch epochs.

The loop knows neither networks nor estimators: it drives an ``objective`` that maps
a flat parameter vector and the indices of a batch to ``(loss, gradient)``, and hands
each gradient to an optimizer that updates ``[params]`` in place. Its stopping rule,
warnings and history follow scikit-learn's MLP (``_fit_stochastic``).
"""

import numpy as np
from sklearn.utils import gen_batches

from ._monitor import TrainingMonitor
from ._state import TrainingResult, make_optimizer


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


def fit_epochs(
    objective,
    params,
    state,
    settings,
    random_state,
    *,
    n_samples,
    sizes=None,
    scorer=None,
    incremental=False,
):
    """Run epochs until a stopping rule, ``max_iter``, or one epoch if incremental.

    Parameters
    ----------
    objective : callable
        ``objective(params, batch_indices) -> (loss, grad)``.
    params : ndarray of shape (n_params,)
        The weights to start from, updated in place.
    state : TrainingState
        The state to continue from; it is not modified.
    settings : TrainingSettings
    random_state : RandomState
        Shuffles the samples.
    n_samples : int
    sizes : ndarray of shape (n_samples,) or None, default=None
        Cost of each sample, to batch samples of similar size (:func:`minibatches`).
    scorer : callable or None, default=None
        ``scorer(params) -> float``, a validation score after every epoch; with
        ``settings.stop_on_validation`` the stopping rule follows it and the best
        weights are kept.
    incremental : bool, default=False
        One epoch (``partial_fit``), continuing the state's optimizer.

    Returns
    -------
    result : TrainingResult
        After an interruption (KeyboardInterrupt), the weights and state of the last
        completed epoch.

    Raises
    ------
    TrainingDiverged
        If the loss or the weights became non-finite.
    KeyboardInterrupt
        If interrupted before any epoch was completed.
    """
    state = state.copy()
    if not incremental or state.optimizer is None:
        state.optimizer = make_optimizer(settings, [params])
    monitor = TrainingMonitor(
        state, params, settings, scorer, total=1 if incremental else settings.max_iter
    )
    completed, converged = None, False
    try:
        for _ in range(settings.max_iter):
            loss = run_epoch(
                objective,
                params,
                state.optimizer,
                n_samples,
                settings.batch_size,
                shuffle=settings.shuffle,
                random_state=random_state,
                clip_norm=settings.clip_norm,
                sizes=sizes,
            )
            monitor.end_epoch(loss)
            state.t += n_samples
            state.optimizer.iteration_ends(state.t)
            if state.no_improvement_count > settings.n_iter_no_change:
                what = (
                    "Validation score"
                    if settings.stop_on_validation
                    else "Training loss"
                )
                msg = (
                    f"{what} did not improve more than tol={settings.tol:f} for "
                    f"{settings.n_iter_no_change} consecutive epochs."
                )
                converged = state.optimizer.trigger_stopping(msg, settings.verbose)
                if not converged:
                    state.no_improvement_count = 0
            # What an interruption from here on keeps: this epoch, as it ended.
            completed = TrainingResult(monitor.final_params().copy(), state.copy())
            if converged or incremental:
                break
    except KeyboardInterrupt:
        if completed is None:
            raise
        completed.interrupted = True
        return completed
    finally:
        monitor.close()
    if converged or incremental:
        return TrainingResult(monitor.final_params(), state)
    message = (  # scikit-learn's
        f"Stochastic Optimizer: Maximum iterations ({settings.max_iter}) reached "
        "and the optimization hasn't converged yet."
    )
    return TrainingResult(monitor.final_params(), state, False, message=message)
