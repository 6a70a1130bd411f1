"""ONNX graphs of fitted models, written into a skl2onnx container.

Each ``convert_*`` function is a skl2onnx converter: it reads the fitted estimator
(``operator.raw_operator``) and adds the nodes and constants that compute its
predictions from the operator's inputs into the container. The recurrent layers use
ONNX's own ``RNN``, ``LSTM`` and ``GRU`` operators, fed with the fitted weights after
reordering their gate blocks from PyTorch's layout to ONNX's.
"""

import numpy as np

# The opset whose semantics the graphs use (Squeeze/Unsqueeze axes as an input,
# Softmax over one axis).
MIN_OPSET = 13

ONNX_OPS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}

# ONNX's gate blocks, as indices of PyTorch's: LSTM i,f,g,o -> i,o,f,c; GRU r,z,n ->
# z,r,h.
GATE_ORDER = {"rnn": (0,), "lstm": (0, 3, 1, 2), "gru": (1, 0, 2)}

# The Elman cell's activation as ONNX's RNN names it, with its attributes; the
# identity is Affine(x) = alpha * x + beta with alpha 1 and beta 0, which is exact.
ELMAN_ACTIVATIONS = {
    "tanh": ("Tanh", None),
    "relu": ("Relu", None),
    "identity": ("Affine", (1.0, 0.0)),
}


class GraphBuilder:
    """Adds nodes and constants to a skl2onnx container, each under a unique name.

    Parameters
    ----------
    scope : skl2onnx.common._topology.Scope
        Where unique names come from.
    container : skl2onnx.common._container.ModelComponentContainer
        Where nodes and initializers go.
    """

    def __init__(self, scope, container):
        self.scope = scope
        self.container = container

    def const(self, hint, array):
        """Add a numeric constant and return its name."""
        from onnx import numpy_helper

        name = self.scope.get_unique_variable_name(hint)
        array = np.asarray(array)
        if array.dtype.kind in "iu":  # indices, axes and shapes: int64 everywhere
            array = array.astype(np.int64)
        tensor = numpy_helper.from_array(array, name)
        self.container.add_initializer(name, None, None, tensor)
        return name

    def strings(self, hint, values):
        """Add a 1-D constant of strings and return its name."""
        from onnx import TensorProto

        name = self.scope.get_unique_variable_name(hint)
        content = [str(value).encode("utf-8") for value in values]
        self.container.add_initializer(name, TensorProto.STRING, [len(values)], content)
        return name

    def node(self, op_type, inputs, *, output=None, version=MIN_OPSET, **attrs):
        """Add one node of one output and return the output's name.

        ``output`` names the output (a variable of the model); by default it gets
        a fresh name.
        """
        if output is None:
            output = self.scope.get_unique_variable_name(op_type.lower())
        inputs = list(inputs)
        while inputs and not inputs[-1]:  # optional inputs left out at the end
            inputs.pop()
        self.container.add_node(
            op_type,
            inputs,
            [output],
            op_version=version,
            name=self.scope.get_unique_operator_name(op_type),
            **attrs,
        )
        return output


def check_opset(container):
    """Refuse, with a clear error, an opset older than the graphs need."""
    if container.target_opset < MIN_OPSET:
        raise ValueError(
            f"sk_rnn's models export to ONNX opset {MIN_OPSET} or later; got "
            f"target_opset={container.target_opset}."
        )


def check_exportable(est):
    """Refuse, before any graph is built, a model whose structure ONNX cannot hold.

    Every architecture sk_rnn fits today is exportable; this guards the graph
    against cells, activations and labels it does not know.
    """
    arch = est._network.architecture
    name = type(est).__name__
    if arch["cell"] not in ONNX_OPS:
        raise ValueError(
            f"{name} with cell={arch['cell']!r} cannot be exported to ONNX: only the "
            f"cells {sorted(ONNX_OPS)} are supported."
        )
    if arch["cell"] == "rnn" and arch["activation"] not in ELMAN_ACTIVATIONS:
        raise ValueError(
            f"{name} with activation={arch['activation']!r} cannot be exported to "
            f"ONNX: only the Elman activations {sorted(ELMAN_ACTIVATIONS)} are "
            "supported."
        )
    if hasattr(est, "classes_"):
        class_labels(est.classes_)


