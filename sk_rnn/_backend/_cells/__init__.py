"""Recurrent cells: pure math over a batch of time-major sequences.

A cell's ``forward(X, *params)`` returns the hidden state at every timestep and a
cache; its ``backward(dH, *params, cache)`` returns the gradient with respect to the
inputs and one gradient per parameter. Parameters are passed in, never stored.
"""

from ._elman import ElmanCell

CELLS = {"rnn": ElmanCell}

__all__ = ["CELLS", "ElmanCell"]
