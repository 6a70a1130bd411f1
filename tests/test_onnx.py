"""ONNX export: onnxruntime's outputs against predict / predict_proba.

Every architecture (cell and activation, stacking, direction, one output per
sequence or per step, sequences of one length or padded) is exported as a classifier
and as a regressor; the models are tiny and barely trained, which is all a
comparison of two computations of the same function needs.
"""

import copy
import itertools
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import skl2onnx
from skl2onnx.common.data_types import FloatTensorType, Int64TensorType
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from sk_rnn import RNNClassifier, RNNRegressor, SequenceScaler
from sk_rnn.onnx import register_converters, to_onnx

# the models are barely trained on purpose
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

N_SAMPLES, N_STEPS, N_FEATURES = 12, 5, 2
CELLS = [("rnn", "tanh"), ("rnn", "relu"), ("rnn", "identity")]
CELLS += [("lstm", None), ("gru", None)]
BOTH = [False, True]
# (cell, activation), hidden_layer_sizes, bidirectional, output_sequence, padded
CONFIGS = list(itertools.product(CELLS, [(3,), (3, 2)], BOTH, BOTH, BOTH))
CLASSIFIER_LABELS = [
    np.array([2, 5]),
    np.array(["no", "yes"]),
    np.array([-1, 4, 9]),
    np.array(["cat", "dog", "emu"]),
]


def _config_id(config):
    (cell, activation), hidden, bidirectional, output_sequence, variable = config
    return "-".join(
        [
            cell if activation is None else f"rnn_{activation}",
            f"{len(hidden)}layer",
            "bi" if bidirectional else "uni",
            "seq" if output_sequence else "last",
            "padded" if variable else "fixed",
        ]
    )


def _estimator(cls, config):
    (cell, activation), hidden, bidirectional, output_sequence, _ = config
    return cls(
        hidden,
        cell=cell,
        activation=activation or "tanh",
        bidirectional=bidirectional,
        output_sequence=output_sequence,
        max_iter=5,
        learning_rate_init=0.05,
        random_state=0,
    )


def _sequences(rng, variable):
    """float32 sequences, NaN-padded when ``variable``, and their lengths."""
    X = rng.normal(size=(N_SAMPLES, N_STEPS, N_FEATURES)).astype(np.float32)
    if not variable:
        return X, None
    lengths = rng.randint(1, N_STEPS + 1, size=N_SAMPLES)
    lengths[0] = N_STEPS
    X[np.arange(N_STEPS) >= lengths[:, None]] = np.nan
    return X, lengths


def _targets(rng, values, output_sequence, n_outputs=None):
    shape = (N_SAMPLES, N_STEPS) if output_sequence else (N_SAMPLES,)
    if values is None:  # regression
        shape += () if n_outputs is None else (n_outputs,)
        return rng.normal(size=shape).astype(np.float32)
    return rng.permutation(np.resize(values, np.prod(shape))).reshape(shape)


def _run(model, X, lengths=None):
    """onnxruntime's outputs by name, with garbage in the padding of ``X``."""
    session = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    feeds = {"X": X}
    if lengths is not None:
        padding = np.isnan(X)
        garbage = 100 * np.random.RandomState(1).normal(size=X.shape)
        feeds["X"] = np.where(padding, garbage, X).astype(np.float32)
        feeds["sequence_lens"] = lengths.astype(np.int64)
    names = [output.name for output in session.get_outputs()]
    return dict(zip(names, session.run(None, feeds)))


def _check_valid(model, recurrent_op):
    onnx.checker.check_model(model, full_check=True)
    onnx.shape_inference.infer_shapes(model, strict_mode=True)
    op_types = {node.op_type for node in model.graph.node}
    assert recurrent_op in op_types
    assert not op_types & {"Loop", "Scan"}


def _per_step(onnx_values, lengths, output_sequence):
    """The ONNX rows of the real steps, in the form of ``predict``'s result."""
    if lengths is None or not output_sequence:
        return onnx_values
    return [values[:n] for values, n in zip(onnx_values, lengths)]


def _assert_close(actual, expected, atol=1e-5):
    if isinstance(expected, list):
        for a, e in zip(actual, expected, strict=True):
            np.testing.assert_allclose(a, e, rtol=0, atol=atol)
    else:
        np.testing.assert_allclose(actual, expected, rtol=0, atol=atol)


