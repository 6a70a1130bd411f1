"""Export fitted models and pipelines to ONNX, to predict without Python.

:func:`to_onnx` turns a fitted :class:`~sk_rnn.RNNClassifier`,
:class:`~sk_rnn.RNNRegressor`, :class:`~sk_rnn.SequenceScaler`, or a pipeline starting
with one, into an ``onnx.ModelProto`` that ONNX runtimes execute with their native
``RNN``, ``LSTM`` and ``GRU`` operators. :func:`register_converters` makes
``skl2onnx.to_onnx`` convert them too. Both need the ``onnx`` extra (``pip install
"sk-rnn[onnx]"``), imported only when called.
"""

from ._convert import to_onnx
from ._register import register_converters

__all__ = ["register_converters", "to_onnx"]
