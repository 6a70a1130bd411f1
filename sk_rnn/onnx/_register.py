"""skl2onnx's parsers, shape calculators and converters for sk_rnn's estimators.

After :func:`register_converters`, ``skl2onnx.to_onnx`` converts the estimators alone
or inside a :class:`~sklearn.pipeline.Pipeline`, from 3-D input ``(batch, n_timesteps,
n_features)`` or, for univariate series, skl2onnx's usual 2-D input ``(batch,
n_timesteps)``. A second input of integers, the real length of each sequence, makes
the model ignore the steps after each sequence's end.
"""

from ._graph import (
    class_labels,
    convert_classifier,
    convert_regressor,
    convert_scaler,
)
from ._imports import require_onnx

ALIASES = {
    "RNNClassifier": "SkRnnRNNClassifier",
    "RNNRegressor": "SkRnnRNNRegressor",
    "SequenceScaler": "SkRnnSequenceScaler",
}


def register_converters():
    """Register sk_rnn's converters with skl2onnx (again: harmless).

    :func:`to_onnx` calls it; call it yourself before ``skl2onnx.to_onnx`` or
    ``skl2onnx.convert_sklearn`` on a model or pipeline holding sk_rnn's
    estimators. Classifiers take skl2onnx's ``zipmap`` option (default ``True``, as
    for scikit-learn's classifiers; ``False`` gives a probability tensor). With
    ``output_sequence=True`` the probabilities are one per step and stay a tensor.

    Raises
    ------
    ImportError
        If the optional dependencies of the ``onnx`` extra are missing.
    """
    require_onnx()
    from skl2onnx import update_registered_converter

    from .._estimators import RNNClassifier, RNNRegressor, SequenceScaler

    update_registered_converter(
        RNNClassifier,
        ALIASES["RNNClassifier"],
        shape_classifier,
        convert_classifier,
        parser=parse_classifier,
        options={"zipmap": [True, False, "columns"], "nocl": [False]},
    )
    update_registered_converter(
        RNNRegressor,
        ALIASES["RNNRegressor"],
        shape_regressor,
        convert_regressor,
        parser=parse_regressor,
    )
    update_registered_converter(
        SequenceScaler,
        ALIASES["SequenceScaler"],
        shape_scaler,
        convert_scaler,
        parser=parse_scaler,
    )


# ---------------------------------------------------------------- parsers
def _declare_operator(scope, model, inputs):
    operator = scope.declare_local_operator(ALIASES[type(model).__name__], model)
    operator.inputs = list(inputs)
    return operator


def parse_classifier(scope, model, inputs, custom_parsers=None):
    """Outputs ``label`` and ``probabilities``, then skl2onnx's ZipMap if asked."""
    from skl2onnx._parse import _apply_zipmap
    from skl2onnx.common.data_types import FloatTensorType

    operator = _declare_operator(scope, model, inputs)
    label = scope.declare_local_variable("label", _label_type(model)())
    proba = scope.declare_local_variable("probabilities", FloatTensorType())
    operator.outputs.extend([label, proba])
    zipmap = scope.get_options(model, {"zipmap": True})["zipmap"]
    if zipmap is False or model.output_sequence:
        return list(operator.outputs)
    return _apply_zipmap(zipmap, scope, model, inputs[0].type, operator.outputs)


def parse_regressor(scope, model, inputs, custom_parsers=None):
    """One output, ``variable``."""
    from skl2onnx.common.data_types import FloatTensorType

    operator = _declare_operator(scope, model, inputs)
    operator.outputs.append(scope.declare_local_variable("variable", FloatTensorType()))
    return list(operator.outputs)


