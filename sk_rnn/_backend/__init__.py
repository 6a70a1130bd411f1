"""The BPTT backend: pure NumPy math, knowing nothing of scikit-learn.

- ``_cells/``: recurrent cells (forward over a batch of sequences, backward = BPTT);
- ``_network.py``: layers of cells and a dense head over one flat parameter vector;
- ``_losses.py``: output activations paired with their losses;
- ``_objective.py``: the weighted, penalised loss and its gradient.
"""

from ._losses import LOSSES
from ._network import RecurrentNetwork
from ._objective import (
    ShardData,
    loss_and_gradient,
    make_objective,
    sharded_objective,
)

__all__ = [
    "LOSSES",
    "RecurrentNetwork",
    "ShardData",
    "loss_and_gradient",
    "make_objective",
    "sharded_objective",
]
