"""Safe persistence through skops: load our models without executing untrusted code.

``pickle`` and ``joblib`` run arbitrary code on load: use them only for files you made
yourself. For files from anywhere else, use :func:`dump` and :func:`load`, which go
through ``skops.io``: loading builds only the types of :func:`trusted_types` (this
package's own estimators, networks, cells and optimizers, plus what skops trusts by
default: NumPy, SciPy and scikit-learn types) and refuses a file that holds anything
else.
"""

import inspect
import json
import math
import zipfile
import zlib
from numbers import Integral

import numpy as np


def _skops_io():
    try:
        import skops.io as sio
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Saving and loading with skops needs the optional dependency skops: "
            'pip install "sk-rnn[skops]"'
        ) from exc
    return sio


def _qualified_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def trusted_types():
    """Names of this package's own types, which :func:`load` builds without asking.

    Returns
    -------
    names : list of str
        Fully qualified class names, sorted.

    Examples
    --------
    >>> from sk_rnn.io import trusted_types
    >>> "sk_rnn._estimators._classifier.RNNClassifier" in trusted_types()
    True
    """
    from .._backend import CELLS, RecurrentNetwork
    from .._estimators import RNNClassifier, RNNRegressor, SequenceScaler
    from .._train import _optimizers

    classes = {RNNClassifier, RNNRegressor, SequenceScaler, RecurrentNetwork}
    classes.update(CELLS.values())
    classes.update(
        obj
        for obj in vars(_optimizers).values()
        if inspect.isclass(obj) and obj.__module__.startswith("sk_rnn.")
    )
    return sorted(_qualified_name(cls) for cls in classes)


def dump(estimator, file):
    """Save a fitted estimator with ``skops.io``.

    Nothing is written that :func:`load` would refuse: a model holding other
    types than this package's and those skops trusts (a search object, a
    function of a :class:`~sklearn.preprocessing.FunctionTransformer`, another
    library's estimator) is refused here, before the file is written.

    Parameters
    ----------
    estimator : RNNClassifier, RNNRegressor, SequenceScaler or Pipeline
        The model to save: one of this package's estimators, or a
        :class:`~sklearn.pipeline.Pipeline` of trusted steps.
    file : str, path-like or binary file object
        Where to write it (``.skops`` by convention).

    Raises
    ------
    ValueError
        Naming the reason, if :func:`load` would refuse the file; nothing is
        written then.

    See Also
    --------
    load : Load the file back, building only trusted types.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from sk_rnn import RNNClassifier
    >>> from sk_rnn.io import dump, load
    >>> X = np.random.RandomState(0).normal(size=(20, 4, 1))
    >>> clf = RNNClassifier(hidden_layer_sizes=(3,), solver="lbfgs")
    >>> clf = clf.fit(X, X[:, 0, 0] > 0)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skops")
    >>> dump(clf, path)
    >>> load(path).classes_
    array([False,  True])
    """
    sio = _skops_io()
    data = sio.dumps(estimator)
    where = getattr(file, "name", file)
    unknown = sorted(set(sio.get_untrusted_types(data=data)) - set(trusted_types()))
    if unknown:
        raise ValueError(
            f"Refusing to save to {where!s}: load() would refuse the file, which "
            f"would hold types that are not sk_rnn's and not trusted by skops: "
            f"{unknown}. Save the fitted model itself (a search's best_estimator_, "
            "say); for files only you will load, pickle works."
        )
    try:
        _check_model(estimator)
    except ValueError as exc:
        raise ValueError(
            f"Refusing to save to {where!s}: load() would refuse the file, as {exc}"
        ) from None
    if hasattr(file, "write"):  # an open binary file, as skops.io.dump takes
        file.write(data)
    else:
        with open(file, "wb") as stream:
            stream.write(data)


# What load() allocates at most for the arrays of one file, by default.
MAX_BYTES = 2**30


