"""Static (per-sample) features after the sequence in 2-D rows (``n_timesteps``):
the chains, which append earlier targets as columns, each checked against the chain
fitted by hand; static columns that the network genuinely reads; what 3-D and list
input do; and every other reader of flat rows."""

import pickle

import numpy as np
import onnxruntime as ort
import pandas as pd
import pytest
from sklearn.metrics import r2_score
from sklearn.multioutput import ClassifierChain, RegressorChain
from sklearn.pipeline import make_pipeline

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler
from sk_rnn.inspection import permutation_importance
from sk_rnn.io import dump, load
from sk_rnn.onnx import to_onnx

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

N_STEPS, PER_STEP, N_STATIC = 5, 3, 2


def data(n=120, seed=0):
    """3-D sequences, static features, the rows holding both, and targets:
    three labels (two read from the steps, one from a static column) and three
    real values."""
    rng = np.random.RandomState(seed)
    X3 = rng.normal(size=(n, N_STEPS, PER_STEP))
    static = rng.normal(size=(n, N_STATIC))
    rows = np.hstack([X3.reshape(n, -1), static])
    Y_class = np.column_stack(
        [X3[:, 0, 0] > 0, X3[:, 1, 2] + X3[:, 3, 1] > 0, static[:, 1] > 0]
    ).astype(int)
    Y_real = np.column_stack(
        [X3[:, 0, 0] - X3[:, 2, 1], X3[:, 4, 2], static[:, 0] + X3[:, 1, 0]]
    )
    return X3, static, rows, Y_class, Y_real


def repeated(X3, static):
    """The network's view of rows: the static features beside every step."""
    steps = np.repeat(static[:, None, :], X3.shape[1], axis=1)
    return np.concatenate([X3, steps], axis=2)


def _reading_rows(Estimator, **params):
    defaults = dict(n_features_per_step=PER_STEP, n_timesteps=N_STEPS, max_iter=30)
    return Estimator((8,), **{**defaults, "random_state": 0, **params})


def clf(**params):
    return _reading_rows(RNNClassifier, **params)


def reg(**params):
    return _reading_rows(RNNRegressor, **params)


@pytest.mark.parametrize("chain_cls", [ClassifierChain, RegressorChain])
def test_chain_is_the_chain_fitted_by_hand(chain_cls):
    """Member i reads the rows and the earlier targets (in fit) or predictions (in
    predict) as static columns."""
    _, _, rows, Y_class, Y_real = data()
    is_clf = chain_cls is ClassifierChain
    make, Y = (clf, Y_class) if is_clf else (reg, Y_real)
    chain = chain_cls(make()).fit(rows, Y)
    members = [make().fit(np.hstack([rows, Y[:, :i]]), Y[:, i]) for i in range(3)]
    predicted = np.empty(Y.shape)
    for i, member in enumerate(members):
        predicted[:, i] = member.predict(np.hstack([rows, predicted[:, :i]]))
    np.testing.assert_array_equal(chain.predict(rows), predicted)
    for i, member in enumerate(chain.estimators_):
        assert member.n_features_in_ == rows.shape[1] + i
        assert member._n_input_features == PER_STEP + N_STATIC + i
    if is_clf:
        by_hand = [
            m.predict_proba(np.hstack([rows, predicted[:, :i]]))[:, 1]
            for i, m in enumerate(members)
        ]
        np.testing.assert_array_equal(
            chain.predict_proba(rows), np.column_stack(by_hand)
        )


def test_a_task_solvable_only_from_a_static_column():
    """The label is the sign of a static column; the steps are noise."""
    X3, static, rows, Y_class, _ = data(n=400, seed=1)
    y = Y_class[:, 2]
    train, test = slice(0, 300), slice(300, None)
    model = clf(max_iter=200).fit(rows[train], y[train])
    assert model.score(rows[test], y[test]) > 0.9
    # without the static columns the same network guesses
    blind = clf(max_iter=200, n_timesteps=None).fit(
        rows[train, : N_STEPS * PER_STEP], y[train]
    )
    assert blind.score(rows[test, : N_STEPS * PER_STEP], y[test]) < 0.7
    # and the column it reads is the one that matters
    result = permutation_importance(
        model, rows[test], y[test], n_repeats=3, random_state=0
    )
    assert result.importances_mean.shape == (PER_STEP + N_STATIC,)
    assert result.importances_mean.argmax() == PER_STEP + 1