def _assert_equal(actual, expected):
    if isinstance(expected, list):
        for a, e in zip(actual, expected, strict=True):
            np.testing.assert_array_equal(a, e)
    else:
        np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize("config", CONFIGS, ids=map(_config_id, CONFIGS))
def test_classifier_matches_predict_proba(config):
    index = CONFIGS.index(config)
    labels = CLASSIFIER_LABELS[index % len(CLASSIFIER_LABELS)]
    output_sequence, variable = config[3], config[4]
    rng = np.random.RandomState(index)
    X, lengths = _sequences(rng, variable)
    y = _targets(rng, labels, output_sequence)
    clf = _estimator(RNNClassifier, config).fit(X, y)
    assert clf.recurrent_weights_["weight_ih_l0"].dtype == np.float32

    model = to_onnx(clf, sequence_lens=variable)
    _check_valid(model, {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}[config[0][0]])
    outputs = _run(model, X, lengths)
    assert list(outputs) == ["label", "probabilities"]
    proba, predicted = clf.predict_proba(X), clf.predict(X)
    _assert_close(_per_step(outputs["probabilities"], lengths, output_sequence), proba)
    _assert_equal(_per_step(outputs["label"], lengths, output_sequence), predicted)


@pytest.mark.parametrize("config", CONFIGS, ids=map(_config_id, CONFIGS))
def test_regressor_matches_predict(config):
    index = CONFIGS.index(config)
    n_outputs = None if index % 2 else 2
    output_sequence, variable = config[3], config[4]
    rng = np.random.RandomState(index)
    X, lengths = _sequences(rng, variable)
    y = _targets(rng, None, output_sequence, n_outputs)
    reg = _estimator(RNNRegressor, config).fit(X, y)

    model = to_onnx(reg, sequence_lens=variable)
    _check_valid(model, {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}[config[0][0]])
    outputs = _run(model, X, lengths)
    assert list(outputs) == ["variable"]
    predicted = reg.predict(X)
    # skl2onnx's convention: the output axis is kept for a single target.
    values = outputs["variable"]
    if n_outputs is None:
        values = values[..., 0]
    _assert_close(_per_step(values, lengths, output_sequence), predicted)


def _fitted_classifier(**params):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 6, 3)).astype(np.float32)
    y = np.array(["a", "b", "c"])[rng.randint(0, 3, 30)]
    params = {"hidden_layer_sizes": (4,), "max_iter": 5, "random_state": 0, **params}
    return X, RNNClassifier(**params).fit(X, y)


def test_nan_padding_is_ignored_with_sequence_lens():
    X, clf = _fitted_classifier(cell="lstm", bidirectional=True)
    lengths = np.array([6, 2, 4] * 10)
    X[np.arange(6) >= lengths[:, None]] = np.nan
    session = ort.InferenceSession(to_onnx(clf, sequence_lens=True).SerializeToString())
    feeds = {"X": X, "sequence_lens": lengths.astype(np.int64)}
    label, proba = session.run(None, feeds)
    np.testing.assert_allclose(proba, clf.predict_proba(X), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(label, clf.predict(X))


def test_any_batch_size_and_length():
    X, clf = _fitted_classifier(cell="gru")
    session = ort.InferenceSession(to_onnx(clf).SerializeToString())
    for shape in [(1, 1, 3), (7, 11, 3)]:
        X = np.random.RandomState(0).normal(size=shape).astype(np.float32)
        (proba,) = session.run(["probabilities"], {"X": X})
        np.testing.assert_allclose(proba, clf.predict_proba(X), rtol=0, atol=1e-5)


def test_float64_model_agrees_to_float32_precision():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 6, 2))
    reg = RNNRegressor((4,), cell="lstm", max_iter=5, random_state=0)
    reg.fit(X, X[:, :, 0].sum(axis=1))
    assert reg.output_bias_.dtype == np.float64
    outputs = _run(to_onnx(reg), X.astype(np.float32))
    np.testing.assert_allclose(
        outputs["variable"][:, 0], reg.predict(X), rtol=1e-5, atol=1e-5
    )


