"""Tools for users of sk_rnn."""

from ._gradient_check import check_gradients

__all__ = ["check_gradients"]
