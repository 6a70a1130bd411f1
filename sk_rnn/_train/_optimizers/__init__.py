"""Optimizers: small classes that update a list of arrays in place."""

from ._rprop import RpropOptimizer
from ._stochastic import AdamOptimizer, BaseOptimizer, SGDOptimizer

__all__ = ["AdamOptimizer", "BaseOptimizer", "RpropOptimizer", "SGDOptimizer"]