def test_target_scaling_maps_the_network_outputs_back():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 6, 2)).astype(np.float32)
    reg = RNNRegressor((4,), max_iter=5, random_state=0)
    reg.fit(X, rng.normal(size=(20, 2)).astype(np.float32))
    flat = reg._network.pack(
        {
            **reg.recurrent_weights_,
            "output_weight": reg.output_weight_,
            "output_bias": reg.output_bias_,
        }
    )
    raw = reg._network.forward(flat, X, training=False)[0]
    reg.target_mean_ = np.array([10.0, -3.0])
    reg.target_scale_ = np.array([2.5, 0.5])
    outputs = _run(to_onnx(reg), X)
    expected = raw * reg.target_scale_ + reg.target_mean_
    np.testing.assert_allclose(outputs["variable"], expected, rtol=1e-6, atol=1e-5)


def test_sequence_scaler_is_exact():
    rng = np.random.RandomState(0)
    X = (5 + 3 * rng.normal(size=(10, 4, 3))).astype(np.float32)
    scaler = SequenceScaler().fit(X)
    outputs = _run(to_onnx(scaler), X)
    np.testing.assert_array_equal(outputs["variable"], scaler.transform(X))


def test_pipeline_through_skl2onnx():
    rng = np.random.RandomState(0)
    X = (3 + 2 * rng.normal(size=(30, 6, 3))).astype(np.float32)
    y = rng.randint(0, 3, size=30)
    pipe = Pipeline(
        [
            ("scale", SequenceScaler()),
            ("rnn", RNNClassifier((4,), max_iter=5, random_state=0)),
        ]
    ).fit(X, y)
    register_converters()
    model = skl2onnx.to_onnx(
        pipe,
        initial_types=[("X", FloatTensorType([None, None, 3]))],
        options={id(pipe.steps[-1][1]): {"zipmap": False}},
    )
    onnx.checker.check_model(model, full_check=True)
    label, proba = ort.InferenceSession(model.SerializeToString()).run(None, {"X": X})
    np.testing.assert_allclose(proba, pipe.predict_proba(X), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(label, pipe.predict(X))

    # skl2onnx's default for a classifier: a ZipMap of {label: probability}.
    model = skl2onnx.to_onnx(pipe, X[:1])
    names = [output.name for output in model.graph.output]
    assert names == ["output_label", "output_probability"]
    label, dicts = ort.InferenceSession(model.SerializeToString()).run(None, {"X": X})
    np.testing.assert_array_equal(label, pipe.predict(X))
    assert dicts[0] == pytest.approx(dict(enumerate(pipe.predict_proba(X[:1])[0])))


def test_pipeline_passes_sequence_lens_through_the_scaler():
    rng = np.random.RandomState(0)
    X = (3 + 2 * rng.normal(size=(30, 6, 2))).astype(np.float32)
    lengths = rng.randint(1, 7, size=30)
    lengths[0] = 6
    X[np.arange(6) >= lengths[:, None]] = np.nan
    pipe = Pipeline(
        [
            ("scale", SequenceScaler()),
            ("rnn", RNNRegressor((4,), cell="gru", max_iter=5, random_state=0)),
        ]
    ).fit(X, np.nan_to_num(X).sum(axis=(1, 2)))
    outputs = _run(to_onnx(pipe, sequence_lens=True), X, lengths)
    np.testing.assert_allclose(
        outputs["variable"][:, 0], pipe.predict(X), rtol=0, atol=1e-5
    )


def test_univariate_model_takes_skl2onnx_2d_input():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 7)).astype(np.float32)  # 2-D: univariate series
    reg = RNNRegressor((3,), max_iter=5, random_state=0).fit(X, X.sum(axis=1))
    register_converters()
    model = skl2onnx.to_onnx(reg, X[:1])
    assert [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim] == [
        0,
        7,
    ]
    onnx.checker.check_model(model, full_check=True)
    (values,) = ort.InferenceSession(model.SerializeToString()).run(None, {"X": X})
    np.testing.assert_allclose(values[:, 0], reg.predict(X), rtol=0, atol=1e-5)
    # sk_rnn.onnx.to_onnx reads it as 3-D (batch, n_timesteps, 1), of any length.
    outputs = _run(to_onnx(reg), X[:, :5, None])
    np.testing.assert_allclose(
        outputs["variable"][:, 0], reg.predict(X[:, :5, None]), rtol=0, atol=1e-5
    )


