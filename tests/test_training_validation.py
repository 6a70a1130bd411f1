"""Early stopping and validation sets: the split, the monitored scores, the
weights kept."""

import numpy as np
import pytest
from _training import assert_same_weights, quiet_fit
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn._estimators import _data


# ------------------------------------------------------------ early stopping
def test_early_stopping_restores_the_best_epoch(classification):
    X, y = classification
    params = dict(
        hidden_layer_sizes=(4,),
        early_stopping=True,
        validation_fraction=0.25,
        n_iter_no_change=5,
        learning_rate_init=0.05,
        max_iter=200,
        random_state=0,
    )
    clf = quiet_fit(RNNClassifier(**params), X, y)
    scores = clf.validation_scores_
    assert len(scores) == clf.n_iter_ == len(clf.loss_curve_)
    assert clf.best_validation_score_ == max(scores)
    assert clf.best_loss_ is None  # as in MLP: follow best_validation_score_
    best_epoch = int(np.argmax(scores)) + 1
    assert best_epoch < clf.n_iter_  # it did stop after the best epoch ...
    # ... and kept exactly the weights a run ending at the best epoch has.
    shorter = quiet_fit(RNNClassifier(**{**params, "max_iter": best_epoch}), X, y)
    assert_same_weights(clf, shorter)


def test_early_stopping_split_is_stratified_for_the_classifier(
    classification, monkeypatch
):
    seen = []
    original = _data.train_test_split

    def spy(*args, **kwargs):
        seen.append(kwargs["stratify"])
        return original(*args, **kwargs)

    monkeypatch.setattr(_data, "train_test_split", spy)
    X, y = classification
    quiet_fit(RNNClassifier((3,), early_stopping=True, max_iter=2), X, y)
    quiet_fit(RNNRegressor((3,), early_stopping=True, max_iter=2), X, X[:, 0, 0])
    np.testing.assert_array_equal(seen[0], y)
    assert seen[1] is None


def test_early_stopping_refuses_a_too_small_validation_set():
    X = np.random.RandomState(0).normal(size=(10, 3, 1))
    with pytest.raises(ValueError, match="validation set is too small"):
        RNNRegressor(early_stopping=True, validation_fraction=0.1).fit(X, X[:, 0, 0])
    # The classifier's split is stratified: too few samples for one of each class.
    labels = np.arange(4) % 2
    message = "cannot hold out validation_fraction=0.1 of n_samples=4, stratified"
    with pytest.raises(ValueError, match=message) as raised:
        RNNClassifier(early_stopping=True).fit(X[:4], labels)
    assert "Pass X_val and y_val to fit" in str(raised.value)


# ---------------------------------------------------------- validation data
def test_x_val_is_monitored_every_epoch(regression):
    X, y = regression
    X_val, y_val = X[:20] + 0.1, y[:20]
    reg = quiet_fit(
        RNNRegressor((4,), max_iter=7, random_state=0), X, y, X_val=X_val, y_val=y_val
    )
    assert len(reg.validation_scores_) == 7
    assert reg.validation_scores_[-1] == pytest.approx(reg.score(X_val, y_val))
    assert reg.best_validation_score_ == max(reg.validation_scores_)
    # Monitoring alone changes nothing in the training.
    plain = quiet_fit(RNNRegressor((4,), max_iter=7, random_state=0), X, y)
    assert plain.validation_scores_ is None
    assert_same_weights(reg, plain)


def test_x_val_replaces_the_split_for_early_stopping(regression):
    X, y = regression
    X_val, y_val = X[:20] + 0.1, y[:20]
    params = dict(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    reg = quiet_fit(
        RNNRegressor(early_stopping=True, **params), X, y, X_val=X_val, y_val=y_val
    )
    # It trains on all of X: the loss curve is that of a fit without a split.
    plain = quiet_fit(RNNRegressor(**params), X, y)
    np.testing.assert_allclose(reg.loss_curve_, plain.loss_curve_, rtol=1e-12)
    assert reg.validation_scores_[-1] == pytest.approx(plain.score(X_val, y_val))


def test_validation_sample_weight_is_used(regression):
    X, y = regression
    X_val, y_val = X[:20] + 0.3, y[:20]
    sw = np.arange(20.0)
    reg = quiet_fit(
        RNNRegressor((4,), max_iter=3, random_state=0),
        X,
        y,
        X_val=X_val,
        y_val=y_val,
        sample_weight_val=sw,
    )
    expected = reg.score(X_val, y_val, sample_weight=sw)
    assert reg.validation_scores_[-1] == pytest.approx(expected)
    assert expected != pytest.approx(reg.score(X_val, y_val))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(X_val="X"), "y_val was not provided"),
        (dict(y_val="y"), "X_val was not provided"),
        (dict(sample_weight_val=np.ones(3)), "X_val and y_val were not"),
    ],
)
def test_validation_data_must_come_in_pairs(regression, kwargs, match):
    X, y = regression
    data = {"X": X, "y": y}
    kwargs = {k: data[v] if isinstance(v, str) else v for k, v in kwargs.items()}
    with pytest.raises(ValueError, match=match):
        RNNRegressor().fit(X, y, **kwargs)


@pytest.mark.parametrize(
    "sample_weight_val, match",
    [
        (np.ones(4), r"sample_weight_val\.shape == \(4,\), expected \(5,\)"),
        (np.array([1.0, np.nan, 1.0, 1.0, 1.0]), "sample_weight_val contains NaN"),
        (np.array([1.0, -1.0, 1.0, 1.0, 1.0]), "`sample_weight_val`"),
    ],
)
def test_validation_sample_weight_errors_name_it(regression, sample_weight_val, match):
    X, y = regression
    reg = RNNRegressor((4,), max_iter=1, random_state=0)
    with pytest.raises(ValueError, match=match):
        reg.fit(X, y, X_val=X[:5], y_val=y[:5], sample_weight_val=sample_weight_val)
    with pytest.raises(NotFittedError):  # refused before any training
        check_is_fitted(reg)


def test_y_val_labels_must_be_known(classification):
    X, y = classification
    with pytest.raises(ValueError, match="not in classes_"):
        RNNClassifier(max_iter=1).fit(X, y, X_val=X[:3], y_val=["up", "down", "left"])


def test_variable_length_sequences_with_validation(classification):
    X, y = classification
    rng = np.random.RandomState(1)
    ragged = [x[: rng.randint(1, 6)] for x in X]  # lengths 1 to 5
    params = dict(hidden_layer_sizes=(3,), max_iter=4, random_state=0)
    clf = quiet_fit(RNNClassifier(early_stopping=True, **params), ragged, y)
    assert len(clf.validation_scores_) == clf.n_iter_
    clf = quiet_fit(
        RNNClassifier(**params), ragged[20:], y[20:], X_val=ragged[:20], y_val=y[:20]
    )
    assert clf.validation_scores_[-1] == pytest.approx(clf.score(ragged[:20], y[:20]))
