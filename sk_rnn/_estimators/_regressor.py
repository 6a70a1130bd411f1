"""RNNRegressor: sequence regression with a linear head."""

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array

from ._base import BaseRNN
from ._forecast import forecast


class RNNRegressor(RegressorMixin, BaseRNN):
    """Recurrent neural network regressor trained by backpropagation through time.

    Recurrent layers (Elman, LSTM or GRU cells; stacked, optionally bidirectional)
    read each sequence; a linear layer on the last hidden state (or on every state,
    with ``output_sequence=True``) gives the outputs. Trained on the squared error
    with Adam, SGD, Rprop or L-BFGS, like
    :class:`~sklearn.neural_network.MLPRegressor`, whose parameter names it shares.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Hidden units of each recurrent layer, bottom first; each layer reads the
        whole output sequence of the one below.
    cell : {"rnn", "lstm", "gru"}, default="rnn"
        Recurrent cell: ``"rnn"`` is the Elman cell, ``"lstm"`` and ``"gru"`` the
        gated cells of PyTorch's ``nn.LSTM`` and ``nn.GRU`` (same gate order and
        weight layout), which ignore ``activation``.
    activation : {"tanh", "relu", "identity"}, default="tanh"
        Nonlinearity of the Elman cell: ``h_t = act(x_t W_ih^T + b_ih +
        h_{t-1} W_hh^T + b_hh)``.
    bidirectional : bool, default=False
        Whether each layer also reads the sequences backwards; the head then reads
        the last forward state and the first backward state.
    output_sequence : bool, default=False
        Whether to predict one output per timestep (sequence-to-sequence) instead
        of one per sequence. ``y`` then holds one target per timestep: shape
        ``(n_samples, n_timesteps)`` (or ``(n_samples, n_timesteps, n_outputs)``
        for the regressor), or a list of per-sequence arrays; targets at padded
        steps are ignored, the loss sums over each sequence's real steps and
        ``score`` covers every real step.
    solver : {"adam", "sgd", "rprop", "lbfgs"}, default="adam"
        How the weights are optimized:

        - ``"adam"``: Adam on minibatches;
        - ``"sgd"``: stochastic gradient descent with momentum and the
          ``learning_rate`` schedule;
        - ``"rprop"``: resilient backpropagation (iRprop-) on the full batch: every
          weight moves by its own step size against the sign of its gradient, the
          step growing by 1.2 while that sign holds and halving when it flips
          (bounded to ``[1e-10, 50]``);
        - ``"lbfgs"``: L-BFGS on the full batch (:func:`scipy.optimize.minimize`).
          Often best on small data sets.
    alpha : float, default=0.0001
        Strength of the L2 penalty on the weight matrices.
    batch_size : int or "auto", default="auto"
        Sequences per minibatch of ``"adam"`` and ``"sgd"``; ``"auto"`` is
        ``min(200, n_samples)``. ``"rprop"`` and ``"lbfgs"`` use the full batch.
        BPTT keeps every hidden state of a batch: ``fit`` refuses, with a clear
        error, a batch that would hold more than 8 GiB of them.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``solver="sgd"``, as in MLP:

        - ``"constant"``: ``learning_rate_init`` throughout;
        - ``"invscaling"``: after each epoch the rate becomes
          ``learning_rate_init / (t_ + 1) ** power_t``, ``t_`` counting the samples
          seen so far;
        - ``"adaptive"``: constant while training improves; each time
          ``n_iter_no_change`` consecutive epochs fail to improve by ``tol``, the
          rate is divided by 5, and training stops once it is at most ``1e-6``.
    learning_rate_init : float, default=0.001
        Initial learning rate of ``"sgd"`` and ``"adam"``, and initial step size of
        every weight for ``"rprop"``.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
    max_iter : int, default=200
        Maximum number of epochs (of iterations for ``"lbfgs"``). ``partial_fit``
        runs a single epoch.
    shuffle : bool, default=True
        Whether to shuffle the sequences at each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, shuffling and validation split.
    tol : float, default=1e-4
        Improvement of the loss (or validation score) below which an epoch counts
        as no improvement. For ``"lbfgs"``, the gradient size at which it stops.
    verbose : bool or int, default=False
        ``True`` prints a line per epoch (loss, validation score if any, elapsed
        time); ``2`` shows a progress bar instead if ``tqdm`` is installed
        (``pip install sk-rnn[progress]``).
    warm_start : bool, default=False
        Continue from the previous solution on ``fit``, keeping the training
        history (``loss_curve_``, ``t_``, ...). The network must keep its
        architecture (``cell``, ``activation``, ``hidden_layer_sizes``,
        ``bidirectional``, ``output_sequence``): a change is an error.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``.
    nesterovs_momentum : bool, default=True
        Whether ``solver="sgd"`` uses Nesterov's momentum.
    early_stopping : bool, default=False
        Stop when the validation R² stops improving by ``tol`` for
        ``n_iter_no_change`` epochs, and keep the weights of the best epoch. The
        validation set is ``X_val`` given to ``fit``, else ``validation_fraction``
        of the training data. Used by ``"adam"``, ``"sgd"`` and ``"rprop"``.
    validation_fraction : float, default=0.1
        Fraction of the data held out for early stopping when ``fit`` gets no
        ``X_val``.
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's moment estimates.
    epsilon : float, default=1e-8
        Numerical stability constant of Adam.
    n_iter_no_change : int, default=10
        Epochs without improvement by ``tol`` before stopping (or, for
        ``learning_rate="adaptive"``, before dividing the learning rate).
    n_threads : int or "auto", default="auto"
        Cores for training and prediction; ``"auto"`` is every core (as
        ``joblib.cpu_count()`` counts them). A training batch with enough work
        (sequences times timesteps, hidden units and gates, at least 100,000
        per core) is cut into shards of sequences whose gradients are computed
        in parallel and summed: the first in the calling thread, the others in
        worker processes that share no interpreter lock (started by the first
        such fit, kept until Python exits; see the user guide). Prediction cuts
        batches of at least 4096 hidden units times sequences per thread (8192
        for the GRU) into shards on threads. Otherwise the cores go to the BLAS
        library for the larger products (one thread for small ones). Results
        are reproducible for a given setting and machine, and differ in the
        last bits between shard counts, whose sums are taken in another order.
        On a machine busy with other work, ``n_threads=1`` avoids fighting it
        for cores.
    clip_norm : float or None, default=None
        Rescale each minibatch gradient so its global L2 norm is at most this;
        ``None`` disables clipping. Use it when the loss explodes. Not used by
        ``"lbfgs"``, and without effect on ``"rprop"``, which reads only signs.
    max_fun : int, default=15000
        Maximum number of loss evaluations of ``"lbfgs"``, as in MLP.
    bptt_truncate : int or None, default=None
        Truncated backpropagation through time: the gradient reaching a hidden
        state flows back at most this many timesteps. ``None`` backpropagates
        through whole sequences; a value of at least the sequence length changes
        nothing. Cheaper on long sequences, at the price of long memories.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns of 2-D training input, or size of the feature axis of 3-D
        training input.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of 2-D DataFrame input, if it had string column names.
    recurrent_weights_ : dict of str to ndarray
        Recurrent parameters keyed as in PyTorch's ``nn.RNN`` state dict, for layer
        ``k`` (and ``_reverse`` for the backward direction): ``weight_ih_l{k}`` of
        shape ``(hidden, n_inputs)``, ``weight_hh_l{k}`` of shape
        ``(hidden, hidden)``, ``bias_ih_l{k}`` and ``bias_hh_l{k}`` of shape
        ``(hidden,)``.
    output_weight_ : ndarray of shape (n_outputs, n_last)
        Weight of the output layer (as ``nn.Linear``); ``n_last`` is the last
        layer's size (doubled if bidirectional).
    output_bias_ : ndarray of shape (n_outputs,)
        Bias of the output layer.
    loss_ : float
        Training loss of the last epoch (objective value for ``"lbfgs"``).
    best_loss_ : float or None
        Lowest training loss reached; ``None`` with ``early_stopping=True`` (see
        ``best_validation_score_``).
    loss_curve_ : list of float
        Training loss of every epoch (or L-BFGS iteration), over all calls since
        the last fresh fit.
    validation_scores_ : list of float or None
        Validation R² of every epoch, with ``early_stopping=True`` or an
        ``X_val`` given to ``fit``; ``None`` otherwise.
    best_validation_score_ : float or None
        Best of ``validation_scores_``.
    n_iter_ : int
        Epochs (L-BFGS iterations) run by the last call of ``fit``, or 1 after
        ``partial_fit``.
    t_ : int
        Training samples seen by the epoch solvers, over all epochs since the last
        fresh fit: the time step of the ``"invscaling"`` schedule.

    See Also
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
    >>> reg = RNNRegressor(hidden_layer_sizes=(1,), activation="identity",
    ...                    solver="lbfgs", random_state=0).fit(X, y)
    >>> reg.predict([[1, 0, 1, 1, 0, 0, 0, 0, 1, 1]]).round(4)
    array([5.])
    >>> round(reg.score(X, y), 4)
    1.0
    """

    _loss_name = "squared_error"

    def _encode_targets(
        self, y, *, reset, dtype, classes=None, incremental=False, input_name="y"
    ):
        y = check_array(
            y, ensure_2d=False, dtype=dtype, input_name=input_name, ensure_min_samples=1
        )
        if y.ndim > 2:
            raise ValueError(
                f"{input_name} must be of shape (n_samples,) or (n_samples, "
                f"n_outputs), got shape {y.shape}."
            )
        if reset:
            self._y_ndim = y.ndim
        Y = y.reshape(len(y), -1)
        if not reset and Y.shape[1] != self.output_bias_.shape[0]:
            raise ValueError(
                f"{input_name} has {Y.shape[1]} outputs, but RNNRegressor was "
                f"fitted with {self.output_bias_.shape[0]}."
            )
        return Y, y

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
        return self._fit(X, y, sample_weight, incremental=True)

    def _validation_score(self, outputs, y, sample_weight):
        return r2_score(y, outputs.reshape(np.shape(y)), sample_weight=sample_weight)

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
        return self._predict(X, self._decode_targets)

    def forecast(self, X, n_steps, *, X_future=None):
        """Forecast ``n_steps`` values past each sequence, feeding predictions back.

        The targets are the first ``n_outputs`` input features: each prediction
        becomes those features of the next input. A next-step model
        (``output_sequence=True``) reads the context once and carries its state
        forward one step per value (not bidirectional ones: a clear error); a
        window model (``output_sequence=False``) slides its window, dropping the
        first step and appending the prediction. Either gives what a loop of
        ``predict`` calls on the growing (or sliding) sequences gives.

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
        >>> reg = RNNRegressor(hidden_layer_sizes=(2,), activation="identity",
        ...                    solver="lbfgs", random_state=0).fit(X, y)
        >>> window = [[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]]   # 8 steps, as in fit
        >>> reg.forecast(window, n_steps=3).round(3)
        array([[0.8, 0.9, 1. ]])
        """
        return forecast(self, X, n_steps, X_future=X_future)

    def _decode_targets(self, Y):
        return Y[:, 0] if self._y_ndim == 1 else Y

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
        if self.output_sequence:
            return self._score_steps(X, y, sample_weight)
        return super().score(X, y, sample_weight)
