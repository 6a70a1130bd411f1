"""One output per timestep: next-step forecasting and sequence tagging."""

import numpy as np
import pytest

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn.datasets import make_ramps

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_next_step_of_unseen_ramps():
    # [[1], [2], [3], [4]] -> [[2], [3], [4], [5]], for ramps of any start and slope.
    X, y = make_ramps(400, 8, random_state=0)
    reg = RNNRegressor(
        hidden_layer_sizes=(16,),
        output_sequence=True,
        learning_rate_init=0.01,
        max_iter=1000,
        n_iter_no_change=50,
        random_state=0,
    ).fit(X, y)
    X_new, y_new = make_ramps(50, 8, random_state=1)
    prediction = reg.predict(X_new)
    assert prediction.shape == (50, 8)
    # From the second step on the slope is known: the next value is within 0.1.
    assert np.abs(prediction[:, 1:] - y_new[:, 1:]).max() < 0.1
    assert reg.score(X_new, y_new) > 0.95


def test_tagging_depends_on_earlier_steps():
    rng = np.random.RandomState(0)
    bits = rng.randint(0, 2, size=(500, 12))
    labels = np.where(np.cumsum(bits, axis=1) % 2, "odd", "even")  # parity so far
    clf = RNNClassifier(
        hidden_layer_sizes=(16,),
        output_sequence=True,
        learning_rate_init=0.01,
        max_iter=200,
        random_state=0,
    ).fit(bits[:400], labels[:400])
    assert clf.score(bits[400:], labels[400:]) > 0.95
    assert clf.predict(bits[:3]).shape == (3, 12)
    proba = clf.predict_proba(bits[:3])
    assert proba.shape == (3, 12, 2)
    np.testing.assert_allclose(proba.sum(axis=-1), 1.0)
    np.testing.assert_array_equal(clf.classes_, ["even", "odd"])


def test_variable_lengths_ignore_padded_targets():
    X, y = make_ramps(200, 8, random_state=0)
    lengths = np.random.RandomState(0).randint(2, 9, size=200)
    X_list = [x[:n] for x, n in zip(X, lengths)]
    y_list = [t[:n] for t, n in zip(y, lengths)]
    # The same data as NaN-padded arrays, with garbage targets in the padding.
    X_pad, y_pad = X.copy(), y.copy()
    for i, n in enumerate(lengths):
        X_pad[i, n:], y_pad[i, n:] = np.nan, 1e6
    params = dict(
        hidden_layer_sizes=(8,), output_sequence=True, max_iter=20, random_state=0
    )
    from_list = RNNRegressor(**params).fit(X_list, y_list)
    from_pad = RNNRegressor(**params).fit(X_pad, y_pad)
    np.testing.assert_allclose(from_list.loss_curve_, from_pad.loss_curve_)
    predictions = from_list.predict(X_list)
    assert [len(p) for p in predictions] == list(lengths)
    for seq, prediction in zip(X_list[:5], predictions[:5]):
        np.testing.assert_allclose(from_list.predict(seq[None])[0], prediction)
    assert from_list.score(X_list, y_list) == pytest.approx(
        from_pad.score(X_pad, y_pad)
    )


def test_per_timestep_targets_must_match_the_steps():
    X, y = make_ramps(20, 5, random_state=0)
    reg = RNNRegressor(output_sequence=True, max_iter=2)
    with pytest.raises(
        ValueError, match=r"y must be of shape \(n_samples, n_timesteps"
    ):
        reg.fit(X, y[:, :4])
    with pytest.raises(ValueError, match="sequence 1 has 5 steps"):
        reg.fit(list(X[:3]), [y[0], y[1, :3], y[2]])
    with pytest.raises(ValueError, match="class_weight is not supported"):
        RNNClassifier(output_sequence=True, class_weight="balanced").fit(
            X, (y > 0).astype(int)
        )
