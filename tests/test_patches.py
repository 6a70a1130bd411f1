"""patch_size: consecutive steps read as one step of their features side by side."""

import pickle
import warnings

import numpy as np
import pytest

from sk_rnn import RNNClassifier, RNNRegressor
from sk_rnn.utils import check_gradients

PARAMS = dict(hidden_layer_sizes=(6,), max_iter=15, random_state=0)


def quiet(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y)


def data(n_steps=12, n_features=2, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(40, n_steps, n_features))
    return X, (X[:, :4, 0].sum(axis=1) > 0).astype(int)


def by_hand(X, k):
    """Patches of ``k`` steps, the last completed with zeros."""
    missing = -X.shape[1] % k
    X = np.concatenate([X, np.zeros((len(X), missing, X.shape[2]))], axis=1)
    return X.reshape(len(X), -1, k * X.shape[2])


def standardised(sequences, k):
    """Patches of ``k`` steps of ``sequences`` (an array, or a list of ragged
    ones), each input standardised over its real values, the zeros completing a
    last patch left out and set to zero, the mean."""
    ragged = isinstance(sequences, list)
    arrays = [x[None] for x in sequences] if ragged else [sequences]
    patches = [by_hand(x, k)[0] if ragged else by_hand(x, k) for x in arrays]
    real = [
        by_hand(np.ones_like(x), k)[0] if ragged else by_hand(np.ones_like(x), k)
        for x in arrays
    ]
    values = np.concatenate([p.reshape(-1, p.shape[-1]) for p in patches])
    weights = np.concatenate([m.reshape(-1, m.shape[-1]) for m in real])
    mean = (values * weights).sum(axis=0) / weights.sum(axis=0)
    std = np.sqrt((((values - mean) * weights) ** 2).sum(axis=0) / weights.sum(axis=0))
    std[std < 1e-12] = 1.0
    out = [np.where(m > 0, (p - mean) / std, 0.0) for p, m in zip(patches, real)]
    return out if ragged else out[0]


@pytest.mark.parametrize("n_steps, k", [(12, 3), (12, 5), (7, 7), (5, 8)])
@pytest.mark.parametrize("Estimator", [RNNClassifier, RNNRegressor])
def test_patches_are_the_steps_stacked_by_hand(Estimator, n_steps, k):
    X, y = data(n_steps)
    patched = quiet(Estimator(patch_size=k, **PARAMS), X, y)
    inputs = standardised(X, k) if k > 1 else X
    stacked = quiet(Estimator(**PARAMS), inputs, y)
    np.testing.assert_allclose(patched.predict(X), stacked.predict(inputs))
    np.testing.assert_allclose(
        patched.recurrent_weights_["weight_ih_l0"],
        stacked.recurrent_weights_["weight_ih_l0"],
    )
    assert patched.recurrent_weights_["weight_ih_l0"].shape[1] == k * X.shape[2]
    assert patched.n_features_in_ == X.shape[2]  # what fit was given
    states = patched.hidden_states(X, all_steps=True)
    assert states.shape[1] == -(-n_steps // k)  # one state per patch


def test_ragged_sequences_end_in_their_last_patch():
    X, y = data(12)
    lengths = np.random.RandomState(1).randint(2, 13, size=len(X))
    ragged = [x[:n] for x, n in zip(X, lengths)]
    k = 4
    patched = quiet(RNNClassifier(patch_size=k, **PARAMS), ragged, y)
    stacked_by_hand = standardised(ragged, k)
    stacked = quiet(RNNClassifier(**PARAMS), stacked_by_hand, y)
    np.testing.assert_allclose(
        patched.predict_proba(ragged), stacked.predict_proba(stacked_by_hand)
    )


def test_the_gradient_through_patches_is_exact():
    X, y = data(9)
    errors = check_gradients(RNNRegressor((3,), patch_size=4), X, X[:, 0, 0])
    assert errors["weight_ih_l0"] < 1e-6 and max(errors.values()) < 1e-6


def test_flat_rows_and_patches():
    X, y = data(12, n_features=1)
    rows = X[:, :, 0]
    patched = quiet(RNNClassifier(patch_size=3, **PARAMS), rows, y)
    rows_read = standardised(rows[:, :, None], 3).reshape(
        40, 12
    )  # what the patches' network reads
    per_step = quiet(RNNClassifier(n_features_per_step=3, **PARAMS), rows_read, y)
    np.testing.assert_allclose(
        patched.predict_proba(rows), per_step.predict_proba(rows_read)
    )


def test_the_fitted_patch_size_is_kept():
    X, y = data()
    model = quiet(RNNClassifier(patch_size=3, **PARAMS), X, y)
    before = model.predict_proba(X)
    model.set_params(patch_size=5)
    np.testing.assert_array_equal(model.predict_proba(X), before)  # until a new fit
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(model)).predict_proba(X), before
    )
    assert quiet(model, X, y).recurrent_weights_["weight_ih_l0"].shape[1] == 10


