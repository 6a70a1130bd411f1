"""``to_onnx``: a fitted model or pipeline as an ONNX model."""

from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._graph import MIN_OPSET
from ._imports import require_onnx
from ._register import register_converters


def to_onnx(estimator, *, sequence_lens=False, target_opset=None):
    """Export a fitted model, or a pipeline starting with one, to ONNX.

    The recurrent layers become ONNX's own ``RNN``, ``LSTM`` and ``GRU`` operators, so
    any ONNX runtime (``onnxruntime``, in the browser, on a phone) computes the
    predictions without Python. Needs the ``onnx`` extra: ``pip install
    "sk-rnn[onnx]"``.

    Parameters
    ----------
    estimator : RNNClassifier, RNNRegressor, SequenceScaler or Pipeline
        A fitted estimator, or a fitted :class:`~sklearn.pipeline.Pipeline` whose
        first step is one of them (later steps may be anything skl2onnx converts).
    sequence_lens : bool, default=False
        Whether the model takes a second input, ``sequence_lens``: the int64
        length of each sequence, of shape ``(batch,)``. The steps after each
        sequence's end are then padding, ignored exactly as ``predict`` ignores
        NaN padding: fill them with zeros, NaN or anything else. Without it,
        every sequence of a batch is read to the last step, and NaN gives NaN.
    target_opset : int or None, default=None
        ONNX opset of the model, at least 13; ``None`` is the latest skl2onnx
        supports.

    Returns
    -------
    model : onnx.ModelProto
        Its input ``X`` takes float32 sequences of shape ``(batch, n_timesteps,
        n_features)``, both leading axes of any size (models fitted on 2-D rows
        too: their input is ``(batch, n_timesteps, n_features_per_step)``, one
        feature a step by default, and with static columns ``n_features_per_step
        + n_static`` features a step, the static ones last and repeated at every
        step). Its outputs follow skl2onnx's
        conventions: a classifier gives ``label`` ``(batch,)`` (int64, or str for
        text labels) and ``probabilities`` ``(batch, n_classes)``; a regressor
        ``variable`` ``(batch, n_outputs)``, also for a single target; a scaler
        ``variable``, the scaled sequences (and ``lengths``, the ``sequence_lens``
        it was given). With ``output_sequence=True`` every
        output has one row per step: ``(batch, n_timesteps, ...)``; rows at
        padded steps hold no prediction.

    Raises
    ------
    ImportError
        If onnx or skl2onnx is missing.
    TypeError
        If ``estimator`` is not one of the types above.
    ValueError
        If ``target_opset`` is below 13, or the model has a structure ONNX cannot
        hold (the message names it).

    See Also
    --------
    register_converters : Register the converters to call ``skl2onnx.to_onnx``
        directly, for example on a pipeline starting with a 2-D scikit-learn step.

    Notes
    -----
    A model fitted in float32 gives ONNX outputs equal to ``predict_proba`` and
    ``predict`` within 1e-5 and identical labels; a float64 model is exported in
    float32 and agrees to float32 precision.

    Examples
    --------
    Run with onnxruntime::

        import onnxruntime as ort
        from sk_rnn.onnx import to_onnx

        model = to_onnx(clf)
        session = ort.InferenceSession(model.SerializeToString())
        label, proba = session.run(None, {"X": X.astype("float32")})
    """
    require_onnx()
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType, Int64TensorType

    from .._estimators import RNNClassifier

    first = _first_step(estimator)
    if target_opset is not None and target_opset < MIN_OPSET:
        raise ValueError(
            f"sk_rnn's models export to ONNX opset {MIN_OPSET} or later; got "
            f"target_opset={target_opset}."
        )
    register_converters()
    inputs = [("X", FloatTensorType([None, None, first._n_input_features]))]
    if sequence_lens:
        inputs.append(("sequence_lens", Int64TensorType([None])))
    return convert_sklearn(
        estimator,
        initial_types=inputs,
        target_opset=target_opset,
        options={RNNClassifier: {"zipmap": False}},
    )


def _first_step(estimator):
    """The sk_rnn estimator that reads the input, checked to be fitted."""
    from .._estimators import RNNClassifier, RNNRegressor, SequenceScaler

    ours = (RNNClassifier, RNNRegressor, SequenceScaler)
    steps = (
        [step for _, step in estimator.steps if step not in (None, "passthrough")]
        if isinstance(estimator, Pipeline)
        else [estimator]
    )
    if not steps or not isinstance(steps[0], ours):
        raise TypeError(
            "to_onnx exports a fitted RNNClassifier, RNNRegressor or SequenceScaler, "
            f"or a Pipeline whose first step is one of them; got {estimator!r}. For "
            "other pipelines call sk_rnn.onnx.register_converters(), then "
            "skl2onnx.to_onnx with the input types of the pipeline's first step."
        )
    for step in steps:
        if isinstance(step, ours):
            check_is_fitted(step)
    return steps[0]
