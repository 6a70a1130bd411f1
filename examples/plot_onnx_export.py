"""
==========================
Deploying a model via ONNX
==========================

:func:`sk_rnn.onnx.to_onnx` turns a fitted model, or a pipeline starting with one,
into an ONNX model. Its recurrent layers become ONNX's own ``GRU`` (or ``RNN``,
``LSTM``) operators, so any ONNX runtime computes the predictions without Python:
a web service, a phone, a browser. Here a pipeline classifying handwritten digits read
row by row is exported, run with ``onnxruntime`` and compared with ``predict_proba``.
Needs the ``onnx`` extra: ``pip install "sk-rnn[onnx]"``.
"""

# %%
# Train a pipeline
# ----------------
# Eight steps of eight pixels, standardised by :class:`~sk_rnn.SequenceScaler`, then
# a GRU. float32 data give a float32 model, computed as the exported one is.
import time

import numpy as np
import onnxruntime as ort
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from sk_rnn import RNNClassifier, SequenceScaler
from sk_rnn.datasets import load_sequential_digits
from sk_rnn.onnx import to_onnx

X, y = load_sequential_digits(return_X_y=True)
X = X.astype(np.float32)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
pipe = make_pipeline(
    SequenceScaler(),
    RNNClassifier(
        hidden_layer_sizes=(32,),
        cell="gru",
        learning_rate_init=0.01,
        max_iter=40,
        random_state=0,
    ),
)
pipe.fit(X_train, y_train)
print(f"scikit-learn pipeline: test accuracy: {pipe.score(X_test, y_test):.3f}")

# %%
# Export and run
# --------------
# The ONNX model takes float32 sequences ``X`` of shape ``(batch, n_timesteps,
# n_features)``, of any batch size and length, and gives ``label`` and
# ``probabilities``. Save it with ``model.SerializeToString()`` (or
# ``onnx.save``); onnxruntime loads those bytes or the file.
model = to_onnx(pipe)
print("inputs:", [i.name for i in model.graph.input])
print("outputs:", [o.name for o in model.graph.output])
print("operators:", sorted({node.op_type for node in model.graph.node}))
session = ort.InferenceSession(
    model.SerializeToString(), providers=["CPUExecutionProvider"]
)
label, proba = session.run(None, {"X": X_test})
difference = np.abs(proba - pipe.predict_proba(X_test)).max()
print(f"max difference of the probabilities: {difference:.2e}")
print(f"labels identical: {np.array_equal(label, pipe.predict(X_test))}")
print(f"onnxruntime: test accuracy: {np.mean(label == y_test):.3f}")

# %%
# Sequences of different lengths
# ------------------------------
# With ``sequence_lens=True`` the model takes a second input, the length of each
# sequence; the steps after it are ignored, as ``predict`` ignores NaN padding.
# Here the digits are cut after their first 5 to 8 rows.
lengths = np.random.RandomState(0).randint(5, 9, size=len(X_test))
X_cut = X_test.copy()
X_cut[np.arange(8) >= lengths[:, None]] = np.nan  # predict's padding
padded = to_onnx(pipe, sequence_lens=True)
padded_session = ort.InferenceSession(
    padded.SerializeToString(), providers=["CPUExecutionProvider"]
)
feeds = {"X": X_cut, "sequence_lens": lengths.astype(np.int64)}
_, proba_cut = padded_session.run(None, feeds)
difference_cut = np.abs(proba_cut - pipe.predict_proba(X_cut)).max()
print(f"cut digits: max difference of the probabilities: {difference_cut:.2e}")

# %%
# Time both
# ---------
# Median time of predicting the test set, over repeated runs.


def median_time(function, repeats=20):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return np.median(times)


sklearn_time = median_time(lambda: pipe.predict_proba(X_test))
onnx_time = median_time(lambda: session.run(None, {"X": X_test}))
print(
    f"{len(X_test)} sequences: predict_proba {1e3 * sklearn_time:.2f} ms, "
    f"onnxruntime {1e3 * onnx_time:.2f} ms"
)