def parse_scaler(scope, model, inputs, custom_parsers=None):
    """``variable``, and the sequence lengths passed on when given (as
    ``lengths``: the name ``sequence_lens`` is the model's input)."""
    from skl2onnx.common.data_types import FloatTensorType

    operator = _declare_operator(scope, model, inputs)
    operator.outputs.append(scope.declare_local_variable("variable", FloatTensorType()))
    if len(inputs) > 1:
        lengths = scope.declare_local_variable("lengths", inputs[1].type)
        operator.outputs.append(lengths)
    return list(operator.outputs)


# ------------------------------------------------------- shape calculators
def _label_type(model):
    from skl2onnx.common.data_types import Int64TensorType, StringTensorType

    labels = class_labels(model.classes_)
    return StringTensorType if labels.dtype == object else Int64TensorType


def _check_inputs(operator):
    """Validate the operator's inputs; return the batch and time dimensions.

    The first input holds float sequences, ``(batch, n_timesteps, n_features)`` or
    ``(batch, n_timesteps)`` for univariate series; an optional second one the
    integer length of each sequence, ``(batch,)``.
    """
    from skl2onnx.common.data_types import (
        FloatTensorType,
        Int32TensorType,
        Int64TensorType,
    )

    model = operator.raw_operator
    name = type(model).__name__
    if not 1 <= len(operator.inputs) <= 2:
        raise ValueError(
            f"{name}'s ONNX model takes the sequences and optionally their lengths, "
            f"got {len(operator.inputs)} inputs."
        )
    X = operator.inputs[0].type
    if not isinstance(X, FloatTensorType):
        raise ValueError(
            f"{name}'s ONNX model reads float32 sequences, got an input of type {X}."
        )
    shape = list(X.shape)
    n_features = model._n_input_features
    if len(shape) == 2 and n_features != 1:
        raise ValueError(
            f"2-D input (batch, n_timesteps) is a batch of univariate series, but "
            f"{name} reads {n_features} features per step: declare the input 3-D, "
            f"(None, None, {n_features})."
        )
    wrong_features = len(shape) == 3 and shape[2] not in (None, n_features)
    if len(shape) not in (2, 3) or wrong_features:
        raise ValueError(
            f"{name}'s ONNX model reads sequences of shape (batch, n_timesteps, "
            f"{n_features}), got an input of shape {shape}."
        )
    if len(operator.inputs) == 2:
        lengths = operator.inputs[1].type
        if not isinstance(lengths, Int64TensorType | Int32TensorType) or len(
            lengths.shape
        ) not in (0, 1):
            raise ValueError(
                f"The second input of {name}'s ONNX model, the length of each "
                f"sequence, must be a 1-D int64 or int32 tensor, got {lengths}."
            )
    return shape[0], shape[1]


def shape_classifier(operator):
    """``label`` ``(N,)`` and ``probabilities`` ``(N, n_classes)``, or per step."""
    from skl2onnx.common.data_types import FloatTensorType

    model = operator.raw_operator
    batch, steps = _check_inputs(operator)
    leading = [batch, steps] if model.output_sequence else [batch]
    operator.outputs[0].type = _label_type(model)(leading)
    operator.outputs[1].type = FloatTensorType([*leading, len(model.classes_)])


def shape_regressor(operator):
    """``variable`` ``(N, n_outputs)``, or ``(N, n_timesteps, n_outputs)``."""
    from skl2onnx.common.data_types import FloatTensorType

    model = operator.raw_operator
    batch, steps = _check_inputs(operator)
    leading = [batch, steps] if model.output_sequence else [batch]
    operator.outputs[0].type = FloatTensorType([*leading, model.output_bias_.shape[0]])


def shape_scaler(operator):
    """``variable`` of the input's shape, and the lengths as given."""
    from skl2onnx.common.data_types import FloatTensorType

    _check_inputs(operator)
    operator.outputs[0].type = FloatTensorType(list(operator.inputs[0].type.shape))
    if len(operator.inputs) > 1:
        operator.outputs[1].type = operator.inputs[1].type.__class__(
            list(operator.inputs[1].type.shape)
        )