def load(file, *, max_bytes=MAX_BYTES):
    """Load a model saved by :func:`dump`, building only trusted types.

    The file is checked before anything is built: it must be a readable skops
    archive whose arrays (by their declared ``.npy`` headers) and members hold at
    most ``max_bytes`` together; and after: it must hold one of this package's
    estimators, or a :class:`~sklearn.pipeline.Pipeline` of trusted steps, whose
    weights have the shapes the model's architecture gives them.

    Parameters
    ----------
    file : str or path-like
        A file written by :func:`dump` (or ``skops.io.dump``).
    max_bytes : int, default=2**30
        The most memory, in bytes, that the file's arrays and members may declare
        (1 GiB); raise it to load a larger model.

    Returns
    -------
    estimator : RNNClassifier, RNNRegressor, SequenceScaler or Pipeline
        The model, with identical predictions.

    Raises
    ------
    ValueError
        Naming the file and the reason, if the file is not a readable skops
        archive, declares more than ``max_bytes``, holds a type that is neither
        this package's nor trusted by skops, holds anything but an estimator of
        this package or a pipeline of trusted steps, or holds weights whose shapes
        disagree with the model's architecture. Nothing of it is returned.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from sk_rnn import RNNRegressor
    >>> from sk_rnn.io import dump, load
    >>> X = np.random.RandomState(0).normal(size=(20, 4, 1))
    >>> reg = RNNRegressor(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=1000)
    >>> reg = reg.fit(X, X.sum((1, 2)))
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skops")
    >>> dump(reg, path)
    >>> bool((load(path).predict(X) == reg.predict(X)).all())
    True
    """
    sio = _skops_io()
    _check_archive(file, max_bytes)
    trusted = trusted_types()
    try:
        unknown = sorted(set(sio.get_untrusted_types(file=file)) - set(trusted))
    except _CORRUPT as exc:
        raise ValueError(
            f"Refusing to load {file!s}: it is not a readable skops file ({exc!r})."
        ) from None
    if unknown:
        raise ValueError(
            f"Refusing to load {file!s}: it holds types that are not sk_rnn's and not "
            f"trusted by skops: {unknown}."
        )
    try:
        estimator = sio.load(file, trusted=trusted)
    except _CORRUPT as exc:
        raise ValueError(
            f"Refusing to load {file!s}: it is not a readable skops file ({exc!r})."
        ) from None
    try:
        _check_model(estimator)
    except ValueError as exc:
        raise ValueError(f"Refusing to load {file!s}: {exc}") from None
    return estimator


# What a truncated or tampered archive raises inside zipfile, json and skops.
_CORRUPT = (
    zipfile.BadZipFile,
    KeyError,
    IndexError,
    json.JSONDecodeError,
    UnicodeDecodeError,
    EOFError,
    zlib.error,
    TypeError,
    AttributeError,
    ValueError,
)