def test_models_pickled_before_patches_read_one_step_at_a_time():
    X, y = data()
    model = quiet(RNNClassifier(**PARAMS), X, y)
    state = model.__getstate__()
    for key in ("patch_size", "patch_size_"):
        state.pop(key)
    old = RNNClassifier.__new__(RNNClassifier)
    old.__setstate__(state)
    assert (old.patch_size, old.patch_size_) == (1, 1)  # as they were built
    old.set_params(patch_size=4)
    np.testing.assert_array_equal(old.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize("n_steps, k", [(79, 1), (80, 2), (119, 2), (1460, 36)])
def test_auto_leaves_about_40_steps(n_steps, k):
    X, y = data(n_steps, n_features=1)
    auto = quiet(RNNClassifier(**PARAMS), X, y)  # the default
    assert auto.patch_size_ == k
    assert auto.recurrent_weights_["weight_ih_l0"].shape[1] == k
    fixed = quiet(RNNClassifier(patch_size=k, **PARAMS), X, y)
    np.testing.assert_array_equal(auto.predict_proba(X), fixed.predict_proba(X))


def test_auto_counts_the_padded_steps_of_ragged_input():
    rng = np.random.RandomState(0)
    ragged = [rng.normal(size=(n, 1)) for n in (30, 120, 45, 90) * 5]
    y = np.arange(20) % 2
    assert quiet(RNNClassifier(**PARAMS), ragged, y).patch_size_ == 3


def test_auto_reads_every_step_of_a_sequence_output():
    X, _ = data(100, n_features=1)
    model = quiet(RNNRegressor(output_sequence=True, **PARAMS), X, X[:, :, 0])
    assert model.patch_size_ == 1
    assert model.predict(X).shape == (40, 100)


@pytest.mark.parametrize("value", [0, -1, 1.5, "Auto", None])
def test_a_bad_patch_size_is_refused(value):
    X, y = data()
    with pytest.raises(ValueError, match="patch_size"):
        RNNClassifier(patch_size=value).fit(X, y)


def test_patches_are_refused_where_every_step_counts():
    X, _ = data()
    with pytest.raises(ValueError, match="patch_size=2 .* output_sequence=True"):
        RNNRegressor(patch_size=2, output_sequence=True).fit(X, X[:, :, 0])


def test_a_window_model_forecasts_in_patches():
    # each new value is read as one step: the windows slide by a step, not a patch
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 10, 1))
    model = quiet(RNNRegressor(patch_size=3, **PARAMS), X, X[:, -1, 0])
    window, expected = X.copy(), []
    for _ in range(4):
        expected.append(model.predict(window))
        window = np.concatenate([window[:, 1:], expected[-1][:, None, None]], axis=1)
    np.testing.assert_allclose(model.forecast(X, 4), np.column_stack(expected))