def class_labels(classes):
    """The class labels as an ONNX output holds them: int64 or str.

    Integer and boolean labels become int64 and float labels with integer values
    too (as skl2onnx does); other labels are text. Anything else is an error.

    Returns
    -------
    labels : ndarray of shape (n_classes,)
        Of dtype int64 or object (str).
    """
    kind = classes.dtype.kind
    if kind in "iub":
        return classes.astype(np.int64)
    if kind == "f" and np.array_equal(classes, np.round(classes)):
        return classes.astype(np.int64)
    if kind in "US" or kind == "O" and all(isinstance(c, str) for c in classes):
        return classes.astype(str).astype(object)
    raise ValueError(
        f"RNNClassifier with classes_ of dtype {classes.dtype} ({classes[:3]!r}...) "
        "cannot be exported to ONNX: class labels must be integers (or floats of "
        "integer value) or strings."
    )


def float32(array):
    return np.ascontiguousarray(array, dtype=np.float32)


def _reorder_gates(array, order):
    """Reorder the gate blocks stacked along the first axis of ``array``."""
    blocks = np.split(array, len(order))
    return np.concatenate([blocks[i] for i in order])


def _layer_weights(weights, k, directions, cell):
    """ONNX's ``W``, ``R`` and ``B`` of layer ``k``, one row per direction."""
    order = GATE_ORDER[cell]

    def stacked(name):
        return np.stack(
            [_reorder_gates(weights[f"{name}_l{k}{s}"], order) for s in directions]
        )

    biases = np.concatenate([stacked("bias_ih"), stacked("bias_hh")], axis=1)
    return float32(stacked("weight_ih")), float32(stacked("weight_hh")), float32(biases)


def _cell_attributes(arch, n_directions):
    """Attributes of the ONNX operator of the fitted cell."""
    if arch["cell"] == "gru":
        return {"linear_before_reset": 1}  # PyTorch's GRU: r * (W_hn h + b_hn)
    if arch["cell"] == "lstm":
        return {}
    activation, affine = ELMAN_ACTIVATIONS[arch["activation"]]
    attrs = {"activations": [activation] * n_directions}
    if affine is not None:
        attrs["activation_alpha"] = [affine[0]] * n_directions
        attrs["activation_beta"] = [affine[1]] * n_directions
    return attrs


def sequences_3d(g, variable):
    """The input sequences as ``(batch, n_timesteps, n_features)``.

    2-D input ``(batch, n_timesteps)`` is a batch of univariate series.
    """
    if len(variable.type.shape) == 2:
        return g.node("Unsqueeze", [variable.full_name, g.const("axis", [2])])
    return variable.full_name


def network_outputs(g, est, X, lengths=None):
    """Add the recurrent layers and the linear head; return the head's output.

    Parameters
    ----------
    g : GraphBuilder
    est : RNNClassifier or RNNRegressor
        A fitted estimator.
    X : str
        Name of the float sequences ``(batch, n_timesteps, n_features)``.
    lengths : str or None, default=None
        Name of the int64 real length of each sequence, ``(batch,)``; the steps
        after it are padding, ignored exactly as ``predict`` ignores NaN padding.

    Returns
    -------
    Z : str
        Name of the head's pre-activations, ``(batch, n_outputs)``, or
        ``(batch, n_timesteps, n_outputs)`` with ``output_sequence``.
    """
    from onnx import TensorProto

    net, arch = est._network, est._network.architecture
    n_directions = len(net.directions)
    direction = "bidirectional" if n_directions == 2 else "forward"
    lengths32 = ""
    if lengths is not None:
        # predict reads NaN steps as padding: zeros there keep NaN out of the
        # input projections of the whole batch.
        X = g.node("Where", [g.node("IsNaN", [X]), g.const("zero", np.float32(0)), X])
    k = est.patch_size_
    if k > 1:
        X, lengths, real = _patches(g, X, lengths, k, net.n_features)
    if est._patch_scaling is not None:  # each real input standardised, as fitted
        mean, scale = est._patch_scaling
        X = g.node("Div", [X, g.const("scale", float32(scale))])
        X = g.node("Sub", [X, g.const("mean", float32(mean / scale))])
        X = g.node("Mul", [X, real])  # the rest zero, the mean
    if lengths is not None:
        lengths32 = g.node("Cast", [lengths], to=TensorProto.INT32)
    inputs = g.node("Transpose", [X], perm=[1, 0, 2])  # time-major: (T, N, F)
    weights = est.recurrent_weights_
    for k, n_hidden in enumerate(net.hidden_sizes):
        W, R, B = _layer_weights(weights, k, net.directions, arch["cell"])
        Y = g.node(  # (T, n_directions, N, n_hidden)
            ONNX_OPS[arch["cell"]],
            [inputs, g.const("W", W), g.const("R", R), g.const("B", B), lengths32],
            version=7,
            hidden_size=n_hidden,
            direction=direction,
            **_cell_attributes(arch, n_directions),
        )
        if k + 1 < len(net.hidden_sizes):  # the next layer reads (T, N, D * H)
            inputs = g.node("Transpose", [Y], perm=[0, 2, 1, 3])
            inputs = g.node("Reshape", [inputs, _merge_last_two(g)])
    weight, bias = float32(est.output_weight_), float32(est.output_bias_)
    if arch["output_sequence"]:
        states = g.node("Transpose", [Y], perm=[2, 0, 1, 3])  # (N, T, D, H)
        states = g.node("Reshape", [states, _merge_last_two(g)])  # (N, T, D * H)
        Z = g.node("MatMul", [states, g.const("weight_t", float32(weight.T))])
        return g.node("Add", [Z, g.const("bias", bias)])
    readout = arch.get("readout", "last")
    if readout == "last":
        read = _last_states(g, Y, lengths, n_directions)
    else:
        read = _pooled_states(g, Y, lengths, readout)
    return g.node(
        "Gemm", [read, g.const("weight", weight), g.const("bias", bias)], transB=1
    )


