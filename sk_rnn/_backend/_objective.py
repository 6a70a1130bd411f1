"""The training objective: weighted mean loss plus L2, and its gradient.

``loss = sum_i w_i loss_i / sum_i w_i + alpha / 2 * ||weights||^2 / sum_i w_i``, the
definition of scikit-learn's MLP, so that weighting a sample by an integer ``k`` is
exactly the same as repeating it ``k`` times.
"""

import numpy as np


def loss_and_gradient(network, loss, flat, X, Y, sample_weight, alpha, truncate=None):
    """Return the objective and its gradient with respect to ``flat``.

    Parameters
    ----------
    network : RecurrentNetwork
    loss : loss class from ``_losses.LOSSES``
    flat : ndarray of shape (n_params,)
    X : ndarray of shape (batch_size, n_timesteps, n_features)
    Y : ndarray of shape (batch_size, n_outputs)
        Targets, or the label-indicator matrix for classification.
    sample_weight : ndarray of shape (batch_size,)
    alpha : float
        L2 penalty on the weight matrices (not the biases).
    truncate : int or None, default=None
        Truncated BPTT: the gradient entering at each output flows back at most this
        many timesteps through each recurrent layer (see
        :meth:`RecurrentNetwork.backward`). ``None`` is full BPTT.

    Returns
    -------
    value : float
    grad : ndarray of shape (n_params,)
    """
    Z, cache = network.forward(flat, X)
    per_sample, dZ = loss.loss_and_delta(Z, Y, sample_weight)
    weight_sum = sample_weight.sum()
    if weight_sum <= 0:  # a batch of zero-weight samples carries no information
        return 0.0, np.zeros_like(flat)
    dZ /= weight_sum
    value = float(per_sample @ sample_weight) / weight_sum
    grad = network.backward(flat, dZ, cache, truncate=truncate)
    if alpha:
        params, grads = network.unpack(flat), network.unpack(grad)
        for name in network.weight_names():
            value += (
                0.5 * alpha * float(np.vdot(params[name], params[name])) / weight_sum
            )
            grads[name] += (alpha / weight_sum) * params[name]
    return value, grad


def make_objective(network, loss, X, Y, sample_weight, alpha, truncate=None):
    """Bind the data to :func:`loss_and_gradient`: ``objective(flat, indices)``."""

    def objective(flat, indices):
        return loss_and_gradient(
            network,
            loss,
            flat,
            X[indices],
            Y[indices],
            sample_weight[indices],
            alpha,
            truncate,
        )

    return objective
