"""What training reads and what it returns: settings, state and result.

The training functions take a :class:`TrainingState` and return a new one in a
:class:`TrainingResult`; they never touch an estimator. The estimator builds the
:class:`TrainingSettings` from its parameters and commits the result's state as its
fitted attributes (``n_iter_``, ``loss_curve_``, ...).
"""

import copy
from dataclasses import dataclass, field, replace

import numpy as np

from ._optimizers import AdamOptimizer, BaseOptimizer, RpropOptimizer, SGDOptimizer


@dataclass(frozen=True)
class TrainingSettings:
    """The estimator's parameters that training reads (MLP's names and meanings).

    No defaults: the estimator passes each one, so that its own defaults are the
    only ones.
    """

    solver: str
    max_iter: int
    tol: float
    n_iter_no_change: int | float
    batch_size: int
    shuffle: bool
    clip_norm: float | None
    verbose: bool | int
    stop_on_validation: bool
    max_fun: int
    learning_rate_init: float
    learning_rate: str
    momentum: float
    nesterovs_momentum: bool
    power_t: float
    beta_1: float
    beta_2: float
    epsilon: float


@dataclass
class TrainingState:
    """Training history and optimizer state, carried from call to call.

    ``best_loss`` is ``None`` when stopping follows a validation score;
    ``validation_scores`` and ``best_validation_score`` are ``None`` without a
    validation set.
    """

    n_iter: int = 0
    t: int = 0
    loss: float | None = None
    loss_curve: list = field(default_factory=list)
    epoch_times: list = field(default_factory=list)
    best_loss: float | None = np.inf
    validation_scores: list | None = None
    best_validation_score: float | None = None
    no_improvement_count: int = 0
    optimizer: BaseOptimizer | None = None

    @classmethod
    def fresh(cls, stop_on_validation):
        """The state of a network that has not been trained."""
        if stop_on_validation:
            return cls(
                best_loss=None, validation_scores=[], best_validation_score=-np.inf
            )
        return cls()

    def copy(self):
        """A copy that training can change and leave this state as it is.

        The histories are lists of floats (or ``None``), so copies of the lists
        suffice; only the optimizer, whose arrays are updated in place, is copied
        deeply. (Training takes a copy after every epoch: a deep copy of the whole
        history made that bookkeeping many times slower on long fits.)
        """
        return replace(
            self,
            loss_curve=_copied(self.loss_curve),
            epoch_times=_copied(self.epoch_times),
            validation_scores=_copied(self.validation_scores),
            optimizer=copy.deepcopy(self.optimizer),
        )


def _copied(history):
    return None if history is None else list(history)


@dataclass
class TrainingResult:
    """What a training call returns.

    Attributes
    ----------
    params : ndarray of shape (n_params,)
        The weights to keep: the best on validation with early stopping, else the
        last epoch's.
    state : TrainingState
        The state after the last completed epoch.
    converged : bool
        Whether a stopping rule (not ``max_iter``) ended training.
    interrupted : bool
        Whether a KeyboardInterrupt ended training; ``params`` and ``state`` are
        then those of the last completed epoch.
    message : str
        Why training did not converge, for a ConvergenceWarning.
    """

    params: np.ndarray
    state: TrainingState
    converged: bool = True
    interrupted: bool = False
    message: str = ""


def make_optimizer(settings, params):
    """The optimizer of ``settings.solver`` for the list of arrays ``params``."""
    if settings.solver == "sgd":
        return SGDOptimizer(
            params,
            settings.learning_rate_init,
            settings.learning_rate,
            settings.momentum,
            settings.nesterovs_momentum,
            settings.power_t,
        )
    if settings.solver == "rprop":
        return RpropOptimizer(params, settings.learning_rate_init)
    return AdamOptimizer(
        params,
        settings.learning_rate_init,
        settings.beta_1,
        settings.beta_2,
        settings.epsilon,
    )
