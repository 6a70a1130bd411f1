"""A stack of recurrent layers read by a dense head, as pure functions of one flat
parameter vector.

The network knows shapes and names, not values: parameters live in a flat vector owned
by the caller, and :meth:`RecurrentNetwork.unpack` views it as named arrays keyed like
PyTorch's state dicts (``weight_ih_l0``, ``bias_hh_l1_reverse``, ...) followed by the
head (``output_weight``, ``output_bias``).
"""

import math

import numpy as np

from ._cells import make_cell
from ._workspace import Workspace, workspace_or_new

CELL_PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


READOUTS = ("last", "mean", "max")


class RecurrentNetwork:
    """Recurrent layers feeding a linear head on their readout (or every timestep).

    Parameters
    ----------
    cell : str
        Key of the cell in ``CELLS``: ``"rnn"``, ``"lstm"`` or ``"gru"``.
    n_features : int
        Size of each input vector.
    hidden_sizes : tuple of int
        Hidden units of each recurrent layer, bottom first.
    n_outputs : int
        Size of the head's output.
    activation : str, default="tanh"
        Nonlinearity of the Elman cell (the gated cells ignore it).
    bidirectional : bool, default=False
        Whether each layer also reads the sequence backwards.
    output_sequence : bool, default=False
        Whether the head reads every timestep (one output per step) instead of
        one readout of the sequence.
    readout : {"last", "mean", "max"}, default="last"
        What the head of a many-to-one network reads from the top layer: the state
        at the last real step (the backward direction's at the first), or the mean
        or the per-unit maximum of the states over the real steps. Ignored with
        ``output_sequence``.
    """

    def __init__(
        self,
        cell,
        n_features,
        hidden_sizes,
        n_outputs,
        *,
        activation="tanh",
        bidirectional=False,
        output_sequence=False,
        readout="last",
    ):
        if readout not in READOUTS:
            raise ValueError(f"readout must be one of {READOUTS}, got {readout!r}.")
        self.cell = make_cell(cell, activation)
        # Python ints: sizes computed from them (memory estimates) never wrap around.
        self.n_features = int(n_features)
        self.hidden_sizes = tuple(int(n_hidden) for n_hidden in hidden_sizes)
        self.n_outputs = int(n_outputs)
        self.directions = ("", "_reverse") if bidirectional else ("",)
        self.output_sequence = output_sequence
        # a head on every step reads no summary: its states are those of each step
        self.readout = "last" if output_sequence else readout
        self.specs = self._param_specs()
        self._sizes = [math.prod(shape) for _, shape in self.specs]
        self.n_params = sum(self._sizes)
        # What shapes the network, as the estimators' parameters name it.
        self.architecture = {
            "cell": cell,
            "activation": getattr(self.cell, "activation", None),  # Elman's only
            "hidden_layer_sizes": self.hidden_sizes,
            "bidirectional": bidirectional,
            "output_sequence": output_sequence,
            "readout": self.readout,
        }

    def _param_specs(self):
        """Names and shapes of every parameter, in flat-vector order."""
        gates = self.cell.n_gates
        specs = []
        n_in = self.n_features
        for k, n_hidden in enumerate(self.hidden_sizes):
            for suffix in self.directions:
                shapes = (
                    (gates * n_hidden, n_in),
                    (gates * n_hidden, n_hidden),
                    (gates * n_hidden,),
                    (gates * n_hidden,),
                )
                for name, shape in zip(CELL_PARAMS, shapes):
                    specs.append((f"{name}_l{k}{suffix}", shape))
            n_in = n_hidden * len(self.directions)
        specs.append(("output_weight", (self.n_outputs, n_in)))
        specs.append(("output_bias", (self.n_outputs,)))
        return specs

    def bptt_bytes(self, batch_size: int, n_timesteps: int, itemsize: int) -> int:
        """Memory one BPTT pass over a batch holds at its peak, in bytes.

        Every layer and direction keeps, at every timestep of every sequence, its
        inputs twice (as given and in the cell's step operands, with a row of
        ones) and, per hidden unit, the ``bptt_floats`` of its cell; and one more
        column of step operands.
        """
        per_step, per_sequence, n_in = 0, 0, self.n_features
        for n_hidden in self.hidden_sizes:
            per_direction = 2 * n_in + 1 + self.cell.bptt_floats * n_hidden
            per_step += per_direction * len(self.directions)
            per_sequence += (n_hidden + n_in + 1) * len(self.directions)
            n_in = n_hidden * len(self.directions)
        floats = int(n_timesteps) * per_step + per_sequence
        return int(batch_size) * floats * int(itemsize)

    def unpack(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        """View a flat vector as a dict of named parameter arrays (no copy)."""
        views, start = {}, 0
        for (name, shape), size in zip(self.specs, self._sizes):
            views[name] = flat[start : start + size].reshape(shape)
            start += size
        return views

    def pack(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        """Concatenate named arrays into a new flat vector, in spec order."""
        return np.concatenate([np.ravel(arrays[name]) for name, _ in self.specs])

    def weight_names(self) -> list[str]:
        """Names of the weight matrices, the parameters that L2 penalises."""
        return [name for name, shape in self.specs if len(shape) == 2]

    def init_params(
        self, random_state: np.random.RandomState, dtype: np.dtype | type
    ) -> np.ndarray:
        """Draw parameters as PyTorch does: ``U(-1/sqrt(fan), 1/sqrt(fan))``.

        ``fan`` is the hidden size for recurrent layers and the input size for the
        head, so a fitted model and a freshly built ``torch.nn.RNN`` start alike.
        """
        flat = np.empty(self.n_params, dtype=dtype)
        for name, view in self.unpack(flat).items():
            if name.startswith("output"):
                fan = self.specs[-2][1][1]
            else:
                fan = self.hidden_sizes[int(name.split("_l")[1].split("_")[0])]
            bound = 1.0 / np.sqrt(fan)
            view[...] = random_state.uniform(-bound, bound, size=view.shape)
        return flat

    def output_bound(self, flat: np.ndarray, input_bound: float) -> float:
        """An upper bound of the head's ``|Z|`` over inputs with ``|x| <= input_bound``.

        The states of the gated cells and of ``tanh`` lie in [-1, 1], so every
        pre-activation of a layer is at most ``|W_ih| n_in |x| + |W_hh| n_hidden +
        |b_ih| + |b_hh|`` in absolute value (largest entries), and the head's output
        ``|W| n_top + |b|``: while these are finite nothing overflows (nor makes NaN
        of ``inf - inf``). Elman states of ``relu`` or ``identity`` have no bound:
        ``inf``.
        """
        if getattr(self.cell, "activation", None) not in (None, "tanh"):  # Elman's
            return np.inf
        params = self.unpack(flat)

        def largest(array):
            return float(np.abs(array).max())

        bound, n_in = float(input_bound), self.n_features
        for k, n_hidden in enumerate(self.hidden_sizes):
            for suffix in self.directions:
                w_ih, w_hh, b_ih, b_hh = map(
                    largest, self._layer_params(params, k, suffix)
                )
                pre = w_ih * n_in * bound + w_hh * n_hidden + b_ih + b_hh
                if not np.isfinite(pre) or pre > np.finfo(flat.dtype).max / 2:
                    return np.inf
            bound, n_in = 1.0, n_hidden * len(self.directions)
        return largest(params["output_weight"]) * n_in + largest(params["output_bias"])

    def _layer_params(self, params, k, suffix):
        return tuple(params[f"{name}_l{k}{suffix}"] for name in CELL_PARAMS)

    def _layers(self, params, X, lengths, training, workspace):
        """Run every layer; return the top layer's states, the caches and ``flip``.

        The states are batch-last: ``(n_hidden * n_directions, n_timesteps,
        batch_size)``.
        """
        ws = workspace_or_new(workspace)
        # The cells work batch-last: (n_features, n_timesteps, batch_size).
        inputs = ws.empty("inputs", X.shape[::-1], X.dtype)
        np.copyto(inputs, X.transpose(2, 1, 0))
        flip = _time_reversal(lengths, inputs.shape[1])
        caches = []
        for k in range(len(self.hidden_sizes)):
            outputs = []
            for suffix in self.directions:
                x = inputs if not suffix else flip(inputs)
                H, cache = self.cell.forward(
                    x,
                    *self._layer_params(params, k, suffix),
                    training=training,
                    workspace=ws.child((k, suffix)),
                )
                outputs.append(H if not suffix else flip(H))
                caches.append(cache)
            inputs = outputs[0] if len(outputs) == 1 else np.concatenate(outputs, 0)
        return inputs, caches, flip

    def hidden_states(
        self,
        flat: np.ndarray,
        X: np.ndarray,
        lengths: np.ndarray | None = None,
        *,
        all_steps: bool = False,
    ) -> np.ndarray:
        """The top layer's states: what the head reads, or those of every step.

        Parameters
        ----------
        flat : ndarray of shape (n_params,)
        X : ndarray of shape (batch_size, n_timesteps, n_features)
            Sequences, zero-padded at the end when shorter than ``n_timesteps``.
        lengths : ndarray of shape (batch_size,) or None, default=None
            Real length of each sequence; ``None`` when all are ``n_timesteps`` long.
        all_steps : bool, default=False
            Return the states of every step instead of the one the head reads.

        Returns
        -------
        H : ndarray of shape (batch_size, n_hidden * n_directions), or \
                (batch_size, n_timesteps, n_hidden * n_directions) with ``all_steps``
            Without ``all_steps``: what the head reads (see ``readout``).
        """
        params = self.unpack(flat)
        H, _, _ = self._layers(params, X, lengths, False, None)
        if all_steps:
            return H.transpose(2, 1, 0).copy()
        return self._read_out(H, lengths)[0].T.copy()

    def forward(
        self,
        flat: np.ndarray,
        X: np.ndarray,
        lengths: np.ndarray | None = None,
        *,
        training: bool = True,
        workspace: Workspace | None = None,
    ) -> tuple[np.ndarray, tuple | None]:
        """Compute the head's pre-activations for a batch of sequences.

        Parameters
        ----------
        flat : ndarray of shape (n_params,)
        X : ndarray of shape (batch_size, n_timesteps, n_features)
            Sequences, zero-padded at the end when shorter than ``n_timesteps``.
        lengths : ndarray of shape (batch_size,) or None, default=None
            Real length of each sequence; ``None`` when all are ``n_timesteps`` long.
            Padded steps never influence a real step's output.
        training : bool, default=True
            Whether :meth:`backward` will follow; ``False`` skips building its cache.
        workspace : Workspace or None, default=None
            Memory kept from one batch to the next, which the cache lives in.

        Returns
        -------
        Z : ndarray of shape (batch_size, n_outputs), or \
                (batch_size, n_timesteps, n_outputs) with ``output_sequence``
        cache : tuple or None
            What :meth:`backward` needs (``None`` unless ``training``).
        """
        params = self.unpack(flat)
        inputs, caches, flip = self._layers(params, X, lengths, training, workspace)
        weight, bias = params["output_weight"], params["output_bias"]
        if self.output_sequence:
            n_in, n_steps, batch = inputs.shape
            Z = weight @ inputs.reshape(n_in, -1) + bias[:, None]
            Z = Z.reshape(-1, n_steps, batch).transpose(2, 1, 0)
            return Z, (inputs, None, None, caches, flip) if training else None
        read, peak = self._read_out(inputs, lengths)
        Z = (weight @ read).T + bias
        return Z, (inputs, read, peak, caches, flip) if training else None

    def forward_states(
        self,
        flat: np.ndarray,
        X: np.ndarray,
        lengths: np.ndarray | None = None,
        initial_states: list | None = None,
    ) -> tuple[np.ndarray, list]:
        """Read a batch of sequences and return the head's output at each one's
        last real step, and the state every layer reached there.

        Inference only, and for one direction: what a forecast needs to carry
        the sequences on one step at a time, each call continuing from the states
        the previous one returned. Ragged sequences are read in segments between
        their distinct lengths, each segment continuing from the last one's
        states, so that each sequence's states are those after its last real step
        (the padding is never read).

        Parameters
        ----------
        flat : ndarray of shape (n_params,)
        X : ndarray of shape (batch_size, n_timesteps, n_features)
            Sequences, padded at the end when shorter than ``n_timesteps``.
        lengths : ndarray of shape (batch_size,) or None, default=None
            Real length of each sequence; ``None`` when all are ``n_timesteps``
            long.
        initial_states : list or None, default=None
            One state per layer, as returned by an earlier call (for the LSTM a
            pair ``(h, c)``, otherwise ``h``, each of shape
            ``(n_hidden, batch_size)``); ``None`` starts from zero.

        Returns
        -------
        Z : ndarray of shape (batch_size, n_outputs)
            Head pre-activations at each sequence's last real step.
        states : list
            The state of every layer after each sequence's last real step, in the
            form ``initial_states`` takes.
        """
        if len(self.directions) > 1:
            raise ValueError(
                "A bidirectional network cannot be stepped forward: its backward "
                "direction reads every sequence from its end."
            )
        params = self.unpack(flat)
        batch, n_steps = X.shape[:2]
        if lengths is None:
            lengths = np.full(batch, n_steps)
        states = initial_states
        top = np.empty((self.hidden_sizes[-1], batch), dtype=X.dtype)
        start = 0
        for end in np.unique(lengths):
            rows = np.flatnonzero(lengths >= end)  # the sequences still running
            x = X[rows, start:end].transpose(2, 1, 0)
            new_states = []
            for k in range(len(self.hidden_sizes)):
                before = None if states is None else _take_state(states[k], rows)
                x, _, state = self.cell.forward(
                    x,
                    *self._layer_params(params, k, ""),
                    training=False,
                    initial_state=before,
                    return_state=True,
                )
                new_states.append(state)
            states = [
                _put_state(old, rows, new, batch)
                for old, new in zip(states or [None] * len(new_states), new_states)
            ]
            top[:, rows] = x[:, -1]
            start = end
        Z = (params["output_weight"] @ top).T + params["output_bias"]
        return Z, states

    def _last_step(self, H, lengths):
        """Index ``(steps, samples)`` of each sequence's last real step in ``H``."""
        batch = np.arange(H.shape[2])
        if lengths is None:
            return np.full(H.shape[2], H.shape[1] - 1), batch
        return lengths - 1, batch

    def _last_states(self, H, lengths):
        """Forward direction's last real state and backward direction's first.

        ``H`` is ``(n_hidden, n_timesteps, batch_size)``; the result is
        ``(n_hidden, batch_size)``.
        """
        n_hidden = self.hidden_sizes[-1]
        steps, batch = self._last_step(H, lengths)
        last = H[:, steps, batch]
        if len(self.directions) == 1:
            return last
        return np.concatenate([last[:n_hidden], H[n_hidden:, 0]], axis=0)

    def _read_out(self, H, lengths):
        """What the head reads from the top states ``H`` (batch-last), per readout.

        ``H`` is ``(n_top, n_timesteps, batch_size)``; returns what the head reads,
        ``(n_top, batch_size)``, and for ``readout="max"`` the step where each
        unit peaked (``None`` otherwise), which the backward pass needs. Pooling
        reads the real steps only.
        """
        readout = getattr(self, "readout", "last")  # networks pickled before it
        if readout == "last":
            return self._last_states(H, lengths), None
        real = _real_steps(H, lengths)
        if readout == "mean":
            total = H.sum(axis=1) if real is None else np.where(real, H, 0).sum(axis=1)
            return total / _n_real(H, lengths), None
        masked = H if real is None else np.where(real, H, -np.inf)
        peak = masked.argmax(axis=1)
        return np.take_along_axis(masked, peak[:, None, :], axis=1)[:, 0], peak

    def _read_out_backward(self, H, lengths, peak, d_read, dH):
        """Send the gradient of what the head read, ``d_read``, into ``dH``."""
        readout = getattr(self, "readout", "last")
        if readout == "last":
            n_hidden = self.hidden_sizes[-1]
            steps, batch = self._last_step(H, lengths)
            dH[:n_hidden, steps, batch] = d_read[:n_hidden]  # into the last states
            if len(self.directions) == 2:
                dH[n_hidden:, 0] = d_read[n_hidden:]  # the backward pass's first
            return
        if readout == "mean":
            real = _real_steps(H, lengths)
            # into every real step, a share of one over the sequence's length
            dH[...] = (d_read / _n_real(H, lengths))[:, None, :]
            if real is not None:
                dH *= real
            return
        # max: into the step where each unit peaked
        np.put_along_axis(dH, peak[:, None, :], d_read[:, None, :], axis=1)

    def backward(
        self,
        flat: np.ndarray,
        dZ: np.ndarray,
        cache: tuple,
        lengths: np.ndarray | None = None,
        truncate: int | None = None,
        workspace: Workspace | None = None,
    ) -> np.ndarray:
        """Backpropagate ``dZ`` through the head and every layer.

        Parameters
        ----------
        flat : ndarray of shape (n_params,)
        dZ : ndarray of shape (batch_size, n_outputs), or \
                (batch_size, n_timesteps, n_outputs) with ``output_sequence``
            Gradient of the loss with respect to the head's pre-activations (zero at
            padded steps).
        cache : tuple
            The cache returned by :meth:`forward`.
        lengths : ndarray of shape (batch_size,) or None, default=None
            The lengths given to :meth:`forward`.
        truncate : int or None, default=None
            Truncated BPTT window, passed to every cell: in each layer and
            direction, the gradient entering a state at step ``t`` (from the head
            or from the layer above) flows back through at most ``truncate`` steps
            of that layer's recurrence. ``None`` is full BPTT.
        workspace : Workspace or None, default=None
            The workspace given to :meth:`forward`.

        Returns
        -------
        grad : ndarray of shape (n_params,)
            Gradient with respect to ``flat``.
        """
        params = self.unpack(flat)
        ws = workspace_or_new(workspace)
        top, read, peak, caches, flip = cache
        grad = np.empty_like(flat)
        grads = self.unpack(grad)
        n_top = top.shape[0]
        if self.output_sequence:
            # batch-last like the states: (n_outputs, n_timesteps * batch_size)
            flat_dZ = dZ.transpose(2, 1, 0).reshape(dZ.shape[-1], -1)
            # into the head's weights, from every timestep in one product
            grads["output_weight"][...] = flat_dZ @ top.reshape(n_top, -1).T
            grads["output_bias"][...] = flat_dZ.sum(axis=1)  # into the head's bias
            dH = (params["output_weight"].T @ flat_dZ).reshape(top.shape)  # states
        else:
            grads["output_weight"][...] = dZ.T @ read.T  # into the head's weights
            grads["output_bias"][...] = dZ.sum(axis=0)  # into the head's bias
            d_read = params["output_weight"].T @ dZ.T  # into what the head read
            dH = ws.zeros("dH", top.shape, flat.dtype)
            self._read_out_backward(top, lengths, peak, d_read, dH)  # into the states
        for k in reversed(range(len(self.hidden_sizes))):
            n_hidden = self.hidden_sizes[k]
            d_inputs = None
            for j, suffix in enumerate(self.directions):
                dH_dir = dH[j * n_hidden : (j + 1) * n_hidden]
                dX, layer_grads = self.cell.backward(
                    dH_dir if not suffix else flip(dH_dir),
                    *self._layer_params(params, k, suffix),
                    caches[k * len(self.directions) + j],
                    input_grad=k > 0,
                    truncate=truncate,
                    workspace=ws.child((k, suffix)),
                )
                for name, g in zip(CELL_PARAMS, layer_grads):
                    grads[f"{name}_l{k}{suffix}"][...] = g
                if k > 0:
                    dX = dX if not suffix else flip(dX)
                    d_inputs = dX if d_inputs is None else d_inputs + dX
            dH = d_inputs
        return grad


def _real_steps(H, lengths):
    """Mask ``(1, n_timesteps, batch_size)`` of the real steps, or ``None``."""
    if lengths is None:
        return None
    return (np.arange(H.shape[1])[:, None] < lengths[None, :])[None]


def _n_real(H, lengths):
    """Number of real steps of each sequence, in ``H``'s dtype."""
    if lengths is None:
        return H.dtype.type(H.shape[1])
    return lengths.astype(H.dtype)


def _time_reversal(lengths, n_steps):
    """A function reversing each sequence's real steps, leaving padding in place.

    It acts on batch-last arrays ``(size, n_timesteps, batch_size)``. Applied
    twice it is the identity, so it maps a reversed pass back to natural time as
    well. Without lengths it is a plain ``[:, ::-1]`` (copied, so that the cells
    get contiguous arrays).
    """
    if lengths is None:
        return lambda A: np.ascontiguousarray(A[:, ::-1])
    t = np.arange(n_steps)[:, None]
    steps = np.where(t < lengths, lengths - 1 - t, t)  # (n_steps, batch)
    batch = np.arange(len(lengths))
    return lambda A: A[:, steps, batch]


def _take_state(state, rows):
    """The columns ``rows`` of a layer's state (an array, or the LSTM's pair)."""
    if isinstance(state, tuple):
        return tuple(part[:, rows] for part in state)
    return state[:, rows]


def _put_state(state, rows, new, batch_size):
    """``state`` with its columns ``rows`` replaced by ``new`` (``state`` None: new
    zero states of ``batch_size`` columns first)."""
    if isinstance(new, tuple):
        if state is None:
            state = tuple(
                np.zeros((part.shape[0], batch_size), part.dtype) for part in new
            )
        for part, value in zip(state, new):
            part[:, rows] = value
        return state
    if state is None:
        state = np.zeros((new.shape[0], batch_size), new.dtype)
    state[:, rows] = new
    return state
