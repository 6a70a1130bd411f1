"""The optional dependencies of the ``onnx`` extra, imported only when needed."""


def require_onnx():
    """Import ``onnx`` and ``skl2onnx``, or name the extra that installs them."""
    try:
        import onnx  # noqa: F401
        import skl2onnx  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "Exporting to ONNX needs the optional dependencies onnx and skl2onnx "
            '(and onnxruntime to run the models): pip install "sk-rnn[onnx]"'
        ) from exc
