"""What every recurrent cell offers, and what each one caches for BPTT.

A cell is pure math over a whole batch of batch-last sequences ``(size,
n_timesteps, batch_size)``; it owns no parameters. ``forward`` returns the hidden
state at every step and a cache; ``backward`` takes the gradient with respect to
every hidden state and that cache, and returns the gradient with respect to the
inputs and to each parameter (``weight_ih``, ``weight_hh``, ``bias_ih``,
``bias_hh``, laid out as in PyTorch).
"""

from typing import NamedTuple, Protocol

import numpy as np

from .._workspace import Workspace


class ElmanCache(NamedTuple):
    """What the Elman cell's :meth:`backward` reads."""

    operands: np.ndarray
    """``[h_{t-1}; x_t; 1]`` of every step, ``(n_hidden + n_inputs + 1,
    n_timesteps + 1, batch_size)``; the hidden rows of column ``t + 1`` are
    ``h_t``."""


class LSTMCache(NamedTuple):
    """What the LSTM's :meth:`backward` reads (gate blocks in the cell's order)."""

    operands: np.ndarray
    """``[h_{t-1}; x_t; 1]`` of every step, as :class:`ElmanCache`'s."""
    factor: np.ndarray
    """``(n_timesteps, 4, n_hidden, batch_size)``: ``tanh(c_t) o (1-o)``,
    ``g i (1-i)``, ``c_{t-1} f (1-f)`` and ``i (1-g^2)``."""
    dh_dc: np.ndarray
    """``(n_timesteps, n_hidden, batch_size)``: ``o (1 - tanh(c_t)^2)``."""
    forget: np.ndarray
    """``(n_timesteps, n_hidden, batch_size)``: ``f_t``."""


class GRUCache(NamedTuple):
    """What the GRU's :meth:`backward` reads."""

    operands: np.ndarray
    """``[h_{t-1}; x_t; 1]`` of every step, as :class:`ElmanCache`'s."""
    factor: np.ndarray
    """``(n_timesteps, 3, n_hidden, batch_size)``: ``(W_hn h_{t-1} + b_hn) r
    (1-r)``, ``(h_{t-1} - n) z (1-z)`` and ``(1-z)(1-n^2)``."""
    gates: np.ndarray
    """``(n_timesteps, 2 * n_hidden, batch_size)``: ``r_t`` and ``z_t``."""


Cache = ElmanCache | LSTMCache | GRUCache


class Cell(Protocol):
    """The interface of :class:`ElmanCell`, :class:`LSTMCell` and :class:`GRUCell`."""

    n_gates: int
    """Gate blocks stacked in each weight matrix (1, 4 or 3)."""
    bptt_floats: int
    """Floats per hidden unit, step and sequence that BPTT holds at its peak."""

    def forward(
        self,
        X: np.ndarray,
        weight_ih: np.ndarray,
        weight_hh: np.ndarray,
        bias_ih: np.ndarray,
        bias_hh: np.ndarray,
        *,
        training: bool = True,
        workspace: Workspace | None = None,
        initial_state: np.ndarray | None = None,
        return_state: bool = False,
    ) -> tuple:
        """Hidden states ``(n_hidden, n_timesteps, batch_size)`` and the cache (or
        ``None`` when not ``training``), then, with ``return_state``, the state
        ``(n_hidden, batch_size)`` after the last step."""

    def backward(
        self,
        dH: np.ndarray,
        weight_ih: np.ndarray,
        weight_hh: np.ndarray,
        bias_ih: np.ndarray,
        bias_hh: np.ndarray,
        cache: Cache,
        *,
        input_grad: bool = True,
        truncate: int | None = None,
        workspace: Workspace | None = None,
    ) -> tuple[np.ndarray | None, tuple[np.ndarray, ...]]:
        """Gradients with respect to the inputs (or ``None``) and the parameters."""