def _check_archive(file, max_bytes):
    """Refuse an unreadable archive, or one declaring more than ``max_bytes``.

    Reads only the zip directory and the header of each ``.npy`` member, so a
    forged header asking for gigabytes is refused before anything is allocated.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if "schema.json" not in {member.filename for member in members}:
                raise ValueError("it has no schema.json: it is not a skops file")
            total = 0
            for member in members:
                size = member.file_size
                if member.filename.endswith(".npy"):
                    with archive.open(member) as stream:
                        size = max(size, _npy_bytes(stream, member.filename))
                total += size
                if total > max_bytes:
                    raise ValueError(
                        f"its contents declare more than max_bytes={max_bytes:,} "
                        f"bytes ({member.filename} alone {size:,}); pass a larger "
                        "max_bytes if you trust the file"
                    )
    except _CORRUPT as exc:
        if type(exc) is ValueError:
            raise ValueError(f"Refusing to load {file!s}: {exc}.") from None
        raise ValueError(
            f"Refusing to load {file!s}: it is not a readable skops file ({exc!r})."
        ) from None


def _npy_bytes(stream, name):
    """Bytes that the ``.npy`` array in ``stream`` declares, from its header only."""
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
    else:
        shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
    if dtype.hasobject:
        raise ValueError(f"its array {name} holds Python objects")
    return math.prod(int(n) for n in shape) * int(dtype.itemsize)


def _check_model(estimator):
    """Refuse anything but our estimators or a pipeline of trusted steps.

    The fitted weights of each of our estimators must have the shapes that its
    network's architecture gives them.
    """
    from sklearn.base import BaseEstimator
    from sklearn.pipeline import Pipeline

    from .._estimators import RNNClassifier, RNNRegressor, SequenceScaler

    ours = (RNNClassifier, RNNRegressor, SequenceScaler)
    if isinstance(estimator, ours):
        _check_fitted_shapes(estimator)
        return
    if not isinstance(estimator, Pipeline):
        raise ValueError(
            f"it holds a {_qualified_name(type(estimator))}, not an sk_rnn estimator "
            "or a Pipeline of trusted steps."
        )
    steps = estimator.steps
    if not isinstance(steps, list) or not steps:
        raise ValueError("it holds a Pipeline without a list of steps.")
    for step in steps:
        if not (isinstance(step, tuple) and len(step) == 2):
            raise ValueError(
                f"its Pipeline has a step {step!r}, not (name, estimator)."
            )
        name, step_estimator = step
        if step_estimator is None or (
            isinstance(step_estimator, str) and step_estimator == "passthrough"
        ):
            continue
        if not isinstance(step_estimator, BaseEstimator):
            raise ValueError(
                f"its Pipeline step {name!r} is a "
                f"{_qualified_name(type(step_estimator))}, not an estimator."
            )
        if isinstance(step_estimator, ours):
            _check_fitted_shapes(step_estimator)


def _check_fitted_shapes(estimator):
    """Refuse fitted arrays whose shapes disagree with the model's architecture."""
    from .._backend import RecurrentNetwork
    from .._estimators import SequenceScaler

    name = type(estimator).__name__
    if isinstance(estimator, SequenceScaler):
        if not hasattr(estimator, "mean_"):
            return
        n_features = getattr(estimator, "_n_input_features", None)
        for attribute in ("mean_", "scale_"):
            value = getattr(estimator, attribute, None)
            if not _float_array(value) or value.shape != (n_features,):
                raise ValueError(
                    f"its {name}'s {attribute} is {_describe(value)}, not a float "
                    f"array of shape ({n_features},) for {n_features} features."
                )
        divided = getattr(estimator, "per_sequence_", None)
        if not (
            isinstance(divided, np.ndarray)
            and divided.dtype == bool
            and divided.shape == (n_features,)
        ):
            raise ValueError(
                f"its {name}'s per_sequence_ is {_describe(divided)}, not a bool "
                f"array of shape ({n_features},) for {n_features} features."
            )
        reference = getattr(estimator, "reference_std_", None)
        if not (
            _float_array(reference)
            and reference.shape == (n_features,)
            and np.all(reference > 0)
        ):
            raise ValueError(
                f"its {name}'s reference_std_ is {_describe(reference)}, not a "
                f"positive float array of shape ({n_features},) for {n_features} "
                "features."
            )
        return
    network = getattr(estimator, "_network", None)
    if network is None:
        return  # not fitted
    if not isinstance(network, RecurrentNetwork):
        raise ValueError(f"its {name}'s network is a {type(network).__name__}.")
    try:
        architecture = network.architecture
        expected = RecurrentNetwork(
            architecture["cell"],
            network.n_features,
            architecture["hidden_layer_sizes"],
            network.n_outputs,
            activation=architecture["activation"] or "tanh",
            bidirectional=architecture["bidirectional"],
            output_sequence=architecture["output_sequence"],
            readout=architecture.get("readout", "last"),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(
            f"its {name}'s network architecture is not valid ({exc!r})."
        ) from None
    patch = getattr(estimator, "patch_size_", 1)
    if not isinstance(patch, Integral) or isinstance(patch, bool) or patch < 1:
        raise ValueError(f"its {name}'s patch_size_ is {patch!r}, not an int >= 1.")
    n_inputs = getattr(estimator, "_n_input_features", None)
    agrees = (
        expected.architecture == {"readout": "last", **architecture}
        and [(n, tuple(shape)) for n, shape in network.specs] == expected.specs
        and list(network._sizes) == expected._sizes
        and network.n_params == expected.n_params
        and isinstance(n_inputs, Integral)
        and n_inputs * patch == expected.n_features  # a patch's features
        and getattr(estimator, "n_outputs_", None) == expected.n_outputs
    )
    if not agrees:
        raise ValueError(
            f"its {name}'s network does not match its architecture {architecture!r} "
            f"with {n_inputs} features read {patch} steps at a time and "
            f"{getattr(estimator, 'n_outputs_', None)} outputs."
        )
    weights = getattr(estimator, "recurrent_weights_", None)
    if not isinstance(weights, dict):
        raise ValueError(f"its {name}'s recurrent_weights_ is not a dict.")
    arrays = {
        **weights,
        "output_weight": getattr(estimator, "output_weight_", None),
        "output_bias": getattr(estimator, "output_bias_", None),
    }
    expected_shapes = dict(expected.specs)
    extra = sorted(set(arrays) - set(expected_shapes))
    if extra:
        raise ValueError(f"its {name} holds weights of no layer: {extra}.")
    dtype = np.asarray(arrays["output_bias"]).dtype
    for key, shape in expected_shapes.items():
        value = arrays.get(key)
        if not _float_array(value) or value.shape != shape or value.dtype != dtype:
            raise ValueError(
                f"its {name}'s weight {key!r} is {_describe(value)}, but the "
                f"architecture gives it shape {shape} (in {dtype})."
            )
    scaling = getattr(estimator, "_patch_scaling", None)
    if (scaling is None) != (patch == 1) or (
        scaling is not None
        and (not _float_array(scaling) or scaling.shape != (2, expected.n_features))
    ):
        raise ValueError(
            f"its {name}'s patch scaling is {_describe(scaling)}, but patches of "
            f"{patch} steps need {'none' if patch == 1 else (2, expected.n_features)}."
        )
    optimizer = getattr(estimator, "_optimizer", None)
    for attribute, value in vars(optimizer).items() if optimizer is not None else ():
        arrays = value if isinstance(value, list) else []
        if any(np.shape(a) != (expected.n_params,) for a in arrays):
            raise ValueError(
                f"its {name}'s optimizer state {attribute!r} does not have the "
                f"shape of the {expected.n_params} weights."
            )


def _float_array(value):
    return isinstance(value, np.ndarray) and value.dtype.kind == "f"


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"
