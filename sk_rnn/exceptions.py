"""Warnings sk_rnn raises beside scikit-learn's (see :mod:`sklearn.exceptions`)."""

__all__ = ["ChannelsFirstWarning"]


class ChannelsFirstWarning(UserWarning):
    """``X`` looks channels-first, as aeon and sktime hold sequences.

    Those libraries lay out a collection of series as ``(n_cases, n_channels,
    n_timepoints)``; sk_rnn reads ``(n_samples, n_timesteps, n_features)``. Fitted
    unchanged, such an array trains a model that reads channels as steps and steps
    as features. Transpose it first: ``X.transpose(0, 2, 1)``. When the layout is
    meant (a few steps of many features), silence the warning with
    ``warnings.filterwarnings("ignore", category=ChannelsFirstWarning)``.
    """
