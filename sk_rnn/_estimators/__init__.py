"""The scikit-learn face of the package: estimators and their input contract."""

from ._classifier import RNNClassifier
from ._regressor import RNNRegressor
from ._scaler import SequenceScaler

__all__ = ["RNNClassifier", "RNNRegressor", "SequenceScaler"]
