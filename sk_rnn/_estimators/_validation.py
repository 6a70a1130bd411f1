"""The input contract: what ``X`` may be, checked before any math runs.

- 3-D ``X`` is ``(n_samples, n_timesteps, n_features)``.
- 2-D ``X`` is a batch of univariate series ``(n_samples, n_timesteps)``, exactly
  ``X[:, :, None]``; or, with ``n_features_per_step=k``, flat multivariate rows
  ``(n_samples, n_timesteps * k)`` read in C order, exactly ``X.reshape(n, -1, k)``.
  With ``n_timesteps=T``, the first ``T * k`` columns are the sequence and any
  columns after them are static (per-sample) features, which the network reads
  beside every step's features: ``k + n_static`` inputs a step.
  scikit-learn's contract then holds: ``n_features_in_`` is the number of columns,
  and ``predict`` on 2-D input needs that many columns. Predict series of other
  lengths by passing them as 3-D ``(n_samples, n_timesteps, k)``.
- A model fitted on 3-D data predicts sequences of any length with the fitted number of
  features; if that number is one, 2-D input of any length is read as univariate.
  3-D (and list) input to fit has no static columns: with ``n_timesteps`` set, its
  (padded) number of steps must be ``n_timesteps``. A model fitted on 2-D rows with
  static columns reads 3-D input of ``k + n_static`` features a step, the static
  ones last and repeated at every step, as the network reads them.
- Sequences of different lengths come as a list of ``(n_timesteps_i, n_features)``
  (or 1-D) arrays, or as an array padded with NaN after the end of shorter sequences
  (the tslearn convention). NaN anywhere else is an error.
"""

import sys
from numbers import Real

import numpy as np
from sklearn.utils._missing import is_pandas_na, is_scalar_nan
from sklearn.utils.validation import _check_sample_weight, check_array, validate_data

from ._mistakes import refuse_containers

FLOAT_DTYPES = (np.float64, np.float32)


def _is_ragged(X):
    """Whether ``X`` is a sequence of arrays that NumPy cannot stack.

    A 1-D object array of arrays, as NumPy makes of ragged sequences, counts, and
    so does a pandas Series of arrays (a DataFrame column of sequences).
    """
    if hasattr(X, "to_numpy") and getattr(X, "ndim", None) == 1:
        X = X.to_numpy()  # a Series: its values
    if isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1:
        return len(X) > 0 and all(np.ndim(seq) >= 1 for seq in X)
    if hasattr(X, "ndim") or not isinstance(X, list | tuple) or not X:
        return False
    try:
        np.asarray(X)
    except ValueError:
        return True
    return False


def _check_numeric(X, input_name):
    """Refuse text, dates and durations, which NumPy would read as numbers."""
    # an array's or Series' dtype and values, or a DataFrame's, one per column
    if hasattr(X, "dtype"):
        columns = [(X.dtype, X, input_name)]
    elif hasattr(X, "dtypes") and hasattr(X, "iloc"):
        columns = [
            (
                dtype,
                X.iloc[:, j] if getattr(dtype, "kind", None) == "O" else None,
                f"{input_name} column {label!r}",
            )
            for j, (label, dtype) in enumerate(X.dtypes.items())
        ]
    else:
        columns = []
    for dtype, values, name in columns:
        kind = getattr(dtype, "kind", None)
        if kind == "O" and _holds_text(values):  # pandas' string dtype is one
            kind = "U"
        if kind == "V":
            raise TypeError(
                f"{name} has the structured dtype {dtype}: its fields are not "
                "features. Convert it first, e.g. with "
                "numpy.lib.recfunctions.structured_to_unstructured."
            )
        if kind in ("m", "M"):
            raise TypeError(
                f"{name} has dtype {dtype}: dates and durations are not numbers to "
                "learn from. Convert them first, e.g. to elapsed seconds as floats."
            )
        if kind in ("U", "S"):
            raise TypeError(
                f"{name} has dtype {dtype}: strings are not numbers to learn from. "
                "Convert them first: with .astype(float) if they are numbers written "
                "as text, with an encoder if they are categories."
            )


