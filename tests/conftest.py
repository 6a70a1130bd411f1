"""Test configuration shared by the whole suite."""

import os

# Let scikit-learn run its array-API input check instead of skipping it; this must be
# set before SciPy is imported.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# Plots in tests, doctests and examples draw off screen.
os.environ.setdefault("MPLBACKEND", "Agg")
