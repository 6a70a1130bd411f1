"""SequenceScaler: standardise each feature over all samples and timesteps."""

import copy
import functools
from numbers import Integral

import numpy as np
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._data import mean_and_std, scale_of
from ._validation import (
    _is_ragged,
    _ndim,
    check_sequences,
    n_static_features,
)


class SequenceScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardise each feature of sequence data over all samples and timesteps.

    The 3-D counterpart of :class:`~sklearn.preprocessing.StandardScaler`: the mean
    and standard deviation of each feature are taken over every real timestep of
    every sequence, so the scaler fits in a :class:`~sklearn.pipeline.Pipeline` in
    front of :class:`RNNClassifier` or :class:`RNNRegressor`. It accepts what the
    estimators accept and gives back the same form: 3-D arrays, 2-D univariate
    series, lists of sequences of different lengths, and NaN-padded arrays (the
    padding stays NaN).

    On 2-D input it is a transformer like any other: :meth:`get_feature_names_out`
    names the columns, and ``set_output(transform="pandas")`` (or ``"polars"``)
    returns a DataFrame. Sequences (3-D arrays, lists) have no table form: they
    come back as arrays or lists whatever the output setting, and
    :meth:`get_feature_names_out` then names the features of a step.

    Parameters
    ----------
    with_mean : bool, default=True
        Whether to subtract the mean of each feature.
    with_std : bool, default=True
        Whether to divide by the standard deviation of each feature.
    per_sequence : bool or "auto", default="auto"
        Whether to rescale each sequence by its own size before the global
        standardisation, so that the network sees each sequence's shape whatever
        its size, and the size itself counted in decades: a sequence whose
        standard deviation (of a feature, over its real steps) is ``s`` is
        scaled to a standard deviation of ``1 + log10(s / s_ref)``, at least 1,
        where ``s_ref`` is the 5th percentile of the training sequences' (kept
        in ``reference_std_``). ``"auto"`` does so for the features whose
        per-sequence standard deviations span more than two decades on the
        training data (their 95th percentile over their 5th above 100, among the
        sequences of 10 steps or more): there the global scale leaves the small
        sequences nearly flat; never with ``with_std=False``, which asks for no
        division. Of the accuracy benchmark's sets only PLAID (5.8 decades) is
        rescaled; the others span 1.04 decades at most (see
        ``docs/good_results.rst``, "Series whose sizes span orders of
        magnitude"). :meth:`inverse_transform` cannot undo it, and since each
        step is scaled by a number of the whole sequence, it is no transform for
        models that predict every step.
    n_features_per_step : int or None, default=None
        How to read 2-D input, as the estimators' parameter of that name: ``None``
        reads ``(n_samples, n_timesteps)`` as univariate series, an int ``k`` reads
        each row as ``k`` features a step (C order), scaled per feature.
    n_timesteps : int or None, default=None
        As the estimators' parameter of that name: with ``n_timesteps=T``, the
        columns of a 2-D row after the first ``T * k`` are static features, each
        scaled on its own over the samples (as
        :class:`~sklearn.preprocessing.StandardScaler` does), while each step
        feature is scaled over all steps and samples. Fewer than ``T * k``
        columns is an error; 3-D and list input to ``fit`` has no static columns
        and must then have ``T`` (padded) steps. A scaler fitted with static
        columns transforms 3-D input of ``k + n_static`` features a step, the
        static ones last, as the estimators read them.

    Attributes
    ----------
    mean_ : ndarray of shape (n_sequence_features,)
        Mean of each feature over all real timesteps (zero without ``with_mean``);
        with static columns, the step features' then the static columns' (each
        over the samples).
    scale_ : ndarray of shape (n_sequence_features,)
        Standard deviation of each feature (one where it is zero, or without
        ``with_std``), in the order of ``mean_``.
    per_sequence_ : ndarray of bool of shape (n_sequence_features,)
        Which features are rescaled by each sequence's own size
        (``per_sequence``) before ``mean_`` and ``scale_`` apply; never the
        static columns.
    reference_std_ : ndarray of shape (n_sequence_features,)
        The 5th percentile of the training sequences' standard deviations of each
        feature (``s_ref`` of ``per_sequence``; 1 for the static columns).
    n_features_in_ : int
        Number of columns of 2-D training input, or size of the feature axis of 3-D
        training input.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of 2-D DataFrame input, if it had string column names.

    See Also
    --------
    sklearn.preprocessing.StandardScaler : The same for one vector per sample.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_rnn import SequenceScaler
    >>> X = np.array([[[1.0, 10.0], [3.0, 30.0]], [[5.0, 50.0], [7.0, 70.0]]])
    >>> scaler = SequenceScaler().fit(X)
    >>> scaler.mean_
    array([ 4., 40.])
    >>> scaler.transform(X)[:, :, 0]
    array([[-1.34..., -0.44...],
           [ 0.44...,  1.34...]])
    """

    _parameter_constraints: dict = {
        "with_mean": ["boolean"],
        "with_std": ["boolean"],
        "per_sequence": ["boolean", StrOptions({"auto"})],
        "n_features_per_step": [Interval(Integral, 1, None, closed="left"), None],
        "n_timesteps": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __setstate__(self, state):
        state.setdefault("n_features_per_step", None)  # scalers pickled before 0.2.0
        state.setdefault("n_timesteps", None)
        state.setdefault("per_sequence", False)
        if "_n_input_features" in state:  # fitted before n_timesteps: no static
            state.setdefault("_n_timesteps", None)  # columns, whatever set_params
        if "mean_" in state:  # fitted before per_sequence: no sequence rescaled
            state.setdefault("per_sequence_", np.zeros(len(state["mean_"]), bool))
            state.setdefault("reference_std_", np.ones(len(state["mean_"])))
        super().__setstate__(state)

    def __init__(
        self,
        *,
        with_mean=True,
        with_std=True,
        per_sequence="auto",
        n_features_per_step=None,
        n_timesteps=None,
    ):
        self.with_mean = with_mean
        self.with_std = with_std
        self.per_sequence = per_sequence
        self.n_features_per_step = n_features_per_step
        self.n_timesteps = n_timesteps

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute the mean and standard deviation of each feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Sequences; trailing NaN steps are padding.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted scaler.
        """
        # Validation records n_features_in_ and the like: on a copy, so that a
        # failed fit leaves a fitted scaler as it was.
        state = copy.copy(self)
        X, lengths = check_sequences(state, X, reset=True)
        per_step = X.shape[2] - n_static_features(state)
        low, high, told = _size_percentiles(
            _sequence_std(X[:, :, :per_step], lengths), lengths, X.shape[1]
        )
        rescaled = np.zeros(X.shape[2], dtype=bool)
        rescaled[:per_step] = (
            told & (high / 100 > low)  # the sizes span more than two decades
            if self.per_sequence == "auto" and self.with_std
            else self.per_sequence != "auto" and bool(self.per_sequence)
        )
        state.per_sequence_ = rescaled
        state.reference_std_ = np.ones(X.shape[2])
        state.reference_std_[:per_step] = low
        X = _rescale_sequences(X, lengths, rescaled, state.reference_std_)
        if lengths is None:
            values = X[:, :, :per_step].reshape(-1, per_step)
        else:
            values = X[np.arange(X.shape[1]) < lengths[:, None], :per_step]
        mean, std = mean_and_std(values)  # scaled first: values near 1e308 too
        if X.shape[2] > per_step:  # static columns: one value a sample
            static_mean, static_std = mean_and_std(X[:, 0, per_step:])
            mean = np.concatenate([mean, static_mean])
            std = np.concatenate([std, static_std])
        state.mean_ = mean if self.with_mean else np.zeros(X.shape[2])
        std = std if self.with_std else np.ones(X.shape[2])
        state.scale_ = scale_of(state.mean_, std)
        self.__dict__.clear()
        self.__dict__.update(state.__dict__)
        return self

    def _apply(self, X, function):
        check_is_fitted(self)
        ragged = _is_ragged(X)
        was_2d = not ragged and _ndim(X) == 2
        X, lengths = check_sequences(self, X, reset=False)
        out = function(X, lengths).astype(X.dtype, copy=False)
        if lengths is not None:
            out[np.arange(X.shape[1]) >= lengths[:, None]] = np.nan  # keep padding
        if ragged:
            return [seq[:n] for seq, n in zip(out, lengths)]
        n_static = n_static_features(self)
        if not was_2d or not n_static:
            return out.reshape(len(out), -1) if was_2d else out
        per_step = out.shape[2] - n_static  # the static columns go back last
        rows = out[:, :, :per_step].reshape(len(out), -1)
        return np.concatenate([rows, out[:, 0, per_step:]], axis=1)

    def transform(self, X):
        """Standardise sequences with the fitted mean and scale.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Sequences; trailing NaN steps are padding.

        Returns
        -------
        X_scaled : ndarray or list of ndarray
            Scaled sequences, in the form and shape of ``X``.
        """

        # Each term divided first: a difference of values near the float64 limit
        # would overflow.
        def standardise(Z, lengths):
            Z = _rescale_sequences(Z, lengths, self.per_sequence_, self.reference_std_)
            return Z / self.scale_ - self.mean_ / self.scale_

        return self._apply(X, standardise)

    def inverse_transform(self, X):
        """Undo :meth:`transform`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Scaled sequences.

        Returns
        -------
        X_original : ndarray or list of ndarray
            Sequences in the original units, in the form and shape of ``X``.
        """
        check_is_fitted(self)
        if self.per_sequence_.any():
            raise ValueError(
                "inverse_transform cannot undo per_sequence: the scaler rescaled "
                f"features {np.flatnonzero(self.per_sequence_).tolist()} of each "
                "sequence by that sequence's own standard deviation, which the "
                "scaled sequence no longer holds. Fit with per_sequence=False to "
                "invert."
            )
        return self._apply(X, lambda Z, lengths: Z * self.scale_ + self.mean_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def _sequence_std(X, lengths):
    """Standard deviation of each feature of each sequence over its real steps,
    computed in units of its largest magnitude (no overflow near 1e308).

    Returns
    -------
    std : ndarray of shape (n_samples, n_features)
    """
    magnitude = np.abs(X).max(axis=1)  # the padding is zero
    magnitude[magnitude == 0] = 1.0
    unit = X / magnitude[:, None, :]
    if lengths is None:
        return unit.std(axis=1) * magnitude
    real = (np.arange(X.shape[1]) < lengths[:, None])[:, :, None]
    counts = lengths[:, None].astype(np.float64)
    mean = unit.sum(axis=1) / counts
    var = np.where(real, (unit - mean[:, None]) ** 2, 0).sum(axis=1) / counts
    return np.sqrt(var) * magnitude


# Sequences shorter than this have too noisy a standard deviation to tell sizes.
SIZE_MIN_STEPS = 10


def _size_percentiles(std, lengths, n_steps):
    """The 5th and 95th percentiles of each feature's per-sequence standard
    deviations ``std`` (of shape ``(n_samples, n_features)``), among the sequences
    that vary and have ``SIZE_MIN_STEPS`` steps or more.

    Returns
    -------
    low, high : ndarray of shape (n_features,)
        Over all the sequences that vary where fewer than two have the steps
        (1 where none varies).
    told : ndarray of bool of shape (n_features,)
        Whether two sequences or more had the steps to tell their sizes.
    """
    steps = np.full(len(std), n_steps) if lengths is None else lengths
    low, high = np.ones(std.shape[1]), np.ones(std.shape[1])
    told = np.zeros(std.shape[1], dtype=bool)
    for j, column in enumerate(std.T):
        varying = column[(column > 0) & (steps >= SIZE_MIN_STEPS)]
        told[j] = len(varying) > 1
        varying = varying if told[j] else column[column > 0]
        if len(varying):
            low[j], high[j] = np.percentile(varying, [5, 95])
    return low, high, told


def _rescale_sequences(X, lengths, rescaled, reference):
    """Each sequence's ``rescaled`` features scaled to a standard deviation of
    ``1 + log10(std / reference)`` (at least 1): the shape at a size counted in
    decades. A constant one is left as it is; the padding stays zero."""
    if not rescaled.any():
        return X
    std = _sequence_std(X[:, :, rescaled], lengths)
    decades = np.log10(np.maximum(std / reference[rescaled], 1.0))
    varies = std > 0
    factor = np.ones_like(std)
    factor[varies] = (1.0 + decades[varies]) / std[varies]
    X = X.copy()
    X[:, :, rescaled] *= factor[:, None, :]
    return X


def _tables_for_2d_only(method):
    """Let ``set_output`` wrap 2-D results only: sequences have no table form.

    scikit-learn's ``_SetOutputMixin`` wraps ``transform`` and ``fit_transform`` so
    that their result becomes the configured container; on sequences the raw
    method's result is returned instead.
    """
    wrapped = getattr(SequenceScaler, method)
    raw = wrapped.__wrapped__

    @functools.wraps(raw)
    def dispatch(self, X, *args, **kwargs):
        two_d = not _is_ragged(X) and _ndim(X) == 2
        # a table's columns are the names of the fitted columns: 2-D fits only
        table = two_d and (
            method == "fit_transform" or getattr(self, "_fit_on_2d", False)
        )
        return (wrapped if table else raw)(self, X, *args, **kwargs)

    setattr(SequenceScaler, method, dispatch)


for _method in ("transform", "fit_transform"):
    _tables_for_2d_only(_method)
