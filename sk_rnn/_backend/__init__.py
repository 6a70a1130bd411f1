"""The BPTT backend: pure NumPy math, knowing nothing of scikit-learn.

- ``_cells/``: recurrent cells (forward over a batch of sequences, backward = BPTT);
- ``_network.py``: layers of cells and a dense head over one flat parameter vector;
- ``_losses.py``: output activations paired with their losses;
- ``_objective.py``: the weighted, penalised loss and its gradient;
- ``_parallel.py``: shards of a batch on worker processes, and BLAS threads.
"""

from ._cells import CELLS
from ._losses import LOSSES
from ._network import RecurrentNetwork
from ._objective import (
    ShardData,
    loss_and_gradient,
    make_objective,
    sharded_objective,
    step_mask,
)
from ._parallel import blas_plan, n_processes, one_blas_thread, plan_shards, split_batch

__all__ = [
    "CELLS",
    "LOSSES",
    "RecurrentNetwork",
    "ShardData",
    "blas_plan",
    "loss_and_gradient",
    "make_objective",
    "n_processes",
    "one_blas_thread",
    "plan_shards",
    "sharded_objective",
    "split_batch",
    "step_mask",
]
