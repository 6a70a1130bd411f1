"""Test configuration shared by the whole suite."""

import os

# Let scikit-learn run its array-API input check instead of skipping it; this must be
# set before SciPy is imported.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