def test_a_regressor_reads_static_and_step_features():
    _, _, rows, _, Y_real = data(n=400, seed=2)
    y = Y_real[:, 2]  # a static column plus a step feature
    model = reg(max_iter=300, learning_rate_init=0.01).fit(rows[:300], y[:300])
    assert r2_score(y[300:], model.predict(rows[300:])) > 0.8


@pytest.mark.parametrize("make", [clf, reg])
def test_rows_are_the_repeated_3d_sequences(make):
    """A model fitted with static columns reads 3-D input as the network does: the
    static features last in every step."""
    X3, static, rows, Y_class, Y_real = data()
    y = Y_class[:, 0] if make is clf else Y_real[:, 0]
    model = make().fit(rows, y)
    assert model.n_features_in_ == N_STEPS * PER_STEP + N_STATIC
    np.testing.assert_array_equal(
        model.predict(rows), model.predict(repeated(X3, static))
    )
    np.testing.assert_array_equal(
        model.hidden_states(rows, all_steps=True),
        model.hidden_states(repeated(X3, static), all_steps=True),
    )
    # the same network fitted on the repeated sequences themselves
    on_3d = make(n_features_per_step=None, n_timesteps=None).fit(
        repeated(X3, static), y
    )
    np.testing.assert_array_equal(
        model.predict(rows), on_3d.predict(repeated(X3, static))
    )


@pytest.mark.parametrize("make", [clf, reg])
def test_no_static_column_is_the_default_reading(make):
    """With no columns after the sequence, n_timesteps changes nothing."""
    _, _, rows, Y_class, Y_real = data()
    flat = rows[:, : N_STEPS * PER_STEP]
    y = Y_class[:, 0] if make is clf else Y_real[:, 0]
    with_steps = make().fit(flat, y)
    without = make(n_timesteps=None).fit(flat, y)
    np.testing.assert_array_equal(with_steps.predict(flat), without.predict(flat))
    np.testing.assert_array_equal(with_steps.loss_curve_, without.loss_curve_)


def test_padded_rows_are_the_ragged_sequences():
    """NaN after a sequence's end in the step columns is padding; the static
    columns stay beside every real step."""
    X3, static, rows, Y_class, _ = data()
    lengths = np.where(np.arange(len(rows)) % 3 == 0, 3, N_STEPS)
    padded = rows.copy()
    for i, n in enumerate(lengths):
        padded[i, n * PER_STEP : N_STEPS * PER_STEP] = np.nan
    model = clf().fit(padded, Y_class[:, 0])
    ragged = [
        np.hstack([X3[i, :n], np.repeat(static[i][None], n, axis=0)])
        for i, n in enumerate(lengths)
    ]
    np.testing.assert_allclose(
        model.predict_proba(padded), model.predict_proba(ragged), rtol=1e-12
    )


def test_errors_name_the_problem():
    X3, static, rows, Y_class, _ = data(n=20)
    y = Y_class[:, 0]
    with pytest.raises(
        ValueError,
        match=r"X has 15 columns, fewer than the n_timesteps \* n_features_per_step "
        r"= 6 \* 3 = 18",
    ):
        clf(n_timesteps=6).fit(rows[:, :15], y)
    with pytest.raises(ValueError, match="X is 3-D, with 5 timesteps, but n_timest"):
        clf(n_timesteps=4).fit(X3, y)
    with pytest.raises(ValueError, match="a list of sequences, padded to 5 timeste"):
        clf(n_timesteps=4).fit([X3[0], X3[1, :2]], [0, 1])
    with_nan = rows.copy()
    with_nan[3, -1] = np.nan
    with pytest.raises(ValueError, match="NaN in static column 1 .column 16 of the"):
        clf().fit(with_nan, y)
    model = clf().fit(rows, y)
    with pytest.raises(
        ValueError, match=r"5 timesteps of 3 feature.s. followed by 2 static"
    ):
        model.predict(rows[:, :-1])
    with pytest.raises(ValueError, match="2 static column.s., it reads a step as"):
        model.predict(X3)
    with pytest.raises(ValueError, match="not a multiple of n_features_per_step=3.*"):
        clf(n_timesteps=None).fit(rows, y)


