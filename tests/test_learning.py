"""The foundation learns the classic small tasks (seeded, seconds each)."""

import numpy as np

from sk_rnn import RNNClassifier, RNNRegressor


def test_linear_rnn_learns_binary_sum():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 2, size=(500, 10)).astype(float)
    y = X.sum(axis=1)
    X_test = rng.randint(0, 2, size=(200, 10)).astype(float)
    reg = RNNRegressor(
        hidden_layer_sizes=(4,),
        cell="rnn",
        activation="identity",
        learning_rate_init=0.01,
        max_iter=200,
        random_state=0,
    ).fit(X, y)
    assert reg.score(X_test, X_test.sum(axis=1)) > 0.99


def test_sine_next_value_forecast():
    rng = np.random.RandomState(0)
    n_windows, length = 600, 20
    starts = rng.uniform(0, 2 * np.pi, size=n_windows)
    t = starts[:, None] + 0.3 * np.arange(length + 1)
    series = np.sin(t) + 0.05 * rng.normal(size=t.shape)
    X, y = series[:, :-1, None], series[:, -1]
    reg = RNNRegressor(
        hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=60, random_state=0
    ).fit(X[:500], y[:500])
    assert reg.score(X[500:], y[500:]) > 0.95


def test_classifier_remembers_first_element():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1500, 20, 1))
    y = (X[:, 0, 0] > 0).astype(int)
    # The budget PyTorch's nn.RNN needs here: 32 units, 30 Adam epochs (0.96-0.98);
    # the default GRU and max readout need no more.
    clf = RNNClassifier(
        hidden_layer_sizes=(32,),
        batch_size=16,
        max_iter=30,
        n_iter_no_change=30,
        random_state=0,
    ).fit(X[:1000], y[:1000])
    assert clf.score(X[1000:], y[1000:]) > 0.9