def _as_numbers(X, input_name):
    """``X`` (an array, a DataFrame, or one sequence of a list) checked to hold
    numbers, with nested lists as one array (their dtype, once) and pandas'
    ``NA`` as NaN; the cast to float is ``check_array``'s."""
    if isinstance(X, list | tuple):
        X = np.asarray(X)
    _check_numeric(X, input_name)
    return _missing_as_nan(X)


def _missing_as_nan(X):
    """pandas' ``NA`` in an object array or Series, or in object columns of a
    DataFrame, read as NaN (``None`` already is), so that the NaN checks name where
    it is. Without pandas imported there is no ``NA`` to find."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return X
    if hasattr(X, "columns"):  # a DataFrame: its object columns
        columns = [c for c, d in X.dtypes.items() if getattr(d, "kind", None) == "O"]
        if columns and X[columns].isna().to_numpy().any():
            X = X.copy()
            X[columns] = X[columns].astype(object).mask(X[columns].isna(), np.nan)
        return X
    if getattr(getattr(X, "dtype", None), "kind", None) != "O":
        return X
    X = X.to_numpy() if hasattr(X, "to_numpy") else X  # an object Series
    if not isinstance(X, np.ndarray) or X.ndim == 0 or not X.size:
        return X
    missing = pd.isna(X)
    return np.where(missing, np.nan, X) if missing.any() else X


def _holds_text(values):
    """Whether an object array (or pandas column) holds a str or bytes."""
    types = set(map(type, np.ravel(np.asarray(values, dtype=object))))
    return any(issubclass(kind, str | bytes) for kind in types)


def _pad_ragged(X, name, input_name):
    """Stack a list of sequences into one NaN-padded 3-D float array."""
    sequences = []
    for i, seq in enumerate(X):
        try:
            shape = np.shape(seq)
        except ValueError as exc:
            raise ValueError(
                f"Sequence {i} of {input_name} is not a rectangular array: its steps "
                "have different numbers of features."
            ) from exc
        if len(shape) not in (1, 2) or 0 in shape:
            raise ValueError(
                f"{name} expects each sequence of a list as an array of shape "
                f"(n_timesteps, n_features) or (n_timesteps,), with at least one "
                f"step and one feature; sequence {i} of {input_name} has shape "
                f"{shape}."
            )
        seq = _as_numbers(seq, f"Sequence {i} of {input_name}")
        seq = check_array(  # NaN is read with the padding, as in arrays
            seq,
            ensure_2d=False,
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
            input_name=f"sequence {i} of {input_name}",
        )
        sequences.append(seq[:, None] if seq.ndim == 1 else seq)
    n_features = {seq.shape[1] for seq in sequences}
    if len(n_features) > 1:
        raise ValueError(
            f"All sequences must have the same number of features; got "
            f"{sorted(n_features)}."
        )
    dtype = np.result_type(*sequences)
    padded = np.full(
        (len(sequences), max(len(s) for s in sequences), n_features.pop()),
        np.nan,
        dtype=dtype,
    )
    for i, seq in enumerate(sequences):
        padded[i, : len(seq)] = seq
    return padded


def sequence_lengths(X, input_name="X"):
    """Read trailing NaN padding: return the real lengths and X with zeros there.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Float array; only NaN (never inf) may remain in it.
    input_name : str, default="X"
        What the error messages call ``X``.

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        ``X`` itself when nothing is padded, else a copy with zeros for padding.
    lengths : ndarray of shape (n_samples,) or None
        Real length of each sequence; ``None`` when none is padded.
    """
    nan = np.isnan(X)
    if not nan.any():
        return X, None
    nan_step = nan.all(axis=2)
    partial = nan.any(axis=2) & ~nan_step
    if partial.any():
        i, t = np.argwhere(partial)[0]
        raise ValueError(
            f"Input {input_name} contains NaN in some but not all features of "
            f"sequence {i} at step {t}; only whole padding steps after a sequence's "
            "end may be NaN."
        )
    n_steps = X.shape[1]
    # Real length = position after the last non-padding step.
    real = ~nan_step
    lengths = np.where(real.any(axis=1), n_steps - np.argmax(real[:, ::-1], axis=1), 0)
    if (lengths == 0).any():
        raise ValueError(
            f"Input {input_name} contains NaN in every step of sequence "
            f"{int(np.argmin(lengths))}: a sequence needs at least one real step."
        )
    inner = nan_step & (np.arange(n_steps) < lengths[:, None])
    if inner.any():
        i, t = np.argwhere(inner)[0]
        raise ValueError(
            f"Input {input_name} contains NaN inside sequence {i} at step {t}; only "
            "padding after a sequence's last real step may be NaN."
        )
    X = np.where(nan, 0.0, X).astype(X.dtype, copy=False)
    return X, (None if (lengths == n_steps).all() else lengths)


def check_sequences(estimator, X, *, reset, dtype=FLOAT_DTYPES, input_name="X"):
    """Validate ``X`` and return it as a zero-padded 3-D float array and lengths.

    Parameters
    ----------
    estimator : estimator instance
        Where ``n_features_in_`` (and ``_n_input_features``, ``_fit_on_2d``) are set
        when ``reset`` is true and read otherwise.
    X : array-like of shape (n_samples, n_timesteps, n_features) or \
            (n_samples, n_timesteps), or list of arrays of shape \
            (n_timesteps_i, n_features)
        Sequences; trailing NaN steps are padding.
    reset : bool
        Whether this is the first call of ``fit``.
    dtype : dtype or tuple of dtypes, default=(float64, float32)
        The dtype to return; a value too large for it is an error (as inf is), not
        an overflow to inf.
    input_name : str, default="X"
        What the error messages call ``X`` (``"X_val"`` for a validation set).

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Padding replaced by zeros.
    lengths : ndarray of shape (n_samples,) or None
        Real length of each sequence; ``None`` when none is padded.
    """
    name = type(estimator).__name__
    refuse_containers(X, input_name)
    ragged = _is_ragged(X)
    if ragged:
        X = _pad_ragged(X, name, input_name)
    else:
        X = _as_numbers(X, f"Input {input_name}")
    ndim = _ndim(X)
    fit_on_2d = getattr(estimator, "_fit_on_2d", False)
    # A value too large for dtype becomes inf in the cast, which the checks name
    # (and -inf beside it, whose sum with inf is NaN).
    finite = {"ensure_all_finite": "allow-nan"}
    if reset:
        estimator._n_features_per_step = None  # then read from the parameter
        estimator.__dict__.pop("_n_timesteps", None)
    if ndim == 2 and (reset or fit_on_2d):
        # scikit-learn's own checks: inf and dtype under our name for X, then
        # feature names and column count.
        with np.errstate(over="ignore", invalid="ignore"):
            array = check_array(
                X,
                dtype=dtype,
                ensure_min_features=1,
                input_name=input_name,
                estimator=estimator,
                **finite,
            )
        # A DataFrame's column count is left to scikit-learn, which first compares
        # its column names with those seen in fit.
        wrong_length = not reset and array.shape[1] != estimator.n_features_in_
        if wrong_length and not hasattr(X, "columns"):
            width = features_per_step(estimator)
            n_static = estimator._n_input_features - width
            layout = (
                f"{n_timesteps_of(estimator)} timesteps of {width} feature(s) "
                f"followed by {n_static} static column(s)"
                if n_timesteps_of(estimator) is not None
                else f"timesteps of {width} feature(s)"
            )
            raise ValueError(
                f"{input_name} has {array.shape[1]} features, but {name} is "
                f"expecting {estimator.n_features_in_} features as input: fitted on "
                f"2-D X, it reads the columns of 2-D input as {layout}. Pass "
                "series of other lengths as 3-D (n_samples, n_timesteps, "
                f"{estimator._n_input_features})."
            )
        validate_data(estimator, X, reset=reset, skip_check_array=True)
        X, static = split_rows(estimator, array, input_name)
        if reset:
            estimator._fit_on_2d = True
            estimator._n_features_per_step = X.shape[2]
            estimator._n_timesteps = X.shape[1] if static is not None else None
            estimator._n_input_features = X.shape[2] + (
                0 if static is None else static.shape[1]
            )
        X, lengths = sequence_lengths(X, input_name)
        if static is not None:
            X = _join_static(X, lengths, static, input_name)
        return X, lengths
    if ndim in (2, 3):
        with np.errstate(over="ignore", invalid="ignore"):
            X = check_array(
                X, dtype=dtype, allow_nd=True, input_name=input_name, **finite
            )
        X = unflatten(estimator, X, input_name) if ndim == 2 else X
    else:
        hint = (
            "X.reshape(1, -1) for one univariate series"
            if ndim == 1
            else "merge the extra axes into the features: X.reshape(n_samples, "
            "n_timesteps, -1)"
            if ndim > 3
            else "an array of sequences"
        )
        raise ValueError(
            f"{name} expects {input_name} of shape (n_samples, n_timesteps, "
            "n_features), or (n_samples, n_timesteps) for univariate series; got a "
            f"{ndim}-D array of shape {np.shape(X)}. Reshape your data, e.g. "
            f"{hint}."
        )
    n_samples, n_timesteps_in, n_features = X.shape
    if n_samples == 0 or n_timesteps_in == 0 or n_features == 0:
        raise ValueError(
            f"Found array with shape {X.shape}: {name} needs at least one sample, "
            "one timestep and one feature."
        )
    per_step = getattr(estimator, "n_features_per_step", None)
    if reset and per_step is not None and n_features != per_step:
        raise ValueError(
            f"{input_name} has {n_features} features per timestep, but "
            f"n_features_per_step={per_step}."
        )
    n_timesteps = getattr(estimator, "n_timesteps", None)
    if reset and n_timesteps is not None and n_timesteps != n_timesteps_in:
        form = "a list of sequences, padded to" if ragged else f"{ndim}-D, with"
        raise ValueError(
            f"{input_name} is {form} {n_timesteps_in} timesteps, but "
            f"n_timesteps={n_timesteps}. Sequences given as 3-D arrays or lists "
            "have no static columns (those come only with 2-D rows); set "
            "n_timesteps=None to fit on sequences of any length."
        )
    if reset:
        validate_data(estimator, X[:1, 0, :], reset=True, skip_check_array=True)
        estimator._fit_on_2d = False
        estimator._n_input_features = n_features
        estimator._n_features_per_step = per_step or 1
        estimator._n_timesteps = None
    elif n_features != estimator._n_input_features:
        one_sequence = ndim == 2 and n_timesteps_in == estimator._n_input_features
        n_static = n_static_features(estimator)
        raise ValueError(
            f"{input_name} has {n_features} features per timestep, but {name} is "
            f"expecting {estimator._n_input_features} features per timestep as input."
            + (
                f" If {input_name} is one sequence of {n_samples} steps, add the "
                f"sample axis: {input_name}[None], of shape (1, {n_samples}, "
                f"{n_timesteps_in})."
                if one_sequence
                else ""
            )
            + (
                f" Fitted on rows with {n_static} static column(s), it reads a "
                f"step as its {features_per_step(estimator)} feature(s) followed by "
                "the static ones, repeated at every step."
                if n_static
                else ""
            )
        )
    return sequence_lengths(X, input_name)


def unflatten(estimator, X, input_name="X"):
    """Read 2-D rows as sequences: ``n_features_per_step`` features a step.

    Parameters
    ----------
    estimator : estimator instance
        Its ``n_features_per_step`` (``None``: one feature a step) says how to read.
    X : ndarray of shape (n_samples, n_timesteps * n_features_per_step)
        Flat rows, each the C-order ``reshape(-1)`` of one sequence.
    input_name : str, default="X"
        What the error messages call ``X``.

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, n_features_per_step)
        A view of ``X``.
    """
    per_step = features_per_step(estimator)
    if X.shape[1] % per_step:
        raise ValueError(
            f"{input_name} has {X.shape[1]} columns, which is not a multiple of "
            f"n_features_per_step={per_step}: each row must hold whole timesteps of "
            f"{per_step} features, laid out as X3d.reshape(n_samples, -1). Set "
            "n_timesteps to read the columns after the sequence as static "
            "features (as ClassifierChain and RegressorChain append them)."
        )
    return X.reshape(X.shape[0], -1, per_step)


def split_rows(estimator, X, input_name="X"):
    """Read 2-D rows as sequences and, with ``n_timesteps``, static columns.

    Parameters
    ----------
    estimator : estimator instance
        Its ``n_features_per_step`` and ``n_timesteps`` (as fitted, else as the
        parameters say) tell how to read.
    X : ndarray of shape (n_samples, n_columns)
        Flat rows: the C-order ``reshape(-1)`` of one sequence each, then (with
        ``n_timesteps`` set) its static features.
    input_name : str, default="X"
        What the error messages call ``X``.

    Returns
    -------
    sequences : ndarray of shape (n_samples, n_timesteps, n_features_per_step)
        A view of ``X``.
    static : ndarray of shape (n_samples, n_static) or None
        The columns after the sequence; ``None`` without ``n_timesteps``.
    """
    n_timesteps = n_timesteps_of(estimator)
    if n_timesteps is None:
        return unflatten(estimator, X, input_name), None
    per_step = features_per_step(estimator)
    n_sequence = n_timesteps * per_step
    if X.shape[1] < n_sequence:
        raise ValueError(
            f"{input_name} has {X.shape[1]} columns, fewer than the "
            f"n_timesteps * n_features_per_step = {n_timesteps} * {per_step} = "
            f"{n_sequence} that hold the sequence; any columns after those are "
            "static features."
        )
    sequences = X[:, :n_sequence].reshape(X.shape[0], n_timesteps, per_step)
    return sequences, X[:, n_sequence:]


def _join_static(X, lengths, static, input_name):
    """Append the static features to every real step (zeros at padding)."""
    missing = np.isnan(static)
    if missing.any():
        i, j = np.argwhere(missing)[0]
        raise ValueError(
            f"Input {input_name} contains NaN in static column {j} (column "
            f"{X.shape[1] * X.shape[2] + j} of the row) of sample {i}: only the "
            "sequence's steps may be padding."
        )
    repeated = np.broadcast_to(
        static[:, None, :], (X.shape[0], X.shape[1], static.shape[1])
    )
    X = np.concatenate([X, repeated.astype(X.dtype, copy=False)], axis=2)
    if lengths is not None:
        X[np.arange(X.shape[1]) >= lengths[:, None]] = 0.0
    return X


def n_timesteps_of(estimator):
    """Steps of the sequence in a 2-D row: as fitted (``None`` when fitted on 3-D
    input or without static columns), else as the parameter says."""
    if "_n_timesteps" in vars(estimator):
        return estimator._n_timesteps
    return getattr(estimator, "n_timesteps", None)


def n_static_features(estimator):
    """Static columns of the fitted model's 2-D rows (zero without any)."""
    if getattr(estimator, "_n_timesteps", None) is None:
        return 0
    return estimator._n_input_features - features_per_step(estimator)


