"""Multivariate sequences as flat 2-D rows (``n_features_per_step``), through the
scikit-learn tools that accept only 2-D input; each result is checked against the
same computation done by hand."""

import numpy as np
import pytest
from sklearn.ensemble import BaggingClassifier, BaggingRegressor
from sklearn.inspection import permutation_importance
from sklearn.multiclass import OneVsOneClassifier
from sklearn.multioutput import ClassifierChain, RegressorChain
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler

N_STEPS, PER_STEP = 6, 2


def sequences(n=90, seed=0):
    """3-D sequences, their flat rows, a 3-class label and a real target."""
    rng = np.random.RandomState(seed)
    X3 = rng.normal(size=(n, N_STEPS, PER_STEP))
    y_class = np.digitize(X3[:, 0, 0] + X3[:, 1, 1], [-0.5, 0.5])
    y_real = X3[:, 0, 0] - X3[:, 2, 1]
    return X3, X3.reshape(n, -1), y_class, y_real


def clf(**params):
    params = {"n_features_per_step": PER_STEP, **params}
    return RNNClassifier((8,), max_iter=40, random_state=0, **params)


def reg(**params):
    params = {"n_features_per_step": PER_STEP, **params}
    return RNNRegressor((8,), max_iter=40, random_state=0, **params)


pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.mark.parametrize("make", [clf, reg])
def test_flat_rows_are_the_3d_sequences(make):
    X3, flat, y_class, y_real = sequences()
    y = y_class if make is clf else y_real
    on_rows = make().fit(flat, y)
    on_3d = make().fit(X3, y)
    assert on_rows.n_features_in_ == N_STEPS * PER_STEP
    assert on_3d.n_features_in_ == PER_STEP
    np.testing.assert_array_equal(on_rows.predict(flat), on_3d.predict(X3))
    np.testing.assert_array_equal(on_rows.predict(X3), on_3d.predict(X3))


def test_a_width_that_is_not_whole_steps_is_named():
    _, flat, y, _ = sequences()
    with pytest.raises(ValueError, match="13 columns, which is not a multiple of "):
        clf().fit(np.hstack([flat, flat[:, :1]]), y)
    with pytest.raises(ValueError, match="3 features per timestep, but "):
        clf().fit(np.zeros((4, 5, 3)), [0, 1, 0, 1])


def test_standard_scaler_pipeline():
    _, flat, y, _ = sequences()
    pipe = make_pipeline(StandardScaler(), clf()).fit(flat, y)
    by_hand = clf().fit(StandardScaler().fit_transform(flat), y)
    np.testing.assert_array_equal(
        pipe.predict_proba(flat),
        by_hand.predict_proba(StandardScaler().fit(flat).transform(flat)),
    )


def test_sklearn_permutation_importance():
    _, flat, y, _ = sequences()
    model = clf().fit(flat, y)
    result = permutation_importance(model, flat, y, n_repeats=2, random_state=0)
    # scikit-learn's loop: one seed, the same shuffles for every column
    seed = np.random.RandomState(0).randint(np.iinfo(np.int32).max + 1)
    baseline = model.score(flat, y)
    for column in range(flat.shape[1]):
        rng, permuted = np.random.RandomState(seed), flat.copy()
        order, drops = np.arange(len(flat)), []
        for _ in range(2):
            rng.shuffle(order)
            permuted[:, column] = permuted[order, column]
            drops.append(baseline - model.score(permuted, y))
        np.testing.assert_allclose(result.importances[column], drops)


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_bagging_is_the_members_mean(kind):
    _, flat, y_class, y_real = sequences()
    if kind == "classifier":
        bag = BaggingClassifier(clf(), n_estimators=3, random_state=0)
        bag.fit(flat, y_class)
        members = [m.predict_proba(flat) for m in bag.estimators_]
        np.testing.assert_allclose(bag.predict_proba(flat), np.mean(members, axis=0))
    else:
        bag = BaggingRegressor(reg(), n_estimators=3, random_state=0).fit(flat, y_real)
        members = [m.predict(flat) for m in bag.estimators_]
        np.testing.assert_allclose(bag.predict(flat), np.mean(members, axis=0))
    for features in bag.estimators_features_:  # every member reads whole steps
        np.testing.assert_array_equal(features, np.arange(flat.shape[1]))