def _patches(g, X, lengths, k, n_inputs):
    """Every ``k`` steps of ``X`` as one step of ``n_inputs`` features, as
    ``patch_size`` reads them: zeros complete the last patch, and each length
    becomes ``ceil(length / k)``. The third result is 1 where a patch holds a
    real step and 0 elsewhere (padding, the zeros completing a patch), in the
    patches' shape."""
    from onnx import TensorProto, numpy_helper

    shape = g.node("Shape", [X])
    n_steps = g.node("Gather", [shape, g.const("axis", _shape(1))])
    one = numpy_helper.from_array(np.ones(1, np.float32))
    real_values = g.node("ConstantOfShape", [shape], value=one)
    if lengths is not None:  # zeros after each end, which the last patch reads
        real = _before_end(g, X, lengths)
        X = g.node("Where", [real, X, g.const("zero", np.float32(0))])
        real = g.node("Cast", [real], to=TensorProto.FLOAT)
        real_values = g.node("Mul", [real_values, real])
    patch = g.const("patch", _shape(k))
    missing = g.node(
        "Mod", [g.node("Sub", [patch, g.node("Mod", [n_steps, patch])]), patch]
    )
    pads = g.node(
        "Concat",
        [g.const("pads", _shape(0, 0, 0, 0)), missing, g.const("pads", _shape(0))],
        axis=0,
    )
    patched = []
    for Z in (X, real_values):
        Z = g.node("Pad", [Z, pads, g.const("zero", np.float32(0))])
        to_patches = g.const("shape", _shape(0, -1, n_inputs))
        patched.append(g.node("Reshape", [Z, to_patches]))
    if lengths is not None:
        lengths = g.node(
            "Div",
            [
                g.node("Add", [lengths, g.const("rest", np.int64(k - 1))]),
                g.const("patch", np.int64(k)),
            ],
        )
    return patched[0], lengths, patched[1]


def _before_end(g, X, lengths):
    """Which steps of ``X`` come before their sequence's length: bool ``(N, T, 1)``."""
    n_steps = g.node("Gather", [g.node("Shape", [X]), g.const("axis", _shape(1))])
    steps = g.node(
        "Range",
        [
            g.const("start", np.int64(0)),
            g.node("Squeeze", [n_steps]),
            g.const("delta", np.int64(1)),
        ],
    )
    return g.node(
        "Less",
        [
            g.node("Unsqueeze", [steps, g.const("axis", _shape(0, 2))]),
            g.node("Unsqueeze", [lengths, g.const("axis", _shape(1, 2))]),
        ],
    )


def _merge_last_two(g):
    """The shape that merges the directions and units of states: ``(., ., D * H)``."""
    return g.const("shape", np.array([0, 0, -1], dtype=np.int64))


