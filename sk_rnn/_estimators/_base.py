"""The estimator base shared by RNNClassifier and RNNRegressor.

It holds the parameters and their constraints and the hooks each subclass fills in.
The fitted state (the network, its weights, the training history) lives in
:mod:`._fitted_state`, how ``fit`` runs in :mod:`._fitting`, prediction in chunks in
:mod:`._inference`, and targets in :mod:`._targets`; gradients never pass through any
of them.
"""

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, Options, StrOptions

from . import _fitting, _inference
from ._fitted_state import FittedStateMixin


class BaseRNN(FittedStateMixin, BaseEstimator, metaclass=ABCMeta):
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
        "readout": [StrOptions({"last", "mean", "max"})],
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
        "n_jobs": [  # joblib's meaning: 0 has none
            Interval(Integral, None, -1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "clip_norm": [Interval(Real, 0, None, closed="neither"), None],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "bptt_truncate": [Interval(Integral, 1, None, closed="left"), None],
        "n_features_per_step": [Interval(Integral, 1, None, closed="left"), None],
        "n_timesteps": [Interval(Integral, 1, None, closed="left"), None],
        "patch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
    }

    # Set by the subclasses: the loss and how to score a validation set.
    _loss_name = None

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
        n_iter_no_change=50,
        clip_norm=1.0,
        n_jobs=None,
        max_fun=15000,
        bptt_truncate=None,
        n_features_per_step=None,
        n_timesteps=None,
        patch_size="auto",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.cell = cell
        self.activation = activation
        self.bidirectional = bidirectional
        self.output_sequence = output_sequence
        self.readout = readout
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
        self.n_features_per_step = n_features_per_step
        self.n_timesteps = n_timesteps
        self.patch_size = patch_size

    def __setstate__(self, state):
        # Estimators pickled before 0.2.0: the parameters they were built with.
        state.setdefault("readout", "last")
        state.setdefault("n_features_per_step", None)
        state.setdefault("n_timesteps", None)
        state.setdefault("patch_size", 1)  # one step at a time, as then
        if "_n_input_features" in state:  # fitted before n_timesteps: no static
            state.setdefault("_n_timesteps", None)  # columns, whatever set_params
            state.setdefault("patch_size_", state.pop("_patch_size", 1))  # nor patches
            state.setdefault("_patch_scaling", None)  # nor their scaling
        super().__setstate__(state)

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
            monitored. They are read as given: in a pipeline they do not pass
            through the steps before the estimator, so transform them as ``X`` is
            (``scaler.fit(X).transform(X_val)``).
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
            Return the state after every step instead of what the output layer
            reads (see ``readout``).

        Returns
        -------
        H : ndarray of shape (n_samples, n_units), or \
                (n_samples, n_steps, n_units) with ``all_steps=True``
            ``n_units`` is the last layer's size, doubled if bidirectional (the
            forward direction's units first). Without ``all_steps``: what the
            output layer reads, each unit's maximum or mean over the real steps, or
            with ``readout="last"`` the state at each sequence's last real step
            (and, bidirectional, the backward direction's state at the first
            step). With ``all_steps``, one state per step the network reads:
            ``n_steps`` is ``ceil(n_timesteps / patch_size_)``, and steps after the
            end of a shorter sequence are NaN.

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
