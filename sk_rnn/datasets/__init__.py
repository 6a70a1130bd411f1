"""Sequence data sets: generators of classic recurrent tasks, and sequential digits.

Every generator takes ``random_state`` and returns ``X`` of shape
``(n_samples, n_timesteps, n_features)`` with its targets. Nothing is downloaded: the
digits are scikit-learn's bundled 8x8 images.
"""

from ._digits import load_sequential_digits
from ._generators import (
    make_adding_problem,
    make_binary_sum,
    make_memory_task,
    make_ramps,
    make_sine,
)
from ._heartbeats import make_heartbeats

__all__ = [
    "load_sequential_digits",
    "make_adding_problem",
    "make_binary_sum",
    "make_heartbeats",
    "make_memory_task",
    "make_ramps",
    "make_sine",
]
