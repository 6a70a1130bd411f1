"""Extreme but legal inputs behave sensibly; where nothing sensible exists, say so."""

import numpy as np
import pytest

from sk_rnn import RNNClassifier, RNNRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.mark.parametrize("scale", [1e-12, 1e-6, 1e6, 1e12])
@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_huge_and_tiny_magnitudes_give_finite_models(Estimator, scale):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 6, 2))
    y = (X[:, 0, 0] > 0).astype(int)
    est = Estimator(hidden_layer_sizes=(5,), max_iter=20, random_state=0)
    est.fit(X * scale, y)
    for weights in [est.output_weight_, *est.recurrent_weights_.values()]:
        assert np.all(np.isfinite(weights))
    assert np.all(np.isfinite(est.predict(X * scale).astype(float)))


def test_constant_sequences_predict_the_mean():
    X = np.ones((50, 8, 1))
    y = np.linspace(0, 1, 50)
    reg = RNNRegressor(
        hidden_layer_sizes=(4,),
        learning_rate_init=0.01,
        max_iter=1000,
        n_iter_no_change=100,
        random_state=0,
    ).fit(X, y)
    np.testing.assert_allclose(reg.predict(X[:3]), y.mean(), atol=1e-2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [1e-30, 1e-7, 1.0, 1e20])
def test_targets_of_any_size_are_standardised(dtype, size):
    # The targets' spread is judged against their own size, not against 1.
    X = np.random.RandomState(0).normal(size=(200, 6, 1)).astype(dtype)
    y = size * X[:, 0, 0]
    reg = RNNRegressor(
        hidden_layer_sizes=(8,), learning_rate_init=0.01, max_iter=30, random_state=0
    ).fit(X, y)
    np.testing.assert_allclose(reg.target_scale_, y.astype(float).std(), rtol=1e-4)
    assert reg.score(X, y) > 0.95
    constant = RNNRegressor(max_iter=1).fit(X, np.full(200, size, dtype=dtype))
    assert constant.target_scale_ == 1.0
    np.testing.assert_allclose(constant.target_mean_, size, rtol=1e-6)


def test_constant_labels_are_an_error():
    with pytest.raises(ValueError, match="only one class: 'spam'"):
        RNNClassifier().fit(np.zeros((5, 3)), ["spam"] * 5)


def test_sequences_of_length_one_are_a_feed_forward_net():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 1, 2))
    y = (X[:, 0, 0] * X[:, 0, 1] > 0).astype(int)  # XOR of signs
    clf = RNNClassifier(
        hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=300, random_state=0
    ).fit(X, y)
    assert clf.score(X, y) > 0.9


def test_sequences_of_ten_thousand_steps():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(6, 10_000, 1))
    reg = RNNRegressor(
        hidden_layer_sizes=(4,), max_iter=2, patch_size=1, random_state=0
    )
    reg.fit(X, X[:, -1, 0])  # the target is the last input: no long memory needed
    prediction = reg.predict(X)
    assert prediction.shape == (6,) and np.all(np.isfinite(prediction))
    assert len(reg.loss_curve_) == 2 and np.all(np.isfinite(reg.loss_curve_))


def test_a_batch_too_large_for_memory_is_refused_before_any_math():
    X = np.zeros((4, 200_000, 1), dtype=np.float32)  # 3 MB of input
    reg = RNNRegressor(
        hidden_layer_sizes=(4096,), cell="lstm", batch_size=4, patch_size=1
    )
    with pytest.raises(ValueError, match=r"would hold .* GiB .* Use a smaller batch"):
        reg.fit(X, np.zeros(4))
    assert not hasattr(reg, "output_weight_")


def test_prediction_runs_in_bounded_chunks(monkeypatch):
    from sk_rnn._estimators import _inference

    rng = np.random.RandomState(0)
    X = rng.normal(size=(50, 7, 2))
    reg = RNNRegressor(hidden_layer_sizes=(5,), max_iter=3, random_state=0)
    whole = reg.fit(X, X.sum(axis=(1, 2))).predict(X)
    per_sequence = reg._network.bptt_bytes(1, 7, 8)
    monkeypatch.setattr(_inference, "PREDICT_CHUNK_BYTES", 3 * per_sequence)
    # 17 chunks, same answer: up to the last bit BLAS may round differently when a
    # product has fewer columns
    np.testing.assert_allclose(reg.predict(X), whole, rtol=1e-12, atol=1e-14)
