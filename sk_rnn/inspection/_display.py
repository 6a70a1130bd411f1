"""The importance of each window of timesteps, drawn in scikit-learn's style."""

import numpy as np
from sklearn.utils._optional_dependencies import check_matplotlib_support

from ._permutation import permutation_importance


class TimestepImportanceDisplay:
    """Permutation importance of each window of timesteps, as bars with error bars.

    Build it with :meth:`from_estimator`, which computes
    :func:`permutation_importance` with ``over="timesteps"``; the constructor stores
    already computed importances. Each bar is the mean drop in score when a window
    of steps is permuted across samples, its error bar the standard deviation over
    the repeats. Needs matplotlib (``pip install "sk-rnn[plot]"``), imported only
    when plotting.

    Parameters
    ----------
    importances_mean : array-like of shape (n_windows,)
        Mean drop in score of each window.
    importances_std : array-like of shape (n_windows,) or None, default=None
        Standard deviation over the repeats; None draws no error bars.
    window_starts : array-like of shape (n_windows,) or None, default=None
        First step of each window; None numbers the windows 0, 1, ...
    window : int, default=1
        Steps per window, for the axis label.
    score_name : str or None, default=None
        Name of the score whose drop is drawn; None says ``"score"``.

    Attributes
    ----------
    bars_ : matplotlib BarContainer
        The bars.
    ax_ : matplotlib Axes
        Axes of the plot.
    figure_ : matplotlib Figure
        Figure holding the axes.
    result_ : Bunch or None
        What :func:`permutation_importance` returned, with :meth:`from_estimator`.

    See Also
    --------
    permutation_importance : Computes the importances drawn here.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sk_rnn import RNNClassifier
    >>> from sk_rnn.datasets import make_memory_task
    >>> from sk_rnn.inspection import TimestepImportanceDisplay
    >>> X, y = make_memory_task(100, n_timesteps=5, random_state=0)
    >>> clf = RNNClassifier((8,), early_stopping=True, random_state=0).fit(X, y)
    >>> display = TimestepImportanceDisplay.from_estimator(
    ...     clf, X, y, n_repeats=2, random_state=0
    ... )
    >>> len(display.bars_)
    5
    """

    def __init__(
        self,
        importances_mean,
        importances_std=None,
        *,
        window_starts=None,
        window=1,
        score_name=None,
    ):
        self.importances_mean = importances_mean
        self.importances_std = importances_std
        self.window_starts = window_starts
        self.window = window
        self.score_name = score_name

    def plot(self, ax=None, *, bar_kw=None):
        """Draw the bars.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None creates a new figure.
        bar_kw : dict or None, default=None
            Keyword arguments for ``ax.bar``.

        Returns
        -------
        display : TimestepImportanceDisplay
            This object, with the matplotlib artists stored as attributes.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt

        mean = np.asarray(self.importances_mean, dtype=float)
        if mean.ndim != 1 or mean.size == 0:
            raise ValueError(
                "importances_mean must be a non-empty 1-D sequence, got shape "
                f"{mean.shape}."
            )
        starts = (
            np.arange(mean.size)
            if self.window_starts is None
            else np.asarray(self.window_starts)
        )
        if ax is None:
            _, ax = plt.subplots()
        kw = {"color": "C0", "width": 0.8 * self.window, "align": "edge"}
        kw.update(bar_kw or {})
        self.bars_ = ax.bar(starts, mean, yerr=self.importances_std, **kw)
        ax.axhline(0.0, color="0.4", linewidth=0.8)
        steps = "Timestep" if self.window == 1 else f"First of {self.window} steps"
        ax.set_xlabel(steps)
        ax.set_ylabel(f"Drop in {self.score_name or 'score'} when permuted")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        window=1,
        scoring=None,
        n_repeats=5,
        n_jobs=None,
        random_state=None,
        sample_weight=None,
        ax=None,
        bar_kw=None,
    ):
        """Compute the importance of each window of steps and draw it.

        Parameters
        ----------
        estimator : object
            A fitted estimator (or pipeline) that reads sequences.
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps * n_features_per_step)
            Sequences of one length, without NaN padding.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        window : int, default=1
            Steps per window.
        scoring : str, callable or None, default=None
            One scorer; ``None`` uses the estimator's ``score``.
        n_repeats : int, default=5
            Number of permutations of each window.
        n_jobs : int or None, default=None
            Windows computed in parallel by joblib.
        random_state : int, RandomState instance or None, default=None
            Seeds the permutations.
        sample_weight : array-like of shape (n_samples,) or None, default=None
            Weights of the samples in scoring.
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None creates a new figure.
        bar_kw : dict or None, default=None
            Keyword arguments for ``ax.bar``.

        Returns
        -------
        display : TimestepImportanceDisplay
            The display, drawn.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        if isinstance(scoring, list | tuple | dict):
            raise ValueError("TimestepImportanceDisplay draws one scorer at a time.")
        result = permutation_importance(
            estimator,
            X,
            y,
            over="timesteps",
            window=window,
            scoring=scoring,
            n_repeats=n_repeats,
            n_jobs=n_jobs,
            random_state=random_state,
            sample_weight=sample_weight,
        )
        display = cls(
            result.importances_mean,
            result.importances_std,
            window_starts=result.window_starts,
            window=window,
            score_name=scoring if isinstance(scoring, str) else None,
        )
        display.result_ = result
        return display.plot(ax=ax, bar_kw=bar_kw)
