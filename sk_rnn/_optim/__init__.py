"""Optimizers: small classes that update a list of arrays in place."""

from ._stochastic_optimizers import AdamOptimizer, BaseOptimizer, SGDOptimizer

__all__ = ["AdamOptimizer", "BaseOptimizer", "SGDOptimizer"]