def _last_states(g, Y, lengths, n_directions):
    """What the head reads: the forward state at each sequence's last real step,
    beside the backward state at step 0 when bidirectional, ``(N, D * H)``."""
    from onnx import TensorProto

    forward = g.node("Gather", [Y, g.const("forward", np.int64(0))], axis=1)
    if lengths is None:
        last = g.node("Gather", [forward, g.const("last", np.int64(-1))], axis=0)
    else:
        steps = g.node("Cast", [lengths], to=TensorProto.INT64)
        steps = g.node("Sub", [steps, g.const("one", np.int64(1))])
        steps = g.node("Unsqueeze", [steps, g.const("axis", [1])])  # (N, 1)
        batch_major = g.node("Transpose", [forward], perm=[1, 0, 2])  # (N, T, H)
        last = g.node("GatherND", [batch_major, steps], version=12, batch_dims=1)
    if n_directions == 1:
        return last
    first = g.node("Gather", [Y, g.const("first", np.int64(0))], axis=0)  # (D, N, H)
    backward = g.node("Gather", [first, g.const("backward", np.int64(1))], axis=0)
    return g.node("Concat", [last, backward], axis=1)


def _pooled_states(g, Y, lengths, readout):
    """The mean, or each unit's maximum, of the states over the real steps,
    ``(N, D * H)``, from ``Y`` of shape ``(T, D, N, H)``."""
    from onnx import TensorProto

    n_steps = g.node("Gather", [g.node("Shape", [Y]), g.const("time", np.int64(0))])
    if lengths is None:
        count = g.node("Cast", [n_steps], to=TensorProto.FLOAT)  # a scalar
    else:
        steps = g.node(
            "Range",
            [g.const("start", np.int64(0)), n_steps, g.const("delta", np.int64(1))],
        )
        steps = g.node("Reshape", [steps, g.const("shape", _shape(-1, 1, 1, 1))])
        n = g.node("Cast", [lengths], to=TensorProto.INT64)
        real = g.node(  # (T, 1, N, 1)
            "Less",
            [steps, g.node("Reshape", [n, g.const("shape", _shape(1, 1, -1, 1))])],
        )
        fill = np.float32(0.0 if readout == "mean" else -np.inf)
        Y = g.node("Where", [real, Y, g.const("fill", fill)])  # padding never counts
        count = g.node("Cast", [n], to=TensorProto.FLOAT)
        count = g.node("Reshape", [count, g.const("shape", _shape(1, -1, 1))])
    if readout == "mean":
        total = g.node("ReduceSum", [Y, g.const("axes", _shape(0))], keepdims=0)
        pooled = g.node("Div", [total, count])  # (D, N, H)
    else:  # ArgMax and GatherElements keep one form in every opset
        peak = g.node("ArgMax", [Y], axis=0, keepdims=1)
        pooled = g.node("GatherElements", [Y, peak], axis=0)
        pooled = g.node("Squeeze", [pooled, g.const("axes", _shape(0))])
    pooled = g.node("Transpose", [pooled], perm=[1, 0, 2])  # (N, D, H)
    return g.node("Reshape", [pooled, g.const("shape", _shape(0, -1))])


def _shape(*values):
    return np.array(values, dtype=np.int64)


def _model_inputs(g, operator):
    """Names of the sequences (3-D) and of the lengths (or None) of an operator."""
    X = sequences_3d(g, operator.inputs[0])
    lengths = operator.inputs[1].full_name if len(operator.inputs) > 1 else None
    return X, lengths


def convert_classifier(scope, operator, container):
    """skl2onnx converter of :class:`~sk_rnn.RNNClassifier`: label, probabilities."""
    from onnx import TensorProto

    check_opset(container)
    est = operator.raw_operator
    check_exportable(est)
    g = GraphBuilder(scope, container)
    Z = network_outputs(g, est, *_model_inputs(g, operator))
    label, proba = (variable.full_name for variable in operator.outputs[:2])
    if est.output_bias_.shape[0] == 1:  # binary: one logistic output
        p = g.node("Sigmoid", [Z])
        q = g.node("Sub", [g.const("one", np.float32(1)), p])
        g.node("Concat", [q, p], axis=-1, output=proba)
        positive = g.node("Squeeze", [p, g.const("axis", [-1])])
        index = g.node("Greater", [positive, g.const("half", np.float32(0.5))])
        index = g.node("Cast", [index], to=TensorProto.INT64)
    else:
        g.node("Softmax", [Z], axis=-1, output=proba)
        index = g.node("ArgMax", [proba], axis=-1, keepdims=0)
    labels = class_labels(est.classes_)
    if labels.dtype == object:
        classes = g.strings("classes", labels)
    else:
        classes = g.const("classes", labels)
    g.node("Gather", [classes, index], axis=0, output=label)