@pytest.mark.parametrize("readout", ["mean", "max"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_pooled_readouts_match_predict_proba(readout, bidirectional):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 7, 3)).astype(np.float32)
    y = rng.randint(0, 3, 30)
    lengths = rng.randint(2, 8, 30)
    padded = X.copy()
    for i, n in enumerate(lengths):
        padded[i, n:] = np.nan
    clf = RNNClassifier(
        (4, 3), readout=readout, bidirectional=bidirectional, random_state=0
    ).fit(X, y)
    clf.output_weight_ *= 3  # confident outputs: a wrong pooling would show
    for data, with_lengths in ((X, False), (padded, True)):
        model = to_onnx(clf, sequence_lens=with_lengths)
        outputs = _run(model, data, lengths if with_lengths else None)
        expected = clf.predict_proba(data)
        _assert_close(outputs["probabilities"], expected, atol=2e-5)
    assert abs(clf.predict_proba(padded) - clf.predict_proba(X)).max() > 0.01


def test_unsupported_activation_is_named():
    _, clf = _fitted_classifier()
    clf = copy.deepcopy(clf)
    clf.cell = clf._network.architecture["cell"] = "rnn"
    clf._network.architecture["activation"] = "softsign"
    with pytest.raises(ValueError, match="activation='softsign' cannot be exported"):
        to_onnx(clf)


def test_labels_that_are_not_integers_or_strings_are_refused():
    # fit refuses such labels; the export guards against classes_ set otherwise.
    _, clf = _fitted_classifier()
    clf.classes_ = np.array([0.5, 1.5, 2.5])
    with pytest.raises(ValueError, match="class labels must be integers"):
        to_onnx(clf)


@pytest.mark.parametrize("labels", [[1.0, 2.0], [False, True]])
def test_integer_like_labels_become_int64(labels):
    X, clf = _fitted_classifier()
    clf.fit(X, np.resize(np.asarray(labels), len(X)))
    label = _run(to_onnx(clf), X)["label"]
    assert label.dtype == np.int64
    np.testing.assert_array_equal(label, clf.predict(X).astype(np.int64))


def test_bad_arguments_are_named():
    _, clf = _fitted_classifier()
    with pytest.raises(ValueError, match="opset 13 or later; got target_opset=12"):
        to_onnx(clf, target_opset=12)
    with pytest.raises(TypeError, match="to_onnx exports a fitted RNNClassifier"):
        to_onnx(LogisticRegression())
    with pytest.raises(NotFittedError):
        to_onnx(RNNClassifier())
    register_converters()
    with pytest.raises(ValueError, match="reads 3 features per step"):
        skl2onnx.to_onnx(clf, initial_types=[("X", FloatTensorType([None, 6]))])
    with pytest.raises(ValueError, match="must be a 1-D int64 or int32 tensor"):
        skl2onnx.to_onnx(
            clf,
            initial_types=[
                ("X", FloatTensorType([None, None, 3])),
                ("sequence_lens", Int64TensorType([None, 2])),
            ],
        )


def test_missing_extra_is_named(monkeypatch):
    _, clf = _fitted_classifier()
    monkeypatch.setitem(sys.modules, "skl2onnx", None)  # import skl2onnx now fails
    with pytest.raises(ImportError, match=r'pip install "sk-rnn\[onnx\]"'):
        to_onnx(clf)


def test_importing_sk_rnn_does_not_import_onnx():
    code = "import sys, sk_rnn, sk_rnn.onnx; print('onnx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("readout", ["last", "max"])
@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_patches_of_steps_match_predict(cell, readout):
    # 6 steps in patches of 4: the last patch completed with zeros, in any length
    X, clf = _fitted_classifier(cell=cell, readout=readout, patch_size=4)
    model = to_onnx(clf)
    _check_valid(model, {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}[cell])
    session = ort.InferenceSession(model.SerializeToString())
    for shape in [(30, 6, 3), (2, 1, 3), (5, 9, 3), (3, 12, 3)]:
        Z = np.random.RandomState(2).normal(size=shape).astype(np.float32)
        label, proba = session.run(None, {"X": Z})
        np.testing.assert_allclose(proba, clf.predict_proba(Z), rtol=0, atol=1e-5)
        np.testing.assert_array_equal(label, clf.predict(Z))


