"""Masked BPTT: padding changes neither outputs, loss nor any gradient."""

import numpy as np
import pytest
from _gradcheck import numerical_gradient

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn._backend import LOSSES, RecurrentNetwork, loss_and_gradient
from sk_rnn._backend._cells import CELLS

LENGTHS = np.array([5, 1, 3, 5, 2])

ARCHITECTURES = [
    dict(hidden_sizes=(4,)),
    dict(hidden_sizes=(3, 2)),
    dict(hidden_sizes=(3,), bidirectional=True),
    dict(hidden_sizes=(3, 2), bidirectional=True),
]


def padded_batch(rng, n_features=2, fill=0.0):
    X = rng.normal(size=(len(LENGTHS), LENGTHS.max(), n_features))
    for i, n in enumerate(LENGTHS):
        X[i, n:] = fill
    return X


# What the head reads: one output per sequence from the last state or pooled over
# the real steps, or one output per step.
HEADS = [(False, "last"), (False, "mean"), (False, "max"), (True, "last")]


@pytest.mark.parametrize("cell", sorted(CELLS))
@pytest.mark.parametrize("architecture", ARCHITECTURES)
@pytest.mark.parametrize("output_sequence, readout", HEADS)
def test_padded_batch_equals_each_sequence_alone(
    cell, architecture, output_sequence, readout
):
    rng = np.random.RandomState(0)
    network = RecurrentNetwork(
        cell,
        2,
        n_outputs=3,
        output_sequence=output_sequence,
        readout=readout,
        **architecture,
    )
    flat = network.init_params(rng, np.float64)
    X = padded_batch(rng, fill=7.0)  # garbage in the padding must not matter
    Z, _ = network.forward(flat, X, LENGTHS)
    for i, n in enumerate(LENGTHS):
        alone, _ = network.forward(flat, X[i : i + 1, :n])
        got = Z[i, :n] if output_sequence else Z[i]
        np.testing.assert_allclose(got, alone[0], rtol=0, atol=1e-12)


@pytest.mark.parametrize("cell", sorted(CELLS))
@pytest.mark.parametrize("architecture", ARCHITECTURES)
@pytest.mark.parametrize("output_sequence, readout", HEADS)
@pytest.mark.parametrize("loss_name", ["squared_error", "log_loss"])
def test_masked_gradients_match_finite_differences(
    cell, architecture, output_sequence, readout, loss_name
):
    rng = np.random.RandomState(1)
    network = RecurrentNetwork(
        cell,
        2,
        n_outputs=3,
        output_sequence=output_sequence,
        readout=readout,
        **architecture,
    )
    flat = network.init_params(rng, np.float64)
    X = padded_batch(rng, fill=3.0)
    shape = (len(LENGTHS), LENGTHS.max(), 3) if output_sequence else (len(LENGTHS), 3)
    Y = rng.normal(size=shape)
    if loss_name == "log_loss":
        Y = np.eye(3)[rng.randint(0, 3, size=shape[:-1])]
    sample_weight = rng.uniform(0.5, 2.0, size=len(LENGTHS))
    loss = LOSSES[loss_name]

    def objective(p, X=X):
        return loss_and_gradient(
            network, loss, p, X, Y, sample_weight, alpha=0.1, lengths=LENGTHS
        )

    value, analytic = objective(flat)
    numeric = numerical_gradient(lambda p: objective(p)[0], flat)
    scale = np.abs(numeric).max()
    assert np.abs(numeric - analytic).max() / scale < 1e-6
    # Changing what sits in the padding changes neither the loss nor the gradient.
    real = np.arange(X.shape[1]) < LENGTHS[:, None]
    other_padding = np.where(real[:, :, None], X, -9.0)
    value_2, analytic_2 = objective(flat, X=other_padding)
    assert value_2 == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(analytic_2, analytic, rtol=1e-10, atol=1e-14)


def ragged_data(rng, n_samples=60, n_features=2):
    lengths = rng.randint(1, 9, size=n_samples)
    X = [rng.normal(size=(n, n_features)) for n in lengths]
    y = np.array([seq[:, 0].sum() for seq in X])
    return X, y


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("bidirectional", [False, True])
def test_estimator_on_ragged_list_equals_each_sequence_alone(bidirectional):
    rng = np.random.RandomState(0)
    X, y = ragged_data(rng)
    reg = RNNRegressor(
        hidden_layer_sizes=(6,),
        bidirectional=bidirectional,
        max_iter=20,
        random_state=0,
    ).fit(X, y)
    batch = reg.predict(X)
    alone = np.array([reg.predict(seq[None])[0] for seq in X])
    np.testing.assert_allclose(batch, alone, rtol=0, atol=1e-12)
    # The NaN-padded array (tslearn convention) is the same input as the list.
    padded = np.full((len(X), 8, 2), np.nan)
    for i, seq in enumerate(X):
        padded[i, : len(seq)] = seq
    np.testing.assert_array_equal(reg.predict(padded), batch)
    refit = RNNRegressor(
        hidden_layer_sizes=(6,),
        bidirectional=bidirectional,
        max_iter=20,
        random_state=0,
    ).fit(padded, y)
    np.testing.assert_array_equal(refit.predict(padded), batch)
    # A list's sequences may carry NaN padding of their own, as an array's rows do.
    own_padding = [
        np.vstack([seq, np.full((i % 3, 2), np.nan)]) for i, seq in enumerate(X)
    ]
    np.testing.assert_array_equal(reg.predict(own_padding), batch)
    inner = [seq.copy() for seq in X]
    inner[2][1] = np.nan
    with pytest.raises(ValueError, match="NaN inside sequence 2 at step 1"):
        reg.predict(inner)
    clf = RNNClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    proba = clf.fit(X, y > 0).predict_proba(X)
    alone = np.vstack([clf.predict_proba(seq[None]) for seq in X])
    np.testing.assert_allclose(proba, alone, rtol=0, atol=1e-12)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_ragged_sequences_are_learned():
    rng = np.random.RandomState(0)
    X, y = ragged_data(rng, n_samples=400)
    reg = RNNRegressor(
        hidden_layer_sizes=(8,),
        cell="rnn",
        activation="identity",
        readout="last",  # a sum over the steps: the last state holds it
        learning_rate_init=0.01,
        random_state=0,
    ).fit(X[:300], y[:300])
    assert reg.score(X[300:], y[300:]) > 0.99