def convert_regressor(scope, operator, container):
    """skl2onnx converter of :class:`~sk_rnn.RNNRegressor`: variable."""
    check_opset(container)
    est = operator.raw_operator
    check_exportable(est)
    g = GraphBuilder(scope, container)
    Z = network_outputs(g, est, *_model_inputs(g, operator))
    g.node("Identity", [target_units(g, est, Z)], output=operator.outputs[0].full_name)


def target_units(g, est, Z):
    """Map the network's outputs to the original units of the targets.

    A regressor that standardises its targets keeps ``target_mean_`` and
    ``target_scale_`` (both of shape ``(n_outputs,)``); its predictions are ``Z *
    target_scale_ + target_mean_``. Without them ``Z`` is returned as it is.
    """
    mean = getattr(est, "target_mean_", None)
    scale = getattr(est, "target_scale_", None)
    if scale is not None:
        Z = g.node("Mul", [Z, g.const("target_scale", float32(scale))])
    if mean is not None:
        Z = g.node("Add", [Z, g.const("target_mean", float32(mean))])
    return Z


def convert_scaler(scope, operator, container):
    """skl2onnx converter of :class:`~sk_rnn.SequenceScaler`.

    The arithmetic runs in float64, as ``transform`` does, so that the result is
    the same float32 value. A second input (the sequence lengths) passes through.
    """
    from onnx import TensorProto

    check_opset(container)
    est = operator.raw_operator
    g = GraphBuilder(scope, container)
    X = g.node("Cast", [operator.inputs[0].full_name], to=TensorProto.DOUBLE)
    lengths = operator.inputs[1].full_name if len(operator.inputs) > 1 else None
    if est.per_sequence_.any():
        X = _rescale_sequences(g, X, lengths, est.per_sequence_, est.reference_std_)
    X = g.node("Sub", [X, g.const("mean", np.asarray(est.mean_, np.float64))])
    X = g.node("Div", [X, g.const("scale", np.asarray(est.scale_, np.float64))])
    g.node("Cast", [X], to=TensorProto.FLOAT, output=operator.outputs[0].full_name)
    if lengths is not None:
        g.node("Identity", [lengths], output=operator.outputs[1].full_name)


def _rescale_sequences(g, X, lengths, rescaled, reference):
    """The features ``rescaled`` of each sequence scaled from their standard
    deviation ``s`` over its real steps (not NaN, and before ``lengths``) to
    ``1 + log10(s / reference)``, at least 1, as ``per_sequence``."""
    from onnx import TensorProto

    real = g.node("Not", [g.node("IsNaN", [X])])
    if lengths is not None:
        real = g.node("And", [real, _before_end(g, X, lengths)])
    zero, one = g.const("zero", np.float64(0)), g.const("one", np.float64(1))
    axis = g.const("axis", _shape(1))

    def steps_sum(Z):  # (N, 1, F)
        return g.node("ReduceSum", [g.node("Where", [real, Z, zero]), axis])

    count = g.node("ReduceSum", [g.node("Cast", [real], to=TensorProto.DOUBLE), axis])
    mean = g.node("Div", [steps_sum(X), count])
    deviation = g.node("Sub", [X, mean])
    variance = g.node("Div", [steps_sum(g.node("Mul", [deviation, deviation])), count])
    std = g.node("Sqrt", [variance])
    ratio = g.node(
        "Div", [std, g.const("reference", np.asarray(reference, np.float64))]
    )
    decades = g.node(
        "Div",
        [g.node("Log", [g.node("Max", [ratio, one])]), g.const("ln10", np.log(10.0))],
    )
    varies = g.node("Greater", [std, zero])
    factor = g.node(
        "Div", [g.node("Add", [one, decades]), g.node("Where", [varies, std, one])]
    )
    factor = g.node("Where", [varies, factor, one])
    factor = g.node("Where", [g.const("rescaled", np.asarray(rescaled)), factor, one])
    return g.node("Mul", [X, factor])
