"""RNNRegressor: sequence regression with a linear head."""

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array

from . import _docstrings, _fitting, _inference
from ._base import BaseRNN
from ._data import mean_and_std, scale_of
from ._forecast import forecast
from ._validation import check_target_values


def _mean_and_scale(Y, weights):
    """Weighted mean and standard deviation of each output, as the inputs get them.

    :func:`~._data.mean_and_std` over the values of positive weight (weighting a
    sample by ``k`` is the same as repeating it ``k`` times, by 0 as removing it),
    and :func:`~._data.scale_of`'s divisor: 1 where an output is constant (its
    spread within rounding of its values), however small its values.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_outputs) or (n_samples, n_timesteps, \
            n_outputs)
    weights : ndarray of shape Y.shape[:-1]
        Zero at padded steps.

    Returns
    -------
    mean, scale : ndarray of shape (n_outputs,), of ``Y``'s dtype
    """
    values = Y.reshape(-1, Y.shape[-1])
    weights = weights.reshape(-1)
    kept = weights > 0
    values, weights = values[kept], weights[kept, None]
    mean, std = mean_and_std(values, np.broadcast_to(weights, values.shape))
    return mean.astype(Y.dtype), scale_of(mean, std).astype(Y.dtype)


def _nonzero(magnitude):
    """``magnitude`` with 1 where it is 0: the largest magnitude of each output,
    by which it is divided (however small, it is no rounding error)."""
    return np.where(magnitude == 0, 1, magnitude).astype(magnitude.dtype)


