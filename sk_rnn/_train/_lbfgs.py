"""The full-batch L-BFGS solver, as scikit-learn's MLP runs it (``_fit_lbfgs``).

It hands the objective over the whole data to :func:`scipy.optimize.minimize`;
``loss_curve`` (and the validation scores, with a scorer) gain one entry per
iteration; early stopping does not apply.
"""

import numpy as np
import scipy.optimize

from ._monitor import TrainingMonitor
from ._state import TrainingResult

ALL_SAMPLES = slice(None)


def fit_lbfgs(objective, params, state, settings, *, scorer=None):
    """Minimise the full-batch objective with L-BFGS from ``params``.

    Parameters
    ----------
    objective : callable
        ``objective(params, batch_indices) -> (loss, grad)``.
    params : ndarray of shape (n_params,)
        The starting point, updated in place.
    state : TrainingState
        The state to continue from; it is not modified.
    settings : TrainingSettings
    scorer : callable or None, default=None
        ``scorer(params) -> float``, recorded after every iteration.

    Returns
    -------
    result : TrainingResult
        After an interruption (KeyboardInterrupt), the weights and state of the last
        completed iteration.

    Raises
    ------
    TrainingDiverged
        If the loss or the weights became non-finite.
    KeyboardInterrupt
        If interrupted before any iteration was completed.
    """
    state = state.copy()
    monitor = TrainingMonitor(state, params, settings, scorer, total=settings.max_iter)
    completed = []  # the last completed iteration, for an interruption

    def on_iteration(x, loss):
        monitor.record(x, loss)
        completed[:] = [TrainingResult(x.astype(params.dtype), state.copy(), False)]

    try:
        result = run_lbfgs(
            objective,
            params,
            max_iter=settings.max_iter,
            max_fun=settings.max_fun,
            tol=settings.tol,
            callback=on_iteration,
        )
        if not (np.isfinite(result.fun) and np.isfinite(params).all()):
            raise monitor.diverged(result.nit)
    except KeyboardInterrupt:
        if not completed:
            raise
        completed[0].interrupted = True
        return completed[0]
    finally:
        monitor.close()
    state.n_iter = min(result.nit, settings.max_iter)
    state.loss = float(result.fun)
    if state.loss_curve:
        state.best_loss = min(state.best_loss, min(state.loss_curve))
    if result.status == 0:
        return TrainingResult(params, state)
    message = (  # scikit-learn's, from _check_optimize_result
        f"lbfgs failed to converge after {state.n_iter} iteration(s) "
        f"(status={result.status}):\n{result.message}.\n\nIncrease the number "
        f"of iterations to improve the convergence (max_iter={settings.max_iter})."
        "\nYou might also want to scale the data as shown in:\n"
        "    https://scikit-learn.org/stable/modules/preprocessing.html"
    )
    return TrainingResult(params, state, converged=False, message=message)


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