def test_patches_of_ragged_steps_match_predict():
    X, clf = _fitted_classifier(cell="gru", bidirectional=True, patch_size=4)
    lengths = np.array([6, 1, 4, 5, 3] * 6)
    X[np.arange(6) >= lengths[:, None]] = np.nan
    out = _run(to_onnx(clf, sequence_lens=True), X, lengths)
    np.testing.assert_allclose(
        out["probabilities"], clf.predict_proba(X), rtol=0, atol=1e-5
    )


@pytest.mark.parametrize("ragged", [False, True])
def test_the_standardised_inputs_of_patches_match_predict(ragged):
    # Positions of a patch at levels and spreads far from 0 and 1; 7 steps in
    # patches of 3, so that zeros complete the last patch (read as the mean)
    rng = np.random.RandomState(0)
    X = (rng.normal(size=(30, 7, 2)) * [3.0, 0.5] + [400.0, -70.0]).astype(np.float32)
    y = np.array(["a", "b"])[(X[:, 1, 0] > 400).astype(int)]
    lengths = np.where(np.arange(30) % 2 == 0, 7, 5) if ragged else None
    if ragged:
        X[np.arange(7) >= lengths[:, None]] = np.nan
    clf = RNNClassifier(hidden_layer_sizes=(4,), max_iter=5, patch_size=3)
    clf.fit(X, y)
    assert np.all(np.abs(clf._patch_scaling[0]) > 60)  # scaled inputs, far from X
    out = _run(to_onnx(clf, sequence_lens=ragged), X, lengths)
    np.testing.assert_allclose(
        out["probabilities"], clf.predict_proba(X), rtol=0, atol=1e-5
    )


def _sizes_spanning_decades():
    rng = np.random.RandomState(0)
    size = 10.0 ** rng.uniform(-3, 3, size=(30, 1, 1))
    X = (size * rng.normal(size=(30, 12, 2)) * [1.0, 0.0] + [0, 5]).astype(np.float32)
    X[:, :, 1] += rng.normal(size=(30, 12)).astype(np.float32)
    lengths = np.where(np.arange(30) % 3 == 0, 12, 10)
    X[np.arange(12) >= lengths[:, None]] = np.nan
    return X, lengths


def test_a_scaler_dividing_each_sequence_matches_transform():
    X, _ = _sizes_spanning_decades()
    scaler = SequenceScaler().fit(X)
    np.testing.assert_array_equal(scaler.per_sequence_, [True, False])
    out = _run(to_onnx(scaler), X)["variable"]
    np.testing.assert_allclose(out, scaler.transform(X), rtol=1e-5, atol=1e-6)


def test_a_pipeline_dividing_each_sequence_reads_sequence_lens():
    X, lengths = _sizes_spanning_decades()
    pipe = Pipeline(
        [
            ("scale", SequenceScaler()),
            ("rnn", RNNRegressor((4,), cell="gru", max_iter=5, random_state=0)),
        ]
    ).fit(X, lengths.astype(float))
    assert pipe[0].per_sequence_[0]
    outputs = _run(to_onnx(pipe, sequence_lens=True), X, lengths)  # garbage padding
    np.testing.assert_allclose(
        outputs["variable"][:, 0], pipe.predict(X), rtol=0, atol=1e-5
    )


def test_a_scaler_alone_reads_sequence_lens_by_that_name():
    X, lengths = _sizes_spanning_decades()
    scaler = SequenceScaler().fit(X)
    session = ort.InferenceSession(
        to_onnx(scaler, sequence_lens=True).SerializeToString()
    )
    assert [i.name for i in session.get_inputs()] == ["X", "sequence_lens"]
    out = _run(to_onnx(scaler, sequence_lens=True), X, lengths)
    real = ~np.isnan(X)
    np.testing.assert_allclose(
        out["variable"][real], scaler.transform(X)[real], rtol=1e-5, atol=1e-6
    )
    np.testing.assert_array_equal(out["lengths"], lengths)