def scaled_r2_score(y, predicted, sample_weight):
    """R² computed on targets divided by their largest magnitude (per output).

    R² does not change with the units of each output; in these units no square of
    a target near the dtype's limit (``1e200`` in float64) overflows.
    """
    y = np.asarray(y, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    magnitude = _nonzero(np.abs(y).max(axis=0))
    with np.errstate(over="ignore"):
        return r2_score(
            y / magnitude, predicted / magnitude, sample_weight=sample_weight
        )


class RNNRegressor(RegressorMixin, BaseRNN):
    __doc__ = _docstrings.document(
        """Recurrent neural network regressor trained by backpropagation through time.

    Recurrent layers (Elman, LSTM or GRU cells; stacked, optionally bidirectional)
    read each sequence; a linear layer on what ``readout`` takes of the hidden
    states (by default each unit's largest value over the sequence; every state,
    with ``output_sequence=True``) gives the outputs. Trained on the squared error
    with Adam, SGD, Rprop or L-BFGS, like
    :class:`~sklearn.neural_network.MLPRegressor`, whose parameter names it shares.

""",
        """    See Also
    --------
    RNNClassifier : The same network with a softmax head and the cross-entropy.
    sklearn.neural_network.MLPRegressor : The feed-forward counterpart.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_rnn import RNNRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randint(0, 2, size=(200, 10)).astype(float)  # 2-D: univariate
    >>> y = X.sum(axis=1)                                     # count the ones
    >>> reg = RNNRegressor(hidden_layer_sizes=(1,), cell="rnn",
    ...                    activation="identity", readout="last",
    ...                    solver="lbfgs", random_state=0).fit(X, y)
    >>> reg.predict([[1, 0, 1, 1, 0, 0, 0, 0, 1, 1]]).round(4)
    array([5.])
    >>> round(reg.score(X, y), 4)
    1.0
    """,
        metric="R²",
        max_iter="100",
        max_iter_note=""" Half the classifier's: on small regression and
        forecasting sets, the next 100 epochs fitted the training windows at the
        cost of the test ones (forecasting R² -0.96 at 100 epochs against -1.85 at
        200 on shampoo sales, -0.22 against -0.58 on PBS; benchmarks/accuracy).""",
        out_activation='``"identity"``',
        split="``validation_fraction``",
        n_outputs="",
        extra_parameters="""\
    normalize_y : bool, default=True
        Whether to standardise the targets (per output: minus the mean, divided by
        the standard deviation of the first ``fit`` or ``partial_fit``) for
        training. Predictions come back in the original units either way; the
        loss (``loss_``, ``loss_curve_``) is then in units of the standardised
        targets. Without it, targets far from unit scale (prices in the
        hundreds, say) take Adam many epochs to reach.
""",
        extra_attributes="""\
    target_mean_ : ndarray of shape (n_outputs,)
        Mean of each target in training, with ``normalize_y=True``.
    target_scale_ : ndarray of shape (n_outputs,)
        Standard deviation of each target in training, with ``normalize_y=True``;
        1 where the target is constant (its spread within rounding of its values).
""",
    )

    _loss_name = "squared_error"

    _parameter_constraints: dict = {
        **BaseRNN._parameter_constraints,
        "normalize_y": ["boolean"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(64,),
        *,
        cell="gru",
        activation="tanh",
        bidirectional=False,
        output_sequence=False,
        readout="max",
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=100,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=50,
        clip_norm=1.0,
        n_jobs=None,
        max_fun=15000,
        bptt_truncate=None,
        n_features_per_step=None,
        n_timesteps=None,
        patch_size="auto",
        normalize_y=True,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            cell=cell,
            activation=activation,
            bidirectional=bidirectional,
            output_sequence=output_sequence,
            readout=readout,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            clip_norm=clip_norm,
            n_jobs=n_jobs,
            max_fun=max_fun,
            bptt_truncate=bptt_truncate,
            n_features_per_step=n_features_per_step,
            n_timesteps=n_timesteps,
            patch_size=patch_size,
        )
        self.normalize_y = normalize_y

    def _encode_targets(
        self, y, *, reset, dtype, classes=None, incremental=False, input_name="y"
    ):
        check_target_values(y, input_name, classifier=False)
        with np.errstate(over="ignore"):  # a value too large for dtype is inf
            y = check_array(
                y,
                ensure_2d=False,
                dtype=dtype,
                input_name=input_name,
                ensure_min_samples=1,
            )
        if y.ndim > 2:
            raise ValueError(
                f"{input_name} must be of shape (n_samples,) or (n_samples, "
                f"n_outputs), got shape {y.shape}."
            )
        Y = y.reshape(len(y), -1)
        if reset:
            self._y_ndim = y.ndim
        elif Y.shape[1] != self.output_bias_.shape[0]:
            raise ValueError(
                f"{input_name} has {Y.shape[1]} outputs, but RNNRegressor was "
                f"fitted with {self.output_bias_.shape[0]}."
            )
        return Y, y

    def _scale_targets(self, Y, weights, reset):
        if reset:
            self.__dict__.pop("target_mean_", None)
            self.__dict__.pop("target_scale_", None)
            if self.normalize_y:
                self.target_mean_, self.target_scale_ = _mean_and_scale(Y, weights)
        if getattr(self, "target_mean_", None) is None:
            return Y
        return (Y - self.target_mean_) / self.target_scale_

    def _unscale(self, outputs):
        """Network outputs in the units of the targets."""
        if getattr(self, "target_mean_", None) is None:
            return outputs
        return outputs * self.target_scale_ + self.target_mean_

    @available_if(BaseRNN._check_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Update the model with one epoch over the given data.

        Only the stochastic solvers (``"adam"``, ``"sgd"``) offer it, as in
        :class:`~sklearn.neural_network.MLPRegressor`. The optimizer state and
        ``t_`` carry over between calls; ``n_iter_`` is 1 after each call.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Training sequences; 2-D input is a batch of univariate series. Sequences of
            different lengths come as a list, or padded with NaN after their end.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values; one per timestep with ``output_sequence=True``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss; ``None`` weighs all equally.

        Returns
        -------
        self : object
            The updated estimator.
        """
        return _fitting.fit(self, X, y, sample_weight, incremental=True)

    def _score_targets(self, y, dtype):
        """The targets ``score`` compares with the predictions, validated."""
        return self._encode_targets(y, reset=False, dtype=dtype, incremental=True)[1]

    def _validation_score(self, outputs, y, sample_weight):
        predicted = self._decode_targets(self._unscale(outputs)).reshape(np.shape(y))
        return scaled_r2_score(y, predicted, sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def predict(self, X):
        """Predict the targets of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Sequences; 2-D input is a batch of univariate series. Sequences of
            different lengths come as a list, or padded with NaN after their end.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predicted values, with the dimensions of the ``y`` given to ``fit``.
        With ``output_sequence=True``: one result per timestep, of shape
        ``(n_samples, n_timesteps, ...)``, or a list of per-sequence arrays when the
        sequences have different lengths.
        """
        return _inference.predict(self, X, self._predicted)

    def forecast(self, X, n_steps, *, X_future=None):
        """Forecast ``n_steps`` values past each sequence, feeding predictions back.

        The targets are the first ``n_outputs`` input features: each prediction
        becomes those features of the next input. A next-step model
        (``output_sequence=True``) reads the context once and carries its state
        forward one step per value (not bidirectional ones: a clear error); a
        window model (``output_sequence=False``) slides its window, dropping the
        first step and appending the prediction. Either gives what a loop of
        ``predict`` calls on the growing (or sliding) sequences gives. A model
        fitted with static columns (``n_timesteps``) is refused with a
        ``ValueError``: the static features belong to no step to feed back.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Context sequences; ragged ones forecast from their own last step.
        n_steps : int
            Number of values to forecast.
        X_future : array-like of shape (n_samples, n_steps, n_features - \
                n_outputs), default=None
            Future values of the input features beyond the targets (exogenous),
            ``X_future[:, j]`` going with the ``j``-th forecast value (the last
            step is not read); required exactly when there are such features.

        Returns
        -------
        y : ndarray of shape (n_samples, n_steps) or (n_samples, n_steps, n_outputs)
            The forecasts: ``(n_samples, n_steps)`` for a model fitted on 1-D
            targets (one value per sequence or per step), as ``predict``.

        Examples
        --------
        >>> from sk_rnn import RNNRegressor
        >>> from sk_rnn.datasets import make_ramps
        >>> X, y = make_ramps(100, 8, output_sequence=False, random_state=0)
        >>> reg = RNNRegressor(hidden_layer_sizes=(2,), cell="rnn",
        ...                    activation="identity", readout="last",
        ...                    solver="lbfgs", random_state=0).fit(X, y)
        >>> window = [[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]]   # 8 steps, as in fit
        >>> reg.forecast(window, n_steps=3).round(3)
        array([[0.8, 0.9, 1. ]])
        """
        return forecast(self, X, n_steps, X_future=X_future)

    def _decode_targets(self, Y):
        return Y[:, 0] if self._y_ndim == 1 else Y

    def _predicted(self, outputs):
        return self._decode_targets(self._unscale(outputs))

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R² on the given sequences and targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Sequences; 2-D input is a batch of univariate series. Sequences of
            different lengths come as a list, or padded with NaN after their end.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True targets; one per timestep with ``output_sequence=True``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence (of each of its steps, per timestep).

        Returns
        -------
        score : float
            R² of ``self.predict(X)``, over every real timestep with
            ``output_sequence=True``.
        """
        return _inference.score(self, X, y, sample_weight)
