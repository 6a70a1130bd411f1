"""The fitted state of an estimator: its network, weights and training history.

The estimator stores its weights as fitted attributes in PyTorch's layout
(``recurrent_weights_``, ``output_weight_``, ``output_bias_``) and its training
history as MLP's (``n_iter_``, ``loss_curve_``, ...). This mixin converts between
those attributes and what the backend and the training loop read: the network with
one flat parameter vector, and a :class:`TrainingState`.
"""

from numbers import Integral

import numpy as np

from .._backend import LOSSES, RecurrentNetwork
from .._train import TrainingState
from ._fitting import MAX_BATCH_BYTES


class FittedStateMixin:
    """Network, weights and training history of :class:`BaseRNN`."""

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

    # --------------------------------------------------------------- network
    def _build_network(self, n_features, hidden_sizes, n_outputs):
        return RecurrentNetwork(
            self.cell,
            n_features,
            hidden_sizes,
            n_outputs,
            activation=self.activation,
            bidirectional=self.bidirectional,
            output_sequence=self.output_sequence,
            readout=self.readout,
        )

    def _check_architecture(self, hidden_sizes):
        """Continuing to train needs the network that the parameters describe."""
        fitted = self._network
        wanted = self._build_network(fitted.n_features, hidden_sizes, fitted.n_outputs)
        before = getattr(fitted, "architecture", wanted.architecture)  # older pickles
        before = {"readout": "last", **before}  # networks pickled before readout
        changed = [
            f"{name}={before[name]!r} -> {value!r}"
            for name, value in wanted.architecture.items()
            if before[name] != value
        ]
        if self.patch_size not in ("auto", self.patch_size_):  # the inputs it reads
            changed.append(f"patch_size={self.patch_size_!r} -> {self.patch_size!r}")
        if getattr(self, "_fit_on_2d", False):  # how it reads the columns of a row
            layout = {
                # fitted before these parameters: one feature a step, no static
                "n_features_per_step": (
                    getattr(self, "_n_features_per_step", None) or 1,
                    1,
                ),
                "n_timesteps": (getattr(self, "_n_timesteps", None), None),
            }
            for name, (fitted, unset) in layout.items():
                value = getattr(self, name)
                if (unset if value is None else value) != fitted:
                    changed.append(f"{name}={fitted!r} -> {value!r}")
        if changed:
            raise ValueError(
                "warm_start=True and partial_fit continue training the fitted "
                f"network, but its architecture has changed: {', '.join(changed)}. "
                "Fit with warm_start=False, or a clone, to build a new network."
            )

    def _initialize(self, hidden_sizes, n_outputs, dtype):
        """Build the network, draw its weights and reset the training history."""
        n_inputs = self._n_input_features * self.patch_size_  # a patch's features
        self._network = self._build_network(n_inputs, hidden_sizes, n_outputs)
        # the weights, their gradient and an optimizer's two moments
        needed = 4 * self._network.n_params * np.dtype(dtype).itemsize
        if needed > MAX_BATCH_BYTES:
            patches = (
                f" read {self.patch_size_} steps at a time ({n_inputs:,} inputs)"
                if self.patch_size_ > 1
                else ""
            )
            raise ValueError(
                f"hidden_layer_sizes={self.hidden_layer_sizes!r}, with "
                f"{self._n_input_features} input features{patches} and "
                f"{n_outputs} outputs, make a network of "
                f"{self._network.n_params:,} weights, {needed / 2**30:.1f} GiB with "
                "their gradient and optimizer state, more than the limit of "
                f"{MAX_BATCH_BYTES / 2**30:.0f} GiB. Use fewer hidden units, "
                "features or outputs, or a smaller patch_size."
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
