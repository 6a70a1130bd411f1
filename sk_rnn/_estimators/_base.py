"""The estimator base shared by RNNClassifier and RNNRegressor.

It holds the parameters and their constraints, owns the fitted state (the network,
its weights, the training history) and the hooks each subclass fills in. How ``fit``
runs lives in :mod:`._fitting`, prediction in chunks in :mod:`._inference`, and
targets in :mod:`._targets`; gradients never pass through any of them.
"""

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, Options, StrOptions

from .._backend import LOSSES, RecurrentNetwork
from .._train import TrainingState
from . import _fitting, _inference
from ._fitting import MAX_BATCH_BYTES


class BaseRNN(BaseEstimator, metaclass=ABCMeta):
    """Base class for recurrent networks trained by backpropagation through time.

    Warning: This class should not be used directly. Use derived classes instead.
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "cell": [StrOptions({"rnn", "lstm", "gru"})],
        "activation": [StrOptions({"tanh", "relu", "identity"})],
        "bidirectional": ["boolean"],
        "output_sequence": ["boolean"],
        "solver": [StrOptions({"adam", "sgd", "rprop", "lbfgs"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "n_jobs": [Integral, None],
        "clip_norm": [Interval(Real, 0, None, closed="neither"), None],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "bptt_truncate": [Interval(Integral, 1, None, closed="left"), None],
    }

    # Set by the subclasses: the loss and how to score a validation set.
    _loss_name = None

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        *,
        cell="rnn",
        activation="tanh",
        bidirectional=False,
        output_sequence=False,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
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
        n_iter_no_change=10,
        clip_norm=None,
        n_jobs=None,
        max_fun=15000,
        bptt_truncate=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.cell = cell
        self.activation = activation
        self.bidirectional = bidirectional
        self.output_sequence = output_sequence
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.clip_norm = clip_norm
        self.n_jobs = n_jobs
        self.max_fun = max_fun
        self.bptt_truncate = bptt_truncate

    # ------------------------------------------------------------------ hooks
    @abstractmethod
    def _encode_targets(
        self, y, *, reset, dtype, classes=None, incremental=False, input_name="y"
    ):
        """Validate ``y``; return the training targets and the validated ``y``.

        ``Y`` of shape ``(n_samples, n_outputs)`` is what the loss reads; ``y`` is
        what the validation score reads. ``reset`` marks a first pass; ``classes``
        is ``partial_fit``'s argument; ``incremental`` marks ``partial_fit``;
        ``input_name`` is what error messages call ``y`` (``"y_val"``).
        """

    def _weigh_classes(self, y, sample_weight, incremental):
        """Multiply the sample weights by class weights (the classifier's hook)."""
        return sample_weight

    def _scale_targets(self, Y, weights, reset):
        """The training targets ``Y`` as the loss reads them (the regressor's hook).

        ``weights`` weigh each row (each step, per timestep); ``reset`` marks a
        first pass, which may fit a scaling.
        """
        return Y

    @abstractmethod
    def _validation_score(self, outputs, y, sample_weight):
        """Score network ``outputs`` (after the output activation) against ``y``."""

    @abstractmethod
    def _decode_targets(self, Y):
        """Targets as ``y`` reads them, from encoded rows ``(n, n_outputs)``."""

    # ------------------------------------------------------------ parameters
    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, Integral) else tuple(sizes)
        if not sizes or any(
            not isinstance(s, Integral) or isinstance(s, bool) or s < 1 for s in sizes
        ):
            raise ValueError(
                "hidden_layer_sizes must be a positive int or a non-empty tuple of "
                f"positive ints, got {self.hidden_layer_sizes!r}."
            )
        # Python ints, whatever NumPy integer type they came as, so that the sizes
        # computed from them (the memory guard's) never wrap around.
        return tuple(int(size) for size in sizes)

    def _params_flat(self):
        """The fitted parameters as one new flat vector."""
        return self._network.pack(
            {
                **self.recurrent_weights_,
                "output_weight": self.output_weight_,
                "output_bias": self.output_bias_,
            }
        )

    def _set_params_flat(self, flat):
        """Store a flat vector as the fitted attributes (each its own array)."""
        params = {
            name: view.copy() for name, view in self._network.unpack(flat).items()
        }
        self.output_weight_ = params.pop("output_weight")
        self.output_bias_ = params.pop("output_bias")
        self.recurrent_weights_ = params

    # ------------------------------------------------------------- training
    def _build_network(self, n_features, hidden_sizes, n_outputs):
        return RecurrentNetwork(
            self.cell,
            n_features,
            hidden_sizes,
            n_outputs,
            activation=self.activation,
            bidirectional=self.bidirectional,
            output_sequence=self.output_sequence,
        )

    def _check_architecture(self, hidden_sizes):
        """Continuing to train needs the network that the parameters describe."""
        fitted = self._network
        wanted = self._build_network(fitted.n_features, hidden_sizes, fitted.n_outputs)
        before = getattr(fitted, "architecture", wanted.architecture)  # older pickles
        changed = [
            f"{name}={before[name]!r} -> {value!r}"
            for name, value in wanted.architecture.items()
            if before[name] != value
        ]
        if changed:
            raise ValueError(
                "warm_start=True and partial_fit continue training the fitted "
                f"network, but its architecture has changed: {', '.join(changed)}. "
                "Fit with warm_start=False, or a clone, to build a new network."
            )

    def _initialize(self, hidden_sizes, n_outputs, dtype):
        """Build the network, draw its weights and reset the training history."""
        self._network = self._build_network(
            self._n_input_features, hidden_sizes, n_outputs
        )
        # the weights, their gradient and an optimizer's two moments
        needed = 4 * self._network.n_params * np.dtype(dtype).itemsize
        if needed > MAX_BATCH_BYTES:
            raise ValueError(
                f"hidden_layer_sizes={self.hidden_layer_sizes!r}, with "
                f"{self._n_input_features} input features and {n_outputs} outputs, "
                f"make a network of {self._network.n_params:,} weights, "
                f"{needed / 2**30:.1f} GiB with their gradient and optimizer state, "
                f"more than the limit of {MAX_BATCH_BYTES / 2**30:.0f} GiB. Use fewer "
                "hidden units, features or outputs."
            )
        self._set_params_flat(self._network.init_params(self._random_state, dtype))
        self.n_outputs_ = n_outputs
        self.n_layers_ = len(hidden_sizes) + 2
        self.out_activation_ = LOSSES[self._loss_name].out_activation
        self._set_training_state(TrainingState.fresh(self._stops_on_validation()))

    # Fitted attributes of the training state, as TrainingState names them.
    _STATE_ATTRIBUTES = {
        "n_iter_": "n_iter",
        "t_": "t",
        "loss_curve_": "loss_curve",
        "epoch_times_": "epoch_times",
        "best_loss_": "best_loss",
        "validation_scores_": "validation_scores",
        "best_validation_score_": "best_validation_score",
        "_no_improvement_count": "no_improvement_count",
        "_optimizer": "optimizer",
    }

    def _training_state(self, fresh=False):
        """The fitted training history as a :class:`TrainingState` (a copy)."""
        if fresh:
            return TrainingState.fresh(self._stops_on_validation())
        state = TrainingState(
            **{
                key: getattr(self, name, None)
                for name, key in self._STATE_ATTRIBUTES.items()
            }
        )
        state.loss = getattr(self, "loss_", None)
        if state.epoch_times is None:  # a model pickled before epoch_times_
            state.epoch_times = [np.nan] * len(state.loss_curve or [])
        return state.copy()

    def _set_training_state(self, state):
        """Make ``state`` the fitted training history (``n_iter_``, ...)."""
        for name, key in self._STATE_ATTRIBUTES.items():
            setattr(self, name, getattr(state, key))
        if state.loss is not None:
            self.loss_ = state.loss

    def _stops_on_validation(self):
        """Early stopping applies to the epoch solvers, as in MLP (not to L-BFGS)."""
        return self.early_stopping and self.solver != "lbfgs"

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Fit the model to sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Training sequences; 2-D input is a batch of univariate series. Sequences of
            different lengths come as a list, or padded with NaN after their end.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets: class labels for the classifier, real values for the regressor;
            one per timestep with ``output_sequence=True`` (see that parameter).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss; ``None`` weighs all equally.
        X_val : array-like of shape (n_val, n_timesteps_val, n_features), \
                default=None
            Validation sequences, scored after every epoch into
            ``validation_scores_`` (as in ``HistGradientBoosting*``). With
            ``early_stopping=True`` they replace the ``validation_fraction`` split
            for stopping and for choosing the weights kept; otherwise they are only
            monitored.
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            Targets of ``X_val``.
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of the validation sequences in the score.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return _fitting.fit(
            self,
            X,
            y,
            sample_weight,
            X_val=X_val,
            y_val=y_val,
            sample_weight_val=sample_weight_val,
        )

    def hidden_states(self, X, *, all_steps=False):
        """The hidden states of the last layer: what the output layer reads.

        Use them to look inside a fitted model, or as features for another
        estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Sequences, as for ``predict``.
        all_steps : bool, default=False
            Return the state after every step instead of the one the output layer
            reads at the end of each sequence.

        Returns
        -------
        H : ndarray of shape (n_samples, n_units), or \
                (n_samples, n_timesteps, n_units) with ``all_steps=True``
            ``n_units`` is the last layer's size, doubled if bidirectional (the
            forward direction's units first). Without ``all_steps``: the state at
            each sequence's last real step (and, bidirectional, the backward
            direction's state at the first step). With ``all_steps``, steps after
            the end of a shorter sequence are NaN.

        Examples
        --------
        >>> import numpy as np
        >>> from sk_rnn import RNNClassifier
        >>> rng = np.random.RandomState(0)
        >>> X = rng.normal(size=(40, 6, 2))
        >>> clf = RNNClassifier(hidden_layer_sizes=(5,), max_iter=5, random_state=0)
        >>> clf = clf.fit(X, (X[:, 0, 0] > 0).astype(int))
        >>> clf.hidden_states(X).shape, clf.hidden_states(X, all_steps=True).shape
        ((40, 5), (40, 6, 5))
        """
        return _inference.hidden_states(self, X, all_steps)

    def _check_solver(self):
        if self.solver not in ("sgd", "adam"):
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
