"""Recurrent neural networks for scikit-learn, trained by hand-written NumPy BPTT."""

from ._estimators import RNNClassifier, RNNRegressor, SequenceScaler
from ._plotting import LossCurveDisplay

__version__ = "0.2.0.dev0"

__all__ = [
    "LossCurveDisplay",
    "RNNClassifier",
    "RNNRegressor",
    "SequenceScaler",
    "__version__",
]
