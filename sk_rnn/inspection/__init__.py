"""Which features and which timesteps a fitted sequence model relies on."""

from ._display import TimestepImportanceDisplay
from ._permutation import permutation_importance

__all__ = ["TimestepImportanceDisplay", "permutation_importance"]
