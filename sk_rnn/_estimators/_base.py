"""The estimator base shared by RNNClassifier and RNNRegressor.

It validates parameters and inputs, owns the fitted parameters, builds the training
objective from the backend, and commits what a solver produced. Gradients never pass
through it: how each solver runs lives in :mod:`._solvers`, and what happens between
epochs (scores, stopping rules, best weights, progress) in :mod:`._monitor`.
"""

import copy
import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_consistent_length,
    check_is_fitted,
)

from .._backend import LOSSES, RecurrentNetwork, make_objective
from .._backend._parallel import map_shards, split_batch
from .._threads import blas_threads, plan_threads
from ._monitor import TrainingDiverged
from ._solvers import SequenceData, fit_epochs, fit_lbfgs
from ._steps import flatten_step_targets, real_steps, scatter_steps, split_steps
from ._validation import FLOAT_DTYPES, check_sequences

# BPTT keeps every hidden state of a batch: training refuses batches that would need
# more than this, and prediction runs in chunks of at most PREDICT_CHUNK_BYTES.
MAX_BATCH_BYTES = 8 * 2**30
PREDICT_CHUNK_BYTES = 256 * 2**20


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
        "n_threads": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
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
        n_threads="auto",
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
        self.n_threads = n_threads
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

    def _outputs(self, X, lengths=None, flat=None, n_shards=1):
        """Network outputs after the output activation, for validated 3-D ``X``.

        Sequences go through in chunks of at most ``PREDICT_CHUNK_BYTES`` of
        hidden states, so predicting on a large data set needs bounded memory;
        each chunk is cut into ``n_shards`` shards computed on parallel threads.
        """
        if flat is None:
            flat = self._params_flat()
        X = X.astype(flat.dtype, copy=False)
        per_sequence = self._network.bptt_bytes(1, X.shape[1], X.itemsize)
        chunk = max(1, PREDICT_CHUNK_BYTES // per_sequence)

        def forward(rows):
            part_lengths = None if lengths is None else lengths[rows]
            return self._network.forward(flat, X[rows], part_lengths, training=False)[0]

        Z = []
        for start in range(0, len(X), chunk):
            rows = np.arange(start, min(start + chunk, len(X)))
            Z.extend(map_shards(forward, split_batch(rows, n_shards)))
        return LOSSES[self._loss_name].predict(np.concatenate(Z))

    def _predict(self, X, finish):
        """Validate ``X`` and map the network outputs through ``finish``.

        ``finish`` turns outputs of shape ``(n, n_outputs)`` into predictions. With
        ``output_sequence`` it sees the outputs of every real step, and the result
        comes back per sequence: ``(n_samples, n_timesteps, ...)``, or a list of
        per-sequence arrays when the sequences have different lengths.
        """
        check_is_fitted(self)
        X, lengths = check_sequences(
            self, X, reset=False, dtype=self.output_bias_.dtype
        )
        n_shards, threads = self._plan_threads(len(X))
        with blas_threads(threads):
            outputs = self._outputs(X, lengths, n_shards=n_shards)
        if not self.output_sequence:
            return finish(outputs)
        mask = real_steps(lengths, *X.shape[:2])
        return split_steps(finish(outputs[mask]), mask, lengths)

    def _check_memory(self, batch_size, X):
        """Refuse, before any math, a batch whose BPTT would not fit in memory."""
        needed = self._network.bptt_bytes(batch_size, X.shape[1], X.itemsize)
        if needed > MAX_BATCH_BYTES:
            raise ValueError(
                f"One training batch of {batch_size} sequences of {X.shape[1]} steps "
                f"would hold {needed / 2**30:.1f} GiB of hidden states for BPTT, more "
                f"than the limit of {MAX_BATCH_BYTES / 2**30:.0f} GiB. Use a smaller "
                "batch_size (with solver='adam' or 'sgd'; 'lbfgs' and 'rprop' use "
                "the whole data set as one batch), fewer hidden units, or split the "
                "sequences into shorter windows."
            )

    def _plan_threads(self, batch_size, n_timesteps=None):
        """``(n_shards, blas_threads)`` for batches of ``batch_size`` sequences.

        ``n_timesteps`` plans training batches of that many steps, ``None``
        prediction (see :func:`~sk_rnn._threads.plan_threads`).
        """
        network = self._network
        return plan_threads(
            self.n_threads,
            batch_size,
            network.cell.n_gates,
            network.hidden_sizes,
            n_timesteps,
        )

    def _encode(self, y, X, lengths, **kwargs):
        """Training targets ``Y`` and the targets the validation score reads.

        Per-timestep targets are encoded as if each real step were a sample.
        """
        if not self.output_sequence:
            return self._encode_targets(y, **kwargs)
        mask = real_steps(lengths, *X.shape[:2])
        name = kwargs.get("input_name", "y")
        y_steps = flatten_step_targets(y, mask, name)
        Y_steps, _ = self._encode_targets(y_steps, **kwargs)
        Y = scatter_steps(Y_steps, mask)
        return Y, Y  # the score decodes the encoded targets of the real steps

    @abstractmethod
    def _decode_targets(self, Y):
        """Targets as ``y`` reads them, from encoded rows ``(n, n_outputs)``."""

    def _score_data(self, data, flat=None):
        """Validation score of the parameters ``flat`` on validated ``data``."""
        outputs = self._outputs(data.X, data.lengths, flat)
        if not self.output_sequence:
            return self._validation_score(outputs, data.y, data.sample_weight)
        mask = real_steps(data.lengths, *data.X.shape[:2])
        weights = np.broadcast_to(data.sample_weight[:, None], mask.shape)[mask]
        truth = self._decode_targets(data.y[mask])
        return self._validation_score(outputs[mask], truth, weights)

    def _score_steps(self, X, y, sample_weight):
        """``score`` with ``output_sequence``: every real step of every sequence."""
        check_is_fitted(self)
        X, lengths = check_sequences(
            self, X, reset=False, dtype=self.output_bias_.dtype
        )
        check_consistent_length(X, y)
        _, Y = self._encode(y, X, lengths, reset=False, dtype=X.dtype, incremental=True)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        return self._score_data(SequenceData(X, lengths, None, Y, sample_weight))

    # ------------------------------------------------------------- training
    def _start(
        self, X, y, sample_weight, *, first_pass, classes=None, incremental=False
    ):
        """Validate the data on a working copy of the estimator.

        The copy is shallow on a first pass (which replaces every fitted attribute)
        and deep otherwise, so that nothing the training does reaches ``self``
        before :meth:`_commit`. A first pass also builds and initialises the network.

        Returns
        -------
        state : BaseRNN
            The working copy.
        data : SequenceData
            The validated sequences, their lengths, targets and sample weights
            (times class weights for the classifier).
        """
        hidden_sizes = self._hidden_sizes()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is "
                "None."
            )
        if not first_pass:
            self._check_architecture(hidden_sizes)
        state = copy.copy(self) if first_pass else copy.deepcopy(self)
        # continuing: in the fitted dtype
        dtype = FLOAT_DTYPES if first_pass else self.output_bias_.dtype
        X, lengths = check_sequences(state, X, reset=first_pass, dtype=dtype)
        check_consistent_length(X, y)
        if self.output_sequence and getattr(self, "class_weight", None) is not None:
            raise ValueError(
                "class_weight is not supported with output_sequence=True; weigh "
                "whole sequences with sample_weight instead."
            )
        Y, y = state._encode(
            y,
            X,
            lengths,
            reset=first_pass,
            dtype=X.dtype,
            classes=classes,
            incremental=incremental,
        )
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        sample_weight = state._weigh_classes(y, sample_weight, incremental)
        if sample_weight.sum() <= 0:
            raise ValueError("sample_weight must have a positive sum.")
        state._random_state = check_random_state(self.random_state)
        if first_pass:
            state._initialize(hidden_sizes, Y.shape[-1], X.dtype)
        return state, SequenceData(X, lengths, Y, y, sample_weight)

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
        self.__dict__.pop("_optimizer", None)
        self.n_iter_ = 0
        self.t_ = 0
        self.loss_curve_ = []
        self._no_improvement_count = 0
        stop_on_validation = self._stops_on_validation()
        self.best_loss_ = None if stop_on_validation else np.inf
        self.validation_scores_ = [] if stop_on_validation else None
        self.best_validation_score_ = -np.inf if stop_on_validation else None

    def _gradient_problem(self, X, y, sample_weight=None):
        """The full-batch objective at the current weights, for gradient checking.

        Unfitted estimators get a fresh initialisation, as ``fit`` would draw it.
        Everything is float64 and the estimator is not modified.

        Returns
        -------
        network : RecurrentNetwork
        flat : ndarray of shape (n_params,)
        objective : callable
            ``objective(flat, indices) -> (loss, grad)`` with full BPTT.
        """
        fitted = hasattr(self, "_network")
        state, data = self._start(X, y, sample_weight, first_pass=not fitted)
        data = data._replace(
            X=data.X.astype(np.float64),
            Y=data.Y.astype(np.float64),
            sample_weight=data.sample_weight.astype(np.float64),
        )
        objective = state._make_objective(data, full_bptt=True)
        return state._network, state._params_flat().astype(np.float64), objective

    def _stops_on_validation(self):
        """Early stopping applies to the epoch solvers, as in MLP (not to L-BFGS)."""
        return self.early_stopping and self.solver != "lbfgs"

    def _make_objective(self, data, *, full_bptt=False):
        """The training objective on ``data``: ``objective(flat, indices)``.

        It returns ``(loss, grad)``; ``full_bptt=True`` ignores ``bptt_truncate``,
        for the exact gradient.
        """
        return make_objective(
            self._network,
            LOSSES[self._loss_name],
            data.X,
            data.Y,
            data.sample_weight,
            self.alpha,
            truncate=None if full_bptt else self.bptt_truncate,
            lengths=data.lengths,
            n_shards=getattr(self, "_n_shards", 1),
        )

    def _check_validation_data(self, X_val, y_val, sample_weight_val, dtype):
        """Validate a user-given validation set; ``None`` if there is none."""
        if X_val is None and y_val is None:
            if sample_weight_val is not None:
                raise ValueError(
                    "sample_weight_val is provided, but X_val and y_val were not."
                )
            return None
        if y_val is None:
            raise ValueError("X_val is provided, but y_val was not provided.")
        if X_val is None:
            raise ValueError("y_val is provided, but X_val was not provided.")
        X_val, lengths_val = check_sequences(
            self, X_val, reset=False, dtype=dtype, input_name="X_val"
        )
        check_consistent_length(X_val, y_val)
        _, y_val = self._encode(
            y_val,
            X_val,
            lengths_val,
            reset=False,
            dtype=dtype,
            incremental=True,
            input_name="y_val",
        )
        try:
            sample_weight_val = _check_sample_weight(
                sample_weight_val, X_val, dtype=dtype, ensure_non_negative=True
            )
        except (TypeError, ValueError) as error:  # scikit-learn says sample_weight
            message = str(error).replace("sample_weight", "sample_weight_val")
            raise type(error)(message) from None
        return SequenceData(X_val, lengths_val, None, y_val, sample_weight_val)

    def _fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        incremental=False,
        classes=None,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Fit on a working copy; the attributes change only if training succeeds.

        A run that diverges raises (``fit``) or warns and keeps the last finite
        weights (``partial_fit``).
        """
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        first_pass = not hasattr(self, "_network") or (
            not self.warm_start and not incremental
        )
        state, data = self._start(
            X,
            y,
            sample_weight,
            first_pass=first_pass,
            classes=classes,
            incremental=incremental,
        )
        validation = state._check_validation_data(
            X_val, y_val, sample_weight_val, data.X.dtype
        )
        state._check_memory(_work_batch(self, len(data.X)), data.X)
        flat = state._params_flat()
        try:
            # Overflow shows up as a non-finite loss or weight, which the monitor
            # turns into one clear error instead of a stream of NumPy warnings.
            with np.errstate(over="ignore", invalid="ignore"):
                # Planned once, before the BLAS limit below changes what "auto" sees.
                n_shards, threads = state._plan_threads(
                    _work_batch(self, len(data.X)), data.X.shape[1]
                )
                state._n_shards = n_shards
                with blas_threads(threads):
                    if self.solver == "lbfgs":
                        fit_lbfgs(state, flat, data, validation)
                    else:
                        fit_epochs(state, flat, data, validation, incremental)
        except TrainingDiverged as exc:
            if not incremental:
                raise ValueError(str(exc)) from None
            warnings.warn(str(exc), RuntimeWarning, stacklevel=4)
            del state._optimizer  # its state is no longer finite either
        state.__dict__.pop("_n_shards", None)  # a plan for this call only
        self._commit(state)
        return self

    def _commit(self, state):
        """Make the working copy's state the estimator's own."""
        self.__dict__.clear()
        self.__dict__.update(state.__dict__)

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
        return self._fit(
            X,
            y,
            sample_weight,
            X_val=X_val,
            y_val=y_val,
            sample_weight_val=sample_weight_val,
        )

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


def _work_batch(est, n_samples):
    """Rows of the products one training step multiplies."""
    if est.solver in ("lbfgs", "rprop"):  # full-batch methods
        return n_samples
    return min(200 if est.batch_size == "auto" else est.batch_size, n_samples)
