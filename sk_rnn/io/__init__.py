"""Saving and loading models safely (skops), and which format to use when.

Use :func:`dump`/:func:`load` for models that travel between people or machines;
``pickle``/``joblib`` only for files you made yourself.
"""

from ._skops import dump, load, trusted_types

__all__ = ["dump", "load", "trusted_types"]