def test_models_pickled_with_the_private_patch_size_keep_it():
    # between patch_size and its "auto" default the fitted size was _patch_size:
    # such a pickle must load reading the patches it was trained on
    X, y = data(12)
    model = quiet(RNNClassifier(patch_size=4, **PARAMS), X, y)
    state = model.__getstate__()
    state["_patch_size"] = state.pop("patch_size_")
    old = RNNClassifier.__new__(RNNClassifier)
    old.__setstate__(state)
    assert old.patch_size_ == 4
    np.testing.assert_array_equal(old.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize("continued", ["warm_start", "partial_fit"])
def test_continuing_with_another_patch_size_is_refused(continued):
    # the network's inputs are patch_size_ * n_features: like a changed cell or
    # hidden size, a changed integer patch_size cannot continue the fitted network,
    # and must not be ignored silently (get_params would then lie about the model)
    X, y = data(12)
    model = quiet(RNNClassifier(patch_size=3, warm_start=True, **PARAMS), X, y)
    weights = model.recurrent_weights_["weight_ih_l0"].copy()
    model.set_params(patch_size=4)
    with pytest.raises(ValueError, match="patch_size"):
        if continued == "warm_start":
            quiet(model, X, y)
        else:
            model.partial_fit(X, y)
    assert model.patch_size_ == 3  # and the fitted model is as it was
    np.testing.assert_array_equal(model.recurrent_weights_["weight_ih_l0"], weights)


def test_each_input_of_a_patch_is_standardised_on_the_training_data():
    # Aligned series: the positions of a patch differ in level and spread.
    rng = np.random.RandomState(0)
    level, spread = np.tile([5.0, -3.0, 0.0], 4), np.tile([1.0, 10.0, 0.1], 4)
    X = (level + spread * rng.normal(size=(40, 12)))[:, :, None]
    y = (X[:, 1, 0] > -3).astype(int)
    model = quiet(RNNClassifier(patch_size=3, **PARAMS), X, y)
    mean, scale = model._patch_scaling
    assert np.all(np.abs(mean - level[:3]) < 3 * spread[:3] / np.sqrt(160))
    np.testing.assert_allclose(scale / spread[:3], 1, atol=0.2)
    before = model.predict_proba(X)
    model.partial_fit(X + 100, y)  # later batches do not move the scaling
    np.testing.assert_array_equal(model._patch_scaling, [mean, scale])
    assert not np.allclose(model.predict_proba(X), before)  # yet the weights moved
    one_step = quiet(RNNClassifier(patch_size=1, **PARAMS), X, y)
    assert one_step._patch_scaling is None  # step by step: inputs as given


def test_patches_near_the_float_limit_are_standardised_without_overflow():
    # Each input's mean near the limit, one value of the opposite sign: their
    # difference exceeds the largest float64.
    X, y = data(6, n_features=1)
    X = 1e308 + 1e306 * X
    X[0, 0, 0] = -1.7e308
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow on the way
        model = quiet(RNNClassifier(patch_size=3, **PARAMS), X, y)
        proba = model.predict_proba(X)
    assert np.isfinite(model._patch_scaling).all()
    assert np.isfinite(proba).all()


def test_unscaled_series_read_in_patches_get_no_scaling_warning():
    # The patches' inputs are standardised: an affine change of units is no
    # change to what the network reads, and nothing saturates.
    X, y = data(12)
    unscaled = X * 1000 + 5000
    for patch_size, warned in [(3, False), (1, True)]:
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            RNNClassifier(patch_size=patch_size, **PARAMS).fit(unscaled, y)
        messages = [str(w.message) for w in record]
        assert any("far from unit scale" in m for m in messages) == warned
    scaled = quiet(RNNClassifier(patch_size=3, **PARAMS), X, y)
    patched = quiet(RNNClassifier(patch_size=3, **PARAMS), unscaled, y)
    np.testing.assert_allclose(
        patched.predict_proba(unscaled), scaled.predict_proba(X), atol=1e-6
    )
    # padded sequences: the zeros completing their last patch are left out of
    # the scaling and read as the mean, so units change nothing there either
    ragged = [x[: 9 + i % 4] for i, x in enumerate(X)]
    ragged_unscaled = [x * 1000 + 5000 for x in ragged]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        patched = RNNClassifier(patch_size=3, **PARAMS).fit(ragged_unscaled, y)
    assert not any("far from unit scale" in str(w.message) for w in record)
    scaled = quiet(RNNClassifier(patch_size=3, **PARAMS), ragged, y)
    np.testing.assert_allclose(
        patched.predict_proba(ragged_unscaled), scaled.predict_proba(ragged), atol=1e-6
    )
    assert np.all(np.abs(patched._patch_scaling[0] - 5000) < 3000)  # no zeros in it
