"""Test configuration shared by the whole suite."""

import os

import pytest

# Let scikit-learn run its array-API input check instead of skipping it; this must be
# set before SciPy is imported.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# Plots in tests, doctests and examples draw off screen.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def classification():
    """120 sequences of 5 steps and 2 features, labelled "up" or "down"."""
    from _training import classification

    return classification()


@pytest.fixture
def regression():
    """60 sequences of 5 steps and 2 features with a real target."""
    from _training import regression

    return regression()