def test_3d_input_with_the_same_steps_fits_as_without():
    X3, _, _, Y_class, _ = data()
    y = Y_class[:, 0]
    with_steps = clf(n_features_per_step=None).fit(X3, y)
    without = clf(n_features_per_step=None, n_timesteps=None).fit(X3, y)
    np.testing.assert_array_equal(with_steps.predict(X3), without.predict(X3))
    assert with_steps._n_timesteps is None  # no static columns to read


def test_forecast_refuses_static_columns():
    _, _, rows, _, Y_real = data(n=20)
    model = reg().fit(rows, Y_real[:, 0])
    with pytest.raises(ValueError, match="fitted with 2 static column"):
        model.forecast(rows, 2)


def test_rows_are_read_as_fitted_until_the_next_fit():
    _, _, rows, Y_class, _ = data()
    model = clf().fit(rows, Y_class[:, 0])
    expected = model.predict_proba(rows)
    model.set_params(n_timesteps=2, n_features_per_step=None)
    np.testing.assert_array_equal(model.predict_proba(rows), expected)
    scaler = SequenceScaler(n_features_per_step=PER_STEP, n_timesteps=N_STEPS)
    scaled = scaler.fit(rows).transform(rows)
    scaler.set_params(n_timesteps=None)
    np.testing.assert_array_equal(scaler.transform(rows), scaled)


def test_models_fitted_before_n_timesteps_read_rows_as_fitted(tmp_path):
    """Pickles of 0.1.0 hold no n_timesteps, fitted or set: setting it later
    changes nothing until the next fit, as for any model."""
    X = np.random.RandomState(0).normal(size=(40, 10))
    for fitted, method in (
        (RNNRegressor((4,), max_iter=2, random_state=0).fit(X, X[:, 0]), "predict"),
        (SequenceScaler().fit(X), "transform"),
    ):
        expected = getattr(fitted, method)(X)
        old = pickle.loads(pickle.dumps(fitted))
        del old.__dict__["n_timesteps"], old.__dict__["_n_timesteps"]
        for loaded in (
            pickle.loads(pickle.dumps(old)),
            _skops_round_trip(old, tmp_path),
        ):
            loaded.set_params(n_timesteps=8)
            np.testing.assert_array_equal(getattr(loaded, method)(X), expected)


def _skops_round_trip(estimator, tmp_path):
    dump(estimator, tmp_path / "old.skops")
    return load(tmp_path / "old.skops")


def test_scaler_scales_steps_over_steps_and_static_columns_alone():
    X3, static, rows, _, _ = data()
    rows = rows * 3.0 + 7.0
    X3, static = X3 * 3.0 + 7.0, static * 3.0 + 7.0
    scaler = SequenceScaler(n_features_per_step=PER_STEP, n_timesteps=N_STEPS)
    out = scaler.fit_transform(rows)
    assert out.shape == rows.shape
    steps = SequenceScaler().fit_transform(X3)
    np.testing.assert_allclose(out[:, : N_STEPS * PER_STEP], steps.reshape(len(X3), -1))
    np.testing.assert_allclose(
        out[:, N_STEPS * PER_STEP :], (static - static.mean(0)) / static.std(0)
    )
    np.testing.assert_allclose(scaler.inverse_transform(out), rows)
    # 3-D input as the estimators read it: the static features last in each step
    np.testing.assert_allclose(
        scaler.transform(repeated(X3, static)),
        repeated(steps, out[:, N_STEPS * PER_STEP :]),
    )
    with pytest.raises(ValueError, match="fewer than the n_timesteps"):
        SequenceScaler(n_timesteps=20).fit(rows[:, :10])


