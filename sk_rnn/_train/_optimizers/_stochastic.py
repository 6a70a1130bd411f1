"""Stochastic optimizers that update a list of arrays in place.

They know nothing of networks: ``update_params(params, grads)`` takes two lists of
arrays of matching shapes. The learning-rate schedules and stopping behaviour follow
``sklearn.neural_network._stochastic_optimizers`` exactly.
"""

import numpy as np


class BaseOptimizer:
    """Base class: holds the learning rate and applies updates in place.

    Parameters
    ----------
    learning_rate_init : float, default=0.1
        The initial learning rate.
    """

    def __init__(self, learning_rate_init=0.1):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = float(learning_rate_init)

    def update_params(self, params, grads):
        """Update every array of ``params`` in place with its gradient."""
        for param, update in zip(params, self._get_updates(grads)):
            param += update

    def iteration_ends(self, time_step):
        """Hook called at the end of each epoch with the samples seen so far."""

    def trigger_stopping(self, msg, verbose):
        """Decide whether training should stop when it no longer improves."""
        if verbose:
            print(msg + " Stopping.")
        return True


class SGDOptimizer(BaseOptimizer):
    """Stochastic gradient descent with momentum and learning-rate schedules.

    Parameters
    ----------
    params : list of ndarray
        The parameters, used only for the shapes of the velocities.
    learning_rate_init : float, default=0.1
    lr_schedule : {"constant", "adaptive", "invscaling"}, default="constant"
        ``invscaling``: ``lr = learning_rate_init / (t + 1) ** power_t`` at each epoch
        end; ``adaptive``: divide by 5 each time training stops improving, and stop
        once it falls below ``1e-6``.
    momentum : float, default=0.9
    nesterov : bool, default=False
    power_t : float, default=0.5
    """

    def __init__(
        self,
        params,
        learning_rate_init=0.1,
        lr_schedule="constant",
        momentum=0.9,
        nesterov=False,
        power_t=0.5,
    ):
        super().__init__(learning_rate_init)
        self.lr_schedule = lr_schedule
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        self.velocities = [np.zeros_like(param) for param in params]

    def iteration_ends(self, time_step):
        """Apply the ``invscaling`` schedule."""
        if self.lr_schedule == "invscaling":
            self.learning_rate = (
                float(self.learning_rate_init) / (time_step + 1) ** self.power_t
            )

    def trigger_stopping(self, msg, verbose):
        """Stop, or with ``adaptive`` first divide the learning rate by five."""
        if self.lr_schedule != "adaptive":
            return super().trigger_stopping(msg, verbose)
        if self.learning_rate <= 1e-6:
            return super().trigger_stopping(msg, verbose)
        self.learning_rate /= 5.0
        if verbose:
            print(f"{msg} Setting learning rate to {self.learning_rate:f}")
        return False

    def _get_updates(self, grads):
        updates = [
            self.momentum * velocity - self.learning_rate * grad
            for velocity, grad in zip(self.velocities, grads)
        ]
        self.velocities = updates
        if self.nesterov:
            updates = [
                self.momentum * velocity - self.learning_rate * grad
                for velocity, grad in zip(self.velocities, grads)
            ]
        return updates


class AdamOptimizer(BaseOptimizer):
    """Adam (Kingma & Ba, 2014), with the bias correction folded into the step.

    Parameters
    ----------
    params : list of ndarray
        The parameters, used only for the shapes of the moment estimates.
    learning_rate_init : float, default=0.001
    beta_1, beta_2 : float, default=0.9, 0.999
    epsilon : float, default=1e-8
    """

    def __init__(
        self, params, learning_rate_init=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8
    ):
        super().__init__(learning_rate_init)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        self.ms = [np.zeros_like(param) for param in params]
        self.vs = [np.zeros_like(param) for param in params]

    def _get_updates(self, grads):
        self.t += 1
        for m, v, grad in zip(self.ms, self.vs, grads):
            m *= self.beta_1
            m += (1 - self.beta_1) * grad
            v *= self.beta_2
            v += (1 - self.beta_2) * (grad * grad)
        self.learning_rate = (
            self.learning_rate_init
            * np.sqrt(1 - self.beta_2**self.t)
            / (1 - self.beta_1**self.t)
        )
        return [
            -self.learning_rate * m / (np.sqrt(v) + self.epsilon)
            for m, v in zip(self.ms, self.vs)
        ]
