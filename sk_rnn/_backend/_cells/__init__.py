"""Recurrent cells: pure math over a batch of batch-last sequences.

Arrays are ``(size, n_timesteps, batch_size)``: a step of any gate block is a
contiguous ``(hidden, batch_size)`` matrix (see ``_bptt``).

A cell's ``forward(X, *params)`` returns the hidden state at every timestep and a
cache; its ``backward(dH, *params, cache)`` returns the gradient with respect to the
inputs and one gradient per parameter. Parameters are passed in, never stored.
"""

from ._elman import ElmanCell
from ._gru import GRUCell
from ._lstm import LSTMCell
from ._protocol import Cell

CELLS = {"rnn": ElmanCell, "lstm": LSTMCell, "gru": GRUCell}


def make_cell(name, activation="tanh") -> Cell:
    """Build the cell called ``name`` in ``CELLS``.

    Parameters
    ----------
    name : {"rnn", "lstm", "gru"}
    activation : str, default="tanh"
        Nonlinearity of the Elman cell; the gated cells have theirs fixed and ignore
        it.

    Returns
    -------
    cell : ElmanCell, LSTMCell or GRUCell
        A :class:`Cell`.
    """
    if name == "rnn":
        return ElmanCell(activation)
    return CELLS[name]()


__all__ = ["CELLS", "Cell", "ElmanCell", "GRUCell", "LSTMCell", "make_cell"]