def test_one_vs_one_votes():
    _, flat, y, _ = sequences()
    ovo = OneVsOneClassifier(clf()).fit(flat, y)
    votes = np.zeros((len(flat), 3))
    pairs = [(i, j) for i in range(3) for j in range(i + 1, 3)]
    for (i, j), member in zip(pairs, ovo.estimators_):
        says_j = member.predict(flat) == 1  # each pair is fitted on y == j
        votes[says_j, j] += 1
        votes[~says_j, i] += 1
    predicted = ovo.predict(flat)
    np.testing.assert_array_equal(votes[np.arange(len(flat)), predicted], votes.max(1))
    np.testing.assert_array_equal(np.round(ovo.decision_function(flat)), votes)


def test_self_training_labels_the_rest():
    _, flat, y, _ = sequences()
    partly = y.copy()
    partly[::3] = -1  # a third unlabelled
    self_training = SelfTrainingClassifier(
        clf(), criterion="k_best", k_best=10, max_iter=2
    )
    self_training.fit(flat, partly)
    labelled = partly != -1
    np.testing.assert_array_equal(self_training.transduction_[labelled], y[labelled])
    np.testing.assert_array_equal(
        self_training.predict(flat), self_training.estimator_.predict(flat)
    )
    pseudo = (self_training.labeled_iter_ > 0) & ~labelled
    assert pseudo.sum() == 20  # ten a round
    # the pseudo-labels are what the first round's model predicted for them
    first = clf().fit(flat[labelled], y[labelled])
    first_round = self_training.labeled_iter_ == 1
    np.testing.assert_array_equal(
        self_training.transduction_[first_round], first.predict(flat[first_round])
    )


@pytest.mark.parametrize("chain_cls", [ClassifierChain, RegressorChain])
def test_chains_read_univariate_rows_and_name_the_extra_column(chain_cls):
    """A chain appends one column per earlier target to X: whole steps of one
    feature stay whole; rows of several features a step no longer are, which is
    named."""
    X3, flat, y_class, y_real = sequences()
    is_clf = chain_cls is ClassifierChain
    Y = (
        np.column_stack([y_class == 2, y_class == 0]).astype(int)
        if is_clf
        else np.column_stack([y_real, -y_real])
    )
    univariate = X3[:, :, 0]
    base = (clf if is_clf else reg)(n_features_per_step=None)
    chain = chain_cls(base, order=[0, 1]).fit(univariate, Y)
    # by hand: the second model reads the row and the first target's prediction
    first = chain.estimators_[0].predict(univariate)
    second = chain.estimators_[1].predict(np.column_stack([univariate, first]))
    np.testing.assert_array_equal(chain.predict(univariate)[:, 1], second)
    assert chain.estimators_[1].n_features_in_ == N_STEPS + 1
    with pytest.raises(ValueError, match="not a multiple of n_features_per_step=2"):
        chain_cls((clf if is_clf else reg)(), order=[0, 1]).fit(flat, Y)


def test_sequence_scaler_reads_flat_rows():
    X3, flat, _, _ = sequences()
    scaler = SequenceScaler(n_features_per_step=PER_STEP).fit(flat)
    np.testing.assert_allclose(scaler.mean_, X3.reshape(-1, PER_STEP).mean(0))
    np.testing.assert_allclose(
        scaler.transform(flat),
        SequenceScaler().fit_transform(X3).reshape(len(flat), -1),
    )


def test_rows_are_read_as_fitted_until_the_next_fit():
    X3, flat, y, _ = sequences()
    model = clf().fit(flat, y)
    expected = model.predict(flat)
    model.set_params(n_features_per_step=None)
    np.testing.assert_array_equal(model.predict(flat), expected)
    scaler = SequenceScaler(n_features_per_step=PER_STEP).fit(flat)
    scaled = scaler.transform(flat)
    np.testing.assert_array_equal(
        scaler.set_params(n_features_per_step=None).transform(flat), scaled
    )
