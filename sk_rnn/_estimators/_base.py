"""The estimator base shared by RNNClassifier and RNNRegressor.

It validates parameters and inputs, owns the fitted parameters, and runs the epoch
loop with its stopping rules. Gradients never pass through it: it hands an objective
from the backend and an optimizer to :func:`sk_rnn._training.run_epoch`.
"""

import copy
import time
import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_consistent_length,
    check_is_fitted,
)

from .._backend import LOSSES, RecurrentNetwork, make_objective
from .._optim import AdamOptimizer, SGDOptimizer
from .._training import run_epoch
from ._validation import check_sequences


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
        "solver": [StrOptions({"adam", "sgd"})],
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
        "clip_norm": [Interval(Real, 0, None, closed="neither"), None],
    }

    # Set by the subclasses: the loss and how to score a validation set.
    _loss_name = None

    @abstractmethod
    def __init__(
        self,
        hidden_layer_sizes=(100,),
        *,
        cell="rnn",
        activation="tanh",
        bidirectional=False,
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
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.cell = cell
        self.activation = activation
        self.bidirectional = bidirectional
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

    # ------------------------------------------------------------------ hooks
    @abstractmethod
    def _encode_targets(self, y, reset, dtype):
        """Validate ``y``; return the training targets ``(n_samples, n_outputs)``."""

    @abstractmethod
    def _validation_score(self, outputs, y, sample_weight):
        """Score network ``outputs`` (after the output activation) against ``y``."""

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
        return sizes

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

    def _outputs(self, X, flat=None):
        """Network outputs after the output activation, for validated 3-D ``X``."""
        if flat is None:
            flat = self._params_flat()
        X = X.astype(flat.dtype, copy=False)
        Z, _ = self._network.forward(flat, X)
        return LOSSES[self._loss_name].predict(Z)

    def _predict_outputs(self, X):
        """Validate ``X`` and return the network outputs."""
        check_is_fitted(self)
        return self._outputs(check_sequences(self, X, reset=False))

    # ------------------------------------------------------------- training
    def _make_optimizer(self, params):
        if self.solver == "sgd":
            return SGDOptimizer(
                params,
                self.learning_rate_init,
                self.learning_rate,
                self.momentum,
                self.nesterovs_momentum,
                self.power_t,
            )
        return AdamOptimizer(
            params, self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon
        )

    def _fit(self, X, y, sample_weight=None, incremental=False):
        """Fit on validated inputs; the attributes change only if training succeeds."""
        hidden_sizes = self._hidden_sizes()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is "
                "None."
            )
        first_pass = not hasattr(self, "_network") or (
            not self.warm_start and not incremental
        )
        # Work on a copy so that a failure leaves a fitted estimator as it was.
        state = copy.copy(self) if first_pass else copy.deepcopy(self)
        X = check_sequences(state, X, reset=first_pass)
        if not first_pass:
            X = X.astype(self.output_weight_.dtype, copy=False)
        check_consistent_length(X, y)
        Y = state._encode_targets(y, reset=first_pass, dtype=X.dtype)
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        if sample_weight.sum() <= 0:
            raise ValueError("sample_weight must have a positive sum.")
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")

        if first_pass:
            state._random_state = check_random_state(self.random_state)
            state._network = RecurrentNetwork(
                self.cell,
                state._n_input_features,
                hidden_sizes,
                Y.shape[1],
                activation=self.activation,
                bidirectional=self.bidirectional,
            )
            flat = state._network.init_params(state._random_state, X.dtype)
            state.loss_curve_ = []
            state.best_loss_ = np.inf
            state._no_improvement_count = 0
            state.t_ = 0
            if self.early_stopping:
                state.validation_scores_ = []
                state.best_validation_score_ = -np.inf
            else:
                state.validation_scores_ = None
                state.best_validation_score_ = None
        else:
            flat = state._params_flat()
        if not incremental or not hasattr(state, "_optimizer"):
            state._optimizer = self._make_optimizer([flat])

        state._fit_stochastic(flat, X, Y, y, sample_weight, incremental)
        self.__dict__.clear()
        self.__dict__.update(state.__dict__)
        return self

    def _fit_stochastic(self, flat, X, Y, y, sample_weight, incremental):
        """Run epochs until convergence, early stopping or ``max_iter``."""
        rng = self._random_state
        if self.early_stopping:
            stratify = y if getattr(self, "classes_", None) is not None else None
            idx_train, idx_val = train_test_split(
                np.arange(X.shape[0]),
                random_state=rng,
                test_size=self.validation_fraction,
                stratify=stratify,
            )
            if len(idx_val) < 2:
                raise ValueError(
                    "The validation set is too small. Increase 'validation_fraction' "
                    "or the size of your dataset."
                )
            X_val, y_val, sw_val = (
                X[idx_val],
                np.asarray(y)[idx_val],
                sample_weight[idx_val],
            )
            X, Y, sample_weight = X[idx_train], Y[idx_train], sample_weight[idx_train]
            best_flat = flat.copy()
        n_samples = X.shape[0]
        if self.batch_size == "auto":
            batch_size = min(200, n_samples)
        else:
            if self.batch_size > n_samples:
                warnings.warn(
                    "Got `batch_size` larger than sample size. It is going to be "
                    "clipped.",
                    stacklevel=3,
                )
            batch_size = int(np.clip(self.batch_size, 1, n_samples))

        objective = make_objective(
            self._network, LOSSES[self._loss_name], X, Y, sample_weight, self.alpha
        )
        self.n_iter_ = 0
        start = time.perf_counter()
        for _ in range(self.max_iter):
            self.loss_ = run_epoch(
                objective,
                flat,
                self._optimizer,
                n_samples,
                batch_size,
                shuffle=self.shuffle,
                random_state=rng,
                clip_norm=self.clip_norm,
            )
            self.n_iter_ += 1
            self.t_ += n_samples
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(
                    f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}, "
                    f"time = {time.perf_counter() - start:.2f}s"
                )
            if self.early_stopping:
                score = self._validation_score(
                    self._outputs(X_val, flat), y_val, sw_val
                )
                self.validation_scores_.append(score)
                if self.verbose:
                    print(f"Validation score: {score:.6f}")
                improved = score >= self.best_validation_score_ + self.tol
                if score > self.best_validation_score_:
                    self.best_validation_score_ = score
                    best_flat[...] = flat
            else:
                improved = self.loss_ <= self.best_loss_ - self.tol
            self.best_loss_ = min(self.best_loss_, self.loss_)
            self._no_improvement_count = (
                0 if improved else self._no_improvement_count + 1
            )
            self._optimizer.iteration_ends(self.t_)

            if self._no_improvement_count > self.n_iter_no_change:
                what = "Validation score" if self.early_stopping else "Training loss"
                msg = (
                    f"{what} did not improve more than tol={self.tol:f} for "
                    f"{self.n_iter_no_change} consecutive epochs."
                )
                if self._optimizer.trigger_stopping(msg, self.verbose):
                    break
                self._no_improvement_count = 0
            if incremental:
                break
            if self.n_iter_ == self.max_iter:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                    "reached and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                    stacklevel=3,
                )
        self._set_params_flat(best_flat if self.early_stopping else flat)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model to sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps)
            Training sequences; 2-D input is a batch of univariate series.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets: class labels for the classifier, real values for the regressor.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss; ``None`` weighs all equally.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
