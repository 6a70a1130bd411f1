"""Losses, each paired with the output activation it is the natural partner of.

Every pair maps the head's pre-activations ``Z`` to predictions and returns the
*per-sample* loss together with ``dZ``, the gradient of the summed, weighted loss
with respect to ``Z``. For all three pairs that gradient is
``weight * (prediction - target)`` (divided by the number of outputs for the squared
error), which is why they come in pairs.
Normalisation by the total sample weight happens in the objective, not here.
"""

import numpy as np
from scipy.special import expit, log_softmax, softmax


class SquaredError:
    """Identity output and half the squared error, averaged over outputs (as MLP)."""

    name = "squared_error"
    out_activation = "identity"

    @staticmethod
    def predict(Z):
        """Identity output activation."""
        return Z

    @staticmethod
    def loss_and_delta(Z, Y, sample_weight):
        """Return per-sample losses ``(n,)`` and the weighted gradient ``dZ``."""
        diff = Z - Y
        n_outputs = Z.shape[-1]
        loss = 0.5 * np.einsum("...k,...k->...", diff, diff) / n_outputs
        delta = diff * (sample_weight[..., None] / n_outputs)
        return loss, delta


class BinaryLogLoss:
    """Logistic output and the binary cross-entropy, for two classes."""

    name = "binary_log_loss"
    out_activation = "logistic"

    @staticmethod
    def predict(Z):
        """Probability of the positive class, ``(n, 1)``."""
        return expit(Z)

    @staticmethod
    def loss_and_delta(Z, Y, sample_weight):
        """Return per-sample losses ``(n,)`` and the weighted gradient ``dZ``."""
        # -[y log s(z) + (1 - y) log(1 - s(z))] == log(1 + exp(z)) - y z, stably.
        loss = (np.logaddexp(0.0, Z) - Y * Z)[..., 0]
        delta = (expit(Z) - Y) * sample_weight[..., None]
        return loss, delta


class LogLoss:
    """Softmax output and the multinomial cross-entropy, for three or more classes."""

    name = "log_loss"
    out_activation = "softmax"

    @staticmethod
    def predict(Z):
        """Class probabilities, ``(n, n_classes)``."""
        return softmax(Z, axis=-1)

    @staticmethod
    def loss_and_delta(Z, Y, sample_weight):
        """Return per-sample losses ``(n,)`` and the weighted gradient ``dZ``."""
        log_proba = log_softmax(Z, axis=-1)
        loss = -np.einsum("...k,...k->...", Y, log_proba)
        delta = (np.exp(log_proba) - Y) * sample_weight[..., None]
        return loss, delta


Loss = type[SquaredError] | type[BinaryLogLoss] | type[LogLoss]
"""A loss class: its output activation (``predict``) paired with its loss."""

LOSSES = {loss.name: loss for loss in (SquaredError, BinaryLogLoss, LogLoss)}
