"""Prediction and scoring: network outputs in chunks of bounded memory."""

import numpy as np
from joblib import Parallel, delayed
from sklearn.utils.validation import check_consistent_length, check_is_fitted

from .._backend import LOSSES, blas_plan, n_processes, one_blas_thread, split_batch
from ._data import SequenceData, network_inputs
from ._targets import encode, real_steps, split_steps
from ._validation import check_sequences, check_weights, positive_weight_sum

# Prediction runs in chunks of at most this many bytes of hidden states.
PREDICT_CHUNK_BYTES = 256 * 2**20


def network_outputs(est, X, lengths=None, flat=None):
    """Network outputs after the output activation, for validated 3-D ``X``.

    Sequences go through in chunks of at most ``PREDICT_CHUNK_BYTES`` of hidden
    states, so predicting on a large data set needs bounded memory; with
    ``n_jobs`` above one, each chunk is cut into that many parts computed on
    threads (NumPy releases the GIL in its products and ufuncs).

    Returns
    -------
    outputs : ndarray of shape (n_samples, n_outputs), or \
            (n_samples, n_timesteps, n_outputs) with ``output_sequence``
    """
    network = est._network
    if flat is None:
        flat = est._params_flat()
    X = X.astype(flat.dtype, copy=False)
    per_sequence = network.bptt_bytes(1, X.shape[1], X.itemsize)
    chunk = max(1, PREDICT_CHUNK_BYTES // per_sequence)
    n_cores = n_processes(est.n_jobs)
    n_parts = min(n_cores, max(1, len(X) // 16))

    def forward(rows):
        part_lengths = None if lengths is None else lengths[rows]
        return network.forward(flat, X[rows], part_lengths, training=False)[0]

    parts = [
        part
        for start in range(0, len(X), chunk)
        for part in split_batch(np.arange(start, min(start + chunk, len(X))), n_parts)
    ]
    small = blas_plan(n_cores, n_parts, min(chunk, len(X)), network)
    with one_blas_thread(small):
        if n_parts == 1:
            Z = [forward(rows) for rows in parts]
        else:
            # Threads whatever joblib backend is configured: inside a fit, a
            # process backend would ask for the executor whose workers the fit
            # holds (parallel_config(backend="loky") deadlocked early stopping).
            Z = Parallel(n_jobs=n_parts, backend="threading")(
                delayed(forward)(rows) for rows in parts
            )
    return LOSSES[est._loss_name].predict(np.concatenate(Z))


def predict(est, X, finish):
    """Validate ``X`` and map the network outputs through ``finish``.

    ``finish`` turns outputs of shape ``(n, n_outputs)`` into predictions. With
    ``output_sequence`` it sees the outputs of every real step, and the result
    comes back per sequence: ``(n_samples, n_timesteps, ...)``, or a list of
    per-sequence arrays when the sequences have different lengths.
    """
    check_is_fitted(est)
    X, lengths = check_sequences(est, X, reset=False, dtype=est.output_bias_.dtype)
    X, lengths = network_inputs(est, X, lengths)
    outputs = network_outputs(est, X, lengths)
    if not est.output_sequence:
        return finish(outputs)
    mask = real_steps(lengths, *X.shape[:2])
    return split_steps(finish(outputs[mask]), mask, lengths)


def score_data(est, data, flat=None):
    """Validation score of the parameters ``flat`` on validated ``data``.

    The weights are divided by the largest, which changes no score and keeps their
    sums finite.
    """
    outputs = network_outputs(est, data.X, data.lengths, flat)
    top = data.sample_weight.max()
    sample_weight = data.sample_weight / top if top > 0 else data.sample_weight
    if not est.output_sequence:
        return est._validation_score(outputs, data.y, sample_weight)
    mask = real_steps(data.lengths, *data.X.shape[:2])
    weights = np.broadcast_to(sample_weight[:, None], mask.shape)[mask]
    truth = est._decode_targets(data.y[mask])
    return est._validation_score(outputs[mask], truth, weights)


def score(est, X, y, sample_weight):
    """``score``: validate ``X``, ``y`` and ``sample_weight``, then score.

    With ``output_sequence``, every real step of every sequence counts.
    """
    check_is_fitted(est)
    X, lengths = check_sequences(est, X, reset=False, dtype=est.output_bias_.dtype)
    X, lengths = network_inputs(est, X, lengths)
    check_consistent_length(X, y)
    sample_weight = check_weights(sample_weight, X)
    positive_weight_sum(sample_weight)  # a huge total still scores: see score_data
    if est.output_sequence:
        _, y = encode(est, y, X, lengths, reset=False, dtype=X.dtype, incremental=True)
    else:
        y = est._score_targets(y, X.dtype)
    return score_data(est, SequenceData(X, lengths, None, y, sample_weight))


def blas_threads_for(est, n_rows):
    """:func:`one_blas_thread` for ``est``'s products over ``n_rows`` sequences
    computed in this thread: one BLAS thread with one core (``n_jobs=None``)."""
    small = blas_plan(n_processes(est.n_jobs), 1, n_rows, est._network)
    return one_blas_thread(small)


def hidden_states(est, X, all_steps):
    """Validate ``X`` and return the top layer's states, padding steps as NaN."""
    check_is_fitted(est)
    X, lengths = check_sequences(est, X, reset=False, dtype=est.output_bias_.dtype)
    X, lengths = network_inputs(est, X, lengths)
    network, flat = est._network, est._params_flat()
    per_sequence = network.bptt_bytes(1, X.shape[1], X.itemsize)
    chunk = max(1, PREDICT_CHUNK_BYTES // per_sequence)
    parts = []
    with blas_threads_for(est, min(chunk, len(X))):
        for start in range(0, len(X), chunk):
            rows = slice(start, start + chunk)
            part_lengths = None if lengths is None else lengths[rows]
            parts.append(
                network.hidden_states(flat, X[rows], part_lengths, all_steps=all_steps)
            )
    H = np.concatenate(parts)
    if all_steps and lengths is not None:
        H[~real_steps(lengths, *X.shape[:2])] = np.nan
    return H
