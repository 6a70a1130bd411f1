"""How each solver trains an estimator's working copy.

``"adam"``, ``"sgd"`` and ``"rprop"`` run epochs of an optimizer from
:mod:`sk_rnn._optim` through :func:`sk_rnn._training.run_epoch`; ``"lbfgs"`` hands
the full-batch objective to :func:`sk_rnn._training.run_lbfgs`. Both follow
scikit-learn's MLP (``_fit_stochastic`` and ``_fit_lbfgs``): the same stopping rule,
warnings and fitted attributes. The objective comes from the estimator, built by the
backend; gradients never pass through here.
"""

import warnings
from typing import NamedTuple

import numpy as np
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils.optimize import _check_optimize_result

from .._optim import AdamOptimizer, RpropOptimizer, SGDOptimizer
from .._training import run_epoch, run_lbfgs
from ._monitor import TrainingDiverged, TrainingMonitor

# Frames between these functions and the user's call: solver, _fit, fit or
# partial_fit, and scikit-learn's _fit_context wrapper.
_STACKLEVEL = 5


class SequenceData(NamedTuple):
    """Validated sequences with what training or scoring reads of them."""

    X: np.ndarray
    """(n_samples, n_timesteps, n_features), zeros after each sequence's end."""
    lengths: np.ndarray | None
    """(n_samples,) real lengths, or None when no sequence is padded."""
    Y: np.ndarray | None
    """(n_samples, n_outputs) training targets; None for validation data."""
    y: np.ndarray
    """Targets as the validation score reads them."""
    sample_weight: np.ndarray
    """(n_samples,) weights in the loss or the score."""

    def take(self, indices):
        """The samples at ``indices``."""
        return SequenceData(*(None if a is None else a[indices] for a in self))


def split_validation(data, fraction, random_state, stratify):
    """Hold out ``fraction`` of the samples for early stopping, as MLP does.

    Returns
    -------
    train, validation : SequenceData
    """
    n_samples = data.X.shape[0]
    try:
        idx_train, idx_val = train_test_split(
            np.arange(n_samples),
            random_state=random_state,
            test_size=fraction,
            stratify=data.y if stratify else None,
        )
    except ValueError as exc:  # too few samples, or of a class, to split
        how = ", stratified by class" if stratify else ""
        raise ValueError(
            f"early_stopping cannot hold out validation_fraction={fraction} of "
            f"n_samples={n_samples}{how} ({str(exc).rstrip('.')}). Pass X_val and "
            "y_val to fit, change validation_fraction or use more data."
        ) from exc
    if len(idx_val) < 2:
        raise ValueError(
            "The validation set is too small. Increase validation_fraction or the "
            "size of your dataset, or pass X_val and y_val to fit."
        )
    return data.take(idx_train), data.take(idx_val)._replace(Y=None)


def make_optimizer(est, params):
    """The optimizer of ``est.solver`` for the arrays ``params``."""
    if est.solver == "sgd":
        return SGDOptimizer(
            params,
            est.learning_rate_init,
            est.learning_rate,
            est.momentum,
            est.nesterovs_momentum,
            est.power_t,
        )
    if est.solver == "rprop":
        return RpropOptimizer(params, est.learning_rate_init)
    return AdamOptimizer(
        params, est.learning_rate_init, est.beta_1, est.beta_2, est.epsilon
    )


def batch_size(est, n_samples):
    """Minibatch size: ``batch_size`` clipped to the data; all of it for Rprop."""
    if est.solver == "rprop":  # a full-batch method
        return n_samples
    if est.batch_size == "auto":
        return min(200, n_samples)
    if est.batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` larger than sample size. It is going to be clipped.",
            stacklevel=_STACKLEVEL + 1,
        )
    return int(np.clip(est.batch_size, 1, n_samples))


def fit_epochs(est, flat, data, validation, incremental):
    """Run epochs until a stopping rule, ``max_iter``, or one epoch if incremental.

    Parameters
    ----------
    est : BaseRNN
        The working copy; its fitted weights are set from ``flat`` at the end.
    flat : ndarray of shape (n_params,)
        The weights to start from, updated in place.
    data : SequenceData
        The training data.
    validation : SequenceData or None
        A validation set given to ``fit``; with early stopping and none given, one
        is split off the training data.
    incremental : bool
        Whether this is ``partial_fit``.
    """
    if not incremental or not hasattr(est, "_optimizer"):
        est._optimizer = make_optimizer(est, [flat])
    stop_on_validation = est._stops_on_validation()
    if stop_on_validation and validation is None:
        data, validation = split_validation(
            data,
            est.validation_fraction,
            est._random_state,
            stratify=is_classifier(est) and not est.output_sequence,
        )
    n_samples = data.X.shape[0]
    size = batch_size(est, n_samples)
    objective = est._make_objective(data)
    monitor = TrainingMonitor(
        est,
        flat,
        validation,
        stop_on_validation=stop_on_validation,
        total=1 if incremental else est.max_iter,
    )
    try:
        for _ in range(est.max_iter):
            loss = run_epoch(
                objective,
                flat,
                est._optimizer,
                n_samples,
                size,
                shuffle=est.shuffle,
                random_state=est._random_state,
                clip_norm=est.clip_norm,
                sizes=data.lengths,
            )
            monitor.end_epoch(loss)
            est.t_ += n_samples
            est._optimizer.iteration_ends(est.t_)
            if est._no_improvement_count > est.n_iter_no_change:
                what = "Validation score" if stop_on_validation else "Training loss"
                msg = (
                    f"{what} did not improve more than tol={est.tol:f} for "
                    f"{est.n_iter_no_change} consecutive epochs."
                )
                if est._optimizer.trigger_stopping(msg, est.verbose):
                    break
                est._no_improvement_count = 0
            if incremental:
                break
            if est.n_iter_ == est.max_iter:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({est.max_iter}) "
                    "reached and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                    stacklevel=_STACKLEVEL,
                )
    except KeyboardInterrupt:
        warnings.warn("Training interrupted by user.", stacklevel=_STACKLEVEL)
        monitor.restore_last_finite()
    finally:
        monitor.close()
    est._set_params_flat(monitor.final_params())


def fit_lbfgs(est, flat, data, validation):
    """Minimise the full-batch objective with L-BFGS, as MLP's ``lbfgs``.

    ``loss_curve_`` (and ``validation_scores_`` if a validation set is given)
    gain one entry per L-BFGS iteration; early stopping does not apply.
    """
    monitor = TrainingMonitor(
        est, flat, validation, stop_on_validation=False, total=est.max_iter
    )
    try:
        result = run_lbfgs(
            est._make_objective(data),
            flat,
            max_iter=est.max_iter,
            max_fun=est.max_fun,
            tol=est.tol,
            callback=monitor.record,
        )
        if not (np.isfinite(result.fun) and np.isfinite(flat).all()):
            monitor.restore_last_finite()
            raise TrainingDiverged(monitor.divergence_message(result.nit))
        est.n_iter_ = _check_optimize_result("lbfgs", result, est.max_iter)
        est.loss_ = float(result.fun)
    except KeyboardInterrupt:
        warnings.warn("Training interrupted by user.", stacklevel=_STACKLEVEL)
        monitor.restore_last_finite()
    finally:
        monitor.close()
    if est.loss_curve_:
        est.best_loss_ = min(est.best_loss_, min(est.loss_curve_))
    est._set_params_flat(flat)
