"""A stack of recurrent layers read by a dense head, as pure functions of one flat
parameter vector.

The network knows shapes and names, not values: parameters live in a flat vector owned
by the caller, and :meth:`RecurrentNetwork.unpack` views it as named arrays keyed like
PyTorch's state dicts (``weight_ih_l0``, ``bias_hh_l1_reverse``, ...) followed by the
head (``output_weight``, ``output_bias``).
"""

import numpy as np

from ._cells import make_cell

CELL_PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


class RecurrentNetwork:
    """Recurrent layers feeding a linear head on the last timestep.

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
    ):
        self.cell = make_cell(cell, activation)
        self.n_features = n_features
        self.hidden_sizes = tuple(hidden_sizes)
        self.n_outputs = n_outputs
        self.directions = ("", "_reverse") if bidirectional else ("",)
        self.specs = self._param_specs()
        self.n_params = sum(int(np.prod(shape)) for _, shape in self.specs)

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

    def unpack(self, flat):
        """View a flat vector as a dict of named parameter arrays (no copy)."""
        views, start = {}, 0
        for name, shape in self.specs:
            size = int(np.prod(shape))
            views[name] = flat[start : start + size].reshape(shape)
            start += size
        return views

    def pack(self, arrays):
        """Concatenate named arrays into a new flat vector, in spec order."""
        return np.concatenate([np.ravel(arrays[name]) for name, _ in self.specs])

    def weight_names(self):
        """Names of the weight matrices, the parameters that L2 penalises."""
        return [name for name, shape in self.specs if len(shape) == 2]

    def init_params(self, random_state, dtype):
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

    def _layer_params(self, params, k, suffix):
        return tuple(params[f"{name}_l{k}{suffix}"] for name in CELL_PARAMS)

    def forward(self, flat, X):
        """Compute the head's pre-activations for a batch of sequences.

        Parameters
        ----------
        flat : ndarray of shape (n_params,)
        X : ndarray of shape (batch_size, n_timesteps, n_features)

        Returns
        -------
        Z : ndarray of shape (batch_size, n_outputs)
        cache : tuple
            What :meth:`backward` needs.
        """
        params = self.unpack(flat)
        inputs = np.ascontiguousarray(X.transpose(1, 0, 2))  # time-major
        caches = []
        for k in range(len(self.hidden_sizes)):
            outputs = []
            for suffix in self.directions:
                x = inputs if not suffix else inputs[::-1]
                H, cache = self.cell.forward(x, *self._layer_params(params, k, suffix))
                outputs.append(H if not suffix else H[::-1])
                caches.append(cache)
            inputs = outputs[0] if len(outputs) == 1 else np.concatenate(outputs, -1)
        last = self._last_state(inputs)
        Z = last @ params["output_weight"].T + params["output_bias"]
        return Z, (inputs.shape, last, caches)

    def _last_state(self, H):
        """Forward direction's last state and backward direction's first state."""
        n_hidden = self.hidden_sizes[-1]
        if len(self.directions) == 1:
            return H[-1]
        return np.concatenate([H[-1, :, :n_hidden], H[0, :, n_hidden:]], axis=1)

    def backward(self, flat, dZ, cache, truncate=None):
        """Backpropagate ``dZ`` through the head and every layer.

        Parameters
        ----------
        flat : ndarray of shape (n_params,)
        dZ : ndarray of shape (batch_size, n_outputs)
            Gradient of the loss with respect to the head's pre-activations.
        cache : tuple
            The cache returned by :meth:`forward`.
        truncate : int or None, default=None
            Truncated BPTT window, passed to every cell: in each layer and
            direction, the gradient entering a state at step ``t`` (from the head
            or from the layer above) flows back through at most ``truncate`` steps
            of that layer's recurrence. ``None`` is full BPTT.

        Returns
        -------
        grad : ndarray of shape (n_params,)
            Gradient with respect to ``flat``.
        """
        params = self.unpack(flat)
        top_shape, last, caches = cache
        grad = np.empty_like(flat)
        grads = self.unpack(grad)
        grads["output_weight"][...] = dZ.T @ last  # into the head's weights
        grads["output_bias"][...] = dZ.sum(axis=0)  # into the head's bias
        d_last = dZ @ params["output_weight"]  # into the last hidden state(s)
        dH = np.zeros(top_shape, dtype=flat.dtype)
        n_hidden = self.hidden_sizes[-1]
        dH[-1, :, :n_hidden] = d_last[:, :n_hidden]
        if len(self.directions) == 2:
            dH[0, :, n_hidden:] = d_last[:, n_hidden:]
        for k in reversed(range(len(self.hidden_sizes))):
            n_hidden = self.hidden_sizes[k]
            d_inputs = None
            for j, suffix in enumerate(self.directions):
                dH_dir = dH[:, :, j * n_hidden : (j + 1) * n_hidden]
                dX, layer_grads = self.cell.backward(
                    dH_dir if not suffix else dH_dir[::-1],
                    *self._layer_params(params, k, suffix),
                    caches[k * len(self.directions) + j],
                    input_grad=k > 0,
                    truncate=truncate,
                )
                for name, g in zip(CELL_PARAMS, layer_grads):
                    grads[f"{name}_l{k}{suffix}"][...] = g
                if k > 0:
                    dX = dX if not suffix else dX[::-1]
                    d_inputs = dX if d_inputs is None else d_inputs + dX
            dH = d_inputs
        return grad
