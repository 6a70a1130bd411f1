"""The training objective: weighted mean loss plus L2, and its gradient.

``loss = sum_i w_i loss_i / sum_i w_i + alpha / 2 * ||weights||^2 / sum_i w_i``, the
definition of scikit-learn's MLP, so that weighting a sample by an integer ``k`` is
exactly the same as repeating it ``k`` times. With one output per timestep, ``loss_i``
sums over the real (unpadded) timesteps of sequence ``i``.

The weighted sum splits over any partition of the batch, so a batch may be cut into
shards computed in parallel (``_parallel``) and their sums added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ._parallel import shard_workers, split_batch
from ._workspace import Workspace

if TYPE_CHECKING:
    from ._losses import Loss
    from ._network import RecurrentNetwork


def step_mask(lengths: np.ndarray, n_timesteps: int) -> np.ndarray:
    """Boolean ``(n_samples, n_timesteps)`` mask of the real, unpadded steps."""
    return np.arange(n_timesteps) < np.asarray(lengths)[:, None]


def weighted_loss_sum(
    network: RecurrentNetwork,
    loss: Loss,
    flat: np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    sample_weight: np.ndarray,
    truncate: int | None = None,
    lengths: np.ndarray | None = None,
    workspace: Workspace | None = None,
) -> tuple[float, np.ndarray]:
    """Return ``sum_i w_i loss_i`` and its gradient with respect to ``flat``.

    Parameters are those of :func:`loss_and_gradient`, without ``alpha``, and
    ``workspace``, the :class:`Workspace` of the pass (or ``None``).
    """
    Z, cache = network.forward(flat, X, lengths, workspace=workspace)
    weights = sample_weight
    if network.output_sequence:  # every real step counts, padded steps do not
        weights = sample_weight[:, None] * np.ones(Z.shape[:2], dtype=Z.dtype)
        if lengths is not None:
            weights *= step_mask(lengths, Z.shape[1])
    per_output, dZ = loss.loss_and_delta(Z, Y, weights)
    value = float(np.vdot(per_output, weights))
    grad = network.backward(
        flat, dZ, cache, lengths=lengths, truncate=truncate, workspace=workspace
    )
    return value, grad


def add_penalty(
    network: RecurrentNetwork,
    flat: np.ndarray,
    value: float,
    grad: np.ndarray,
    alpha: float,
    weight_sum: float,
) -> tuple[float, np.ndarray]:
    """Normalise the weighted sums by ``weight_sum`` and add the L2 penalty."""
    value /= weight_sum
    grad /= weight_sum
    if alpha:
        params, grads = network.unpack(flat), network.unpack(grad)
        for name in network.weight_names():
            squared_norm = float(np.vdot(params[name], params[name]))
            value += 0.5 * alpha * squared_norm / weight_sum
            grads[name] += (alpha / weight_sum) * params[name]
    return value, grad


def loss_and_gradient(
    network: RecurrentNetwork,
    loss: Loss,
    flat: np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    sample_weight: np.ndarray,
    alpha: float,
    truncate: int | None = None,
    lengths: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """Return the objective and its gradient with respect to ``flat``.

    Parameters
    ----------
    network : RecurrentNetwork
    loss : loss class from ``_losses.LOSSES``
    flat : ndarray of shape (n_params,)
    X : ndarray of shape (batch_size, n_timesteps, n_features)
        Sequences, zero-padded at the end when ``lengths`` is given.
    Y : ndarray of shape (batch_size, n_outputs), or \
            (batch_size, n_timesteps, n_outputs) for one output per timestep
        Targets, or the label-indicator matrix for classification.
    sample_weight : ndarray of shape (batch_size,)
    alpha : float
        L2 penalty on the weight matrices (not the biases).
    truncate : int or None, default=None
        Truncated BPTT: the gradient entering at each output flows back at most this
        many timesteps through each recurrent layer (see
        :meth:`RecurrentNetwork.backward`). ``None`` is full BPTT.
    lengths : ndarray of shape (batch_size,) or None, default=None
        Real length of each sequence; ``None`` when none is padded.

    Returns
    -------
    value : float
    grad : ndarray of shape (n_params,)
    """
    weight_sum = sample_weight.sum()
    if weight_sum <= 0:  # a batch of zero-weight samples carries no information
        return 0.0, np.zeros_like(flat)
    value, grad = weighted_loss_sum(
        network, loss, flat, X, Y, sample_weight, truncate, lengths
    )
    return add_penalty(network, flat, value, grad, alpha, weight_sum)


class ShardData(NamedTuple):
    """What every shard of a training set shares; the first argument of
    :func:`shard_loss_sum`, sent once to each worker process of a fit."""

    network: RecurrentNetwork
    loss: Loss
    X: np.ndarray
    Y: np.ndarray
    sample_weight: np.ndarray
    truncate: int | None
    lengths: np.ndarray | None


def shard_loss_sum(
    data: ShardData,
    flat: np.ndarray,
    indices: np.ndarray | slice,
    workspace: Workspace | None = None,
) -> tuple[float, np.ndarray]:
    """:func:`weighted_loss_sum` of the rows ``indices`` of ``data``, cut to their
    longest sequence, so that shards of short sequences cost only their length."""
    lengths = None if data.lengths is None else data.lengths[indices]
    n_steps = data.X.shape[1] if lengths is None else int(lengths.max())
    if lengths is not None and np.all(lengths == n_steps):
        lengths = None  # nothing padded left in this shard
    Y = data.Y[indices]
    if data.network.output_sequence:
        Y = Y[:, :n_steps]
    X = data.X[indices, :n_steps]
    weights = data.sample_weight[indices]
    return weighted_loss_sum(
        data.network, data.loss, flat, X, Y, weights, data.truncate, lengths, workspace
    )


def make_objective(
    network: RecurrentNetwork,
    loss: Loss,
    X: np.ndarray,
    Y: np.ndarray,
    sample_weight: np.ndarray,
    alpha: float,
    truncate: int | None = None,
    lengths: np.ndarray | None = None,
) -> Callable[[np.ndarray, np.ndarray | slice], tuple[float, np.ndarray]]:
    """Bind the data to the objective: ``objective(flat, indices)``, in this process.

    Its :class:`Workspace` is kept from batch to batch.
    """
    data = ShardData(network, loss, X, Y, sample_weight, truncate, lengths)
    return _bind(data, alpha)


@contextmanager
def sharded_objective(
    data: ShardData, alpha: float, n_shards: int
) -> Iterator[Callable[[np.ndarray, np.ndarray | slice], tuple[float, np.ndarray]]]:
    """:func:`make_objective` of ``data`` whose batches are cut into up to
    ``n_shards`` shards.

    Inside the block, ``n_shards - 1`` worker processes hold the data
    (:func:`~sk_rnn._backend._parallel.shard_workers`); the first shard of each
    batch is computed here while they compute the others.
    """
    with shard_workers(n_shards - 1, shard_loss_sum, data) as workers:
        yield _bind(data, alpha, workers)


def _bind(data, alpha, workers=None):
    """The objective of ``data``, its batches cut across ``workers`` and here."""
    network, sample_weight = data.network, data.sample_weight
    workspace = Workspace()
    n_shards = 1 + (len(workers) if workers is not None else 0)

    def objective(flat, indices):
        weight_sum = sample_weight[indices].sum()
        if weight_sum <= 0:  # a batch of zero-weight samples carries no information
            return 0.0, np.zeros_like(flat)
        if n_shards == 1:
            value, grad = shard_loss_sum(data, flat, indices, workspace)
            return add_penalty(network, flat, value, grad, alpha, weight_sum)
        shards = split_batch(np.arange(len(sample_weight))[indices], n_shards)
        # A shard of zero weights adds nothing; at least one shard has weight.
        shards = [shard for shard in shards if sample_weight[shard].sum() > 0]
        workers.start([(flat, shard) for shard in shards[1:]])
        value, grad = shard_loss_sum(data, flat, shards[0], workspace)
        for shard_value, shard_grad in workers.results():  # in order: reproducible
            value += shard_value
            grad += shard_grad
        return add_penalty(network, flat, value, grad, alpha, weight_sum)

    return objective