def features_per_step(estimator):
    """Features a step of 2-D rows: as fitted (a later ``set_params`` changes
    nothing until the next ``fit``), else as the parameter says."""
    fitted = getattr(estimator, "_n_features_per_step", None)
    return fitted or getattr(estimator, "n_features_per_step", None) or 1


def _ndim(X):
    """Number of dimensions of ``X`` without converting it, if it can tell."""
    ndim = getattr(X, "ndim", None)
    if ndim is not None:
        return ndim
    try:
        return np.asarray(X).ndim
    except ValueError as exc:  # ragged nested lists that are not sequences
        raise ValueError(
            "X must be an array, or a list of sequences of shape "
            "(n_timesteps, n_features): its nested lists have different shapes."
        ) from exc


def weight_limit(dtype):
    """Largest total weight that the weighted loss of ``dtype`` computes safely.

    The loss multiplies each weight by a per-sample loss and sums; below the square
    root of the dtype's largest value, neither the sum of the weights nor its
    products overflow.
    """
    return float(np.sqrt(np.finfo(dtype).max))


def check_weights(sample_weight, X, *, input_name="sample_weight"):
    """Validate per-sequence weights before any math: float64, finite, >= 0.

    Strings, dates, ``None`` objects and other non-numbers are a ``TypeError``;
    NaN, inf, negative values and a wrong length a ``ValueError``; all of them
    name ``input_name``. The result is float64, so that no cast overflows here:
    :func:`check_weight_sum` then refuses a total the training dtype cannot hold.
    """
    if sample_weight is not None and not isinstance(sample_weight, int | float):
        raw = sample_weight
        if not hasattr(raw, "dtype") and not hasattr(raw, "dtypes"):
            raw = np.asarray(raw, dtype=object)
        _check_numeric(raw, input_name)
        if getattr(getattr(raw, "dtype", None), "kind", None) == "O":
            kinds = {type(v) for v in np.ravel(raw)}
            others = sorted(k.__name__ for k in kinds if not issubclass(k, Real))
            if others:
                raise TypeError(
                    f"{input_name} must hold numbers; it holds values of type "
                    f"{', '.join(others)}."
                )
            sample_weight = np.asarray(raw, dtype=np.float64)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            return _check_sample_weight(
                sample_weight, X, dtype=np.float64, ensure_non_negative=True
            )
    except (TypeError, ValueError) as error:  # scikit-learn says sample_weight
        message = str(error).replace("sample_weight", input_name)
        raise type(error)(message) from None