def test_scaler_names_and_pandas_output():
    _, _, rows, Y_class, _ = data()
    columns = [f"c{j}" for j in range(rows.shape[1])]
    frame = pd.DataFrame(rows, columns=columns)
    scaler = SequenceScaler(n_features_per_step=PER_STEP, n_timesteps=N_STEPS)
    out = scaler.set_output(transform="pandas").fit_transform(frame)
    assert list(out.columns) == columns
    pipe = make_pipeline(
        SequenceScaler(n_features_per_step=PER_STEP, n_timesteps=N_STEPS), clf()
    ).fit(frame, Y_class[:, 0])
    by_hand = clf().fit(scaler.transform(frame), Y_class[:, 0])
    np.testing.assert_array_equal(
        pipe.predict_proba(frame), by_hand.predict_proba(scaler.transform(frame))
    )


def test_permutation_importance_of_static_columns_is_the_manual_loop():
    _, _, rows, Y_class, _ = data()
    y = Y_class[:, 2]
    model = clf().fit(rows, y)
    result = permutation_importance(model, rows, y, n_repeats=2, random_state=0)
    seed = np.random.RandomState(0).randint(np.iinfo(np.int32).max + 1)
    baseline = model.score(rows, y)
    step_columns = np.arange(N_STEPS * PER_STEP).reshape(N_STEPS, PER_STEP)
    blocks = [step_columns[:, j] for j in range(PER_STEP)]
    blocks += [[N_STEPS * PER_STEP + j] for j in range(N_STATIC)]
    for block, importances in zip(blocks, result.importances, strict=True):
        rng, permuted = np.random.RandomState(seed), rows.copy()
        order, drops = np.arange(len(rows)), []
        for _ in range(2):
            rng.shuffle(order)
            permuted[:, block] = permuted[order][:, block]
            drops.append(baseline - model.score(permuted, y))
        np.testing.assert_allclose(importances, drops)
    # windows of steps leave the static columns where they are
    windows = permutation_importance(
        model, rows, y, over="timesteps", window=2, n_repeats=2, random_state=0
    )
    np.testing.assert_array_equal(windows.window_starts, [0, 2, 4])
    rng, permuted = np.random.RandomState(seed), rows.copy()
    order = np.arange(len(rows))
    rng.shuffle(order)
    last = step_columns[4:].ravel()
    permuted[:, last] = permuted[order][:, last]
    np.testing.assert_allclose(
        windows.importances[2, 0], baseline - model.score(permuted, y)
    )


def test_onnx_reads_the_network_view():
    """The exported graph takes sequences of n_features_per_step + n_static
    features a step, the static ones repeated, as predict reads 3-D input."""
    X3, static, rows, Y_class, _ = data()
    model = clf(max_iter=5).fit(rows, Y_class[:, 0])
    onnx_model = to_onnx(model)
    session = ort.InferenceSession(onnx_model.SerializeToString())
    view = repeated(X3, static).astype(np.float32)
    label, proba = session.run(None, {"X": view})
    np.testing.assert_array_equal(label, model.predict(rows))
    np.testing.assert_allclose(proba, model.predict_proba(rows), atol=1e-5)


def test_persistence_keeps_the_reading(tmp_path):
    _, _, rows, Y_class, _ = data()
    model = clf(max_iter=5).fit(rows, Y_class[:, 0])
    scaler = SequenceScaler(n_features_per_step=PER_STEP, n_timesteps=N_STEPS)
    scaler.fit(rows)
    for fitted, method in ((model, "predict_proba"), (scaler, "transform")):
        path = tmp_path / "model.skops"
        dump(fitted, path)
        for restored in (pickle.loads(pickle.dumps(fitted)), load(path)):
            np.testing.assert_array_equal(
                getattr(restored, method)(rows), getattr(fitted, method)(rows)
            )
