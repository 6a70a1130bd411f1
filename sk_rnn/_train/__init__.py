"""Training: optimizers, the epoch solvers, L-BFGS, stopping rules and monitoring.

It knows neither networks nor estimators. A solver drives an objective,
``objective(params, batch_indices) -> (loss, grad)``, from a flat parameter vector,
with the :class:`TrainingSettings` the estimator reads from its parameters, and
returns a new :class:`TrainingState` in a :class:`TrainingResult`, which the
estimator commits.

- ``_optimizers/``: optimizers that update a list of arrays in place;
- ``_epochs.py``: minibatch epochs (``"adam"``, ``"sgd"``, ``"rprop"``);
- ``_lbfgs.py``: full-batch L-BFGS;
- ``_monitor.py``: what happens between epochs (history, best weights, progress);
- ``_state.py``: settings, state and result.
"""

from ._epochs import clip_grad_norm, fit_epochs, minibatches, run_epoch
from ._lbfgs import ALL_SAMPLES, fit_lbfgs, run_lbfgs
from ._monitor import TrainingDiverged
from ._optimizers import AdamOptimizer, BaseOptimizer, RpropOptimizer, SGDOptimizer
from ._state import TrainingResult, TrainingSettings, TrainingState, make_optimizer

__all__ = [
    "ALL_SAMPLES",
    "AdamOptimizer",
    "BaseOptimizer",
    "RpropOptimizer",
    "SGDOptimizer",
    "TrainingDiverged",
    "TrainingResult",
    "TrainingSettings",
    "TrainingState",
    "clip_grad_norm",
    "fit_epochs",
    "fit_lbfgs",
    "make_optimizer",
    "minibatches",
    "run_epoch",
    "run_lbfgs",
]