def positive_weight_sum(weights, input_name="sample_weight"):
    """The total of ``weights`` in float64 (``inf`` if it overflows, with no
    warning); a total that is not positive is an error."""
    with np.errstate(over="ignore"):
        total = float(np.sum(weights, dtype=np.float64))
    if not total > 0:
        raise ValueError(f"{input_name} must have a positive sum.")
    return total


def check_weight_sum(weights, dtype, input_name="sample_weight"):
    """Refuse weights whose total the weighted loss in ``dtype`` cannot hold.

    Returns the weights cast to ``dtype``.
    """
    total = positive_weight_sum(weights, input_name)
    limit = weight_limit(dtype)
    if not total < limit:
        raise ValueError(
            f"{input_name} sums to {total:.3g}, too large for training in "
            f"{np.dtype(dtype).name} (the limit is {limit:.3g}): the weighted loss "
            "would overflow. Only the ratios of the weights matter; divide them by "
            "a constant, e.g. by their mean."
        )
    return np.asarray(weights, dtype=np.float64).astype(dtype)


def check_target_values(y, input_name="y", *, classifier):
    """Refuse targets that NumPy would cast with a warning or read wrongly.

    For a regressor, strings (even numbers written as text), dates and durations
    are a ``TypeError``. For a classifier, labels mixing strings with other types
    (which NumPy would silently turn into strings), and float labels that are
    infinite or too large to be exact integers, are a ``ValueError``.
    """
    array = y if hasattr(y, "dtype") else None
    if array is None:
        try:
            array = np.asarray(y, dtype=object)
        except ValueError:  # ragged: left to the shape checks
            return
    kind = array.dtype.kind
    text = set()
    if kind == "O":
        # missing labels (NaN, None, NA) are left to the classifier's own check
        types = {type(v) for v in np.ravel(array) if not _is_missing(v)}
        text = {t for t in types if issubclass(t, str | bytes)}
        if classifier and text and types - text:
            others = sorted(t.__name__ for t in types - text)
            raise ValueError(
                f"{input_name} mixes labels of type str with labels of type "
                f"{', '.join(others)}; NumPy would turn them all into strings. Use "
                "labels of one type."
            )
    if not classifier:
        if text or kind in ("U", "S"):
            raise TypeError(
                f"{input_name} holds strings: regression targets must be numbers. "
                "Convert them first, with .astype(float) if they are numbers "
                "written as text."
            )
        _check_numeric(array, input_name)  # dates and durations
        return
    if kind == "f":
        values = array.astype(np.float64, copy=False)
    elif kind == "O":
        values = [v for v in np.ravel(array) if isinstance(v, float | np.floating)]
        values = np.asarray(values, dtype=np.float64)
    else:
        return
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(values).any()
        finite = values[np.isfinite(values)]
    if infinite:
        raise ValueError(
            f"{input_name} contains infinity: every label must name a class."
        )
    if finite.size and np.abs(finite).max() >= 2.0**53:
        largest = finite[np.argmax(np.abs(finite))]
        raise ValueError(
            f"{input_name} contains the float label {largest:g}, too large to be an "
            "exact class label (the limit is 2**53); use integer or string labels."
        )


def _is_missing(value):
    """Whether ``value`` is NaN, ``None`` or pandas' ``NA``."""
    return value is None or is_pandas_na(value) or is_scalar_nan(value)
