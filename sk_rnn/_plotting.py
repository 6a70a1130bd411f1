"""Plots in scikit-learn's display style; matplotlib is imported only when drawing."""

import numpy as np
from sklearn.base import is_classifier
from sklearn.pipeline import Pipeline
from sklearn.utils._optional_dependencies import check_matplotlib_support
from sklearn.utils.validation import check_is_fitted


class LossCurveDisplay:
    """Training loss per epoch, and the validation score when there is one.

    Build it with :meth:`from_estimator` from any fitted estimator with a
    ``loss_curve_`` (``RNNClassifier``, ``RNNRegressor``, and scikit-learn's MLPs);
    the constructor stores already computed curves. The loss is drawn on the left
    axis; when the estimator recorded ``validation_scores_`` (a list, e.g. with
    ``early_stopping=True``), they are drawn on a twin axis on the right, named by
    their metric; with early stopping, a dashed line marks the best epoch, whose
    weights the estimator kept. Needs
    matplotlib (``pip install "sk-rnn[plot]"``), imported only when plotting.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        Training loss after each epoch.
    validation_scores : array-like of shape (n_epochs,) or None, default=None
        Validation score after each epoch (accuracy or R²); None draws none.
    name : str or None, default=None
        Name of the estimator, shown in the title.
    score_name : str or None, default=None
        Label of the validation axis; None says ``"Validation score"``.
    best_epoch : int or None, default=None
        Epoch (counted from 1) to mark as the one whose weights were kept; None
        marks none.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The training loss curve.
    validation_line_ : matplotlib Line2D or None
        The validation score curve, if any.
    ax_ : matplotlib Axes
        Axes of the loss.
    validation_ax_ : matplotlib Axes or None
        Twin axes of the validation score, if any.
    best_epoch_line_ : matplotlib Line2D or None
        The vertical line at ``best_epoch``, if any.
    figure_ : matplotlib Figure
        Figure holding the axes.

    See Also
    --------
    sklearn.model_selection.LearningCurveDisplay : Scores against training size.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_rnn import LossCurveDisplay, RNNClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(60, 5, 2))
    >>> y = (X[:, 0, 0] > 0).astype(int)
    >>> clf = RNNClassifier(hidden_layer_sizes=(8,), early_stopping=True,
    ...                     random_state=0).fit(X, y)
    >>> disp = LossCurveDisplay.from_estimator(clf)
    >>> len(disp.line_.get_ydata()) == len(disp.validation_line_.get_ydata())
    True
    >>> disp.ax_.get_xlabel(), disp.validation_ax_.get_ylabel()
    ('Epoch', 'Validation accuracy')
    >>> disp.best_epoch == 1 + int(np.argmax(clf.validation_scores_))
    True
    >>> import matplotlib.pyplot as plt
    >>> plt.close(disp.figure_)
    """

    def __init__(
        self,
        *,
        loss_curve,
        validation_scores=None,
        name=None,
        score_name=None,
        best_epoch=None,
    ):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.name = name
        self.score_name = score_name
        self.best_epoch = best_epoch

    def plot(self, ax=None, *, name=None, loss_kw=None, validation_kw=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw the loss on; None creates a new figure.
        name : str or None, default=None
            Title; None uses the ``name`` given at construction.
        loss_kw : dict or None, default=None
            Keyword arguments for ``ax.plot`` of the loss.
        validation_kw : dict or None, default=None
            Keyword arguments for ``ax.plot`` of the validation score.

        Returns
        -------
        display : LossCurveDisplay
            This object, with the matplotlib artists stored as attributes.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt

        loss = np.asarray(self.loss_curve, dtype=float)
        if loss.ndim != 1 or loss.size == 0:
            raise ValueError(
                "loss_curve must be a non-empty 1-D sequence of losses, got shape "
                f"{loss.shape}."
            )
        if ax is None:
            _, ax = plt.subplots()
        epochs = np.arange(1, loss.size + 1)
        line_kw = {"color": "C0", "label": "Training loss", **(loss_kw or {})}
        (self.line_,) = ax.plot(epochs, loss, **line_kw)
        ax.set_xlabel("Epoch")
        ax.set_ylabel("Training loss")
        handles = [self.line_]

        self.validation_ax_ = self.validation_line_ = None
        if self.validation_scores is not None:
            scores = np.asarray(self.validation_scores, dtype=float)
            if scores.ndim != 1:
                raise ValueError(
                    "validation_scores must be a 1-D sequence of scores, got shape "
                    f"{scores.shape}."
                )
            self.validation_ax_ = ax.twinx()
            score_name = self.score_name or "Validation score"
            val_kw = {"color": "C1", "label": score_name}
            val_kw.update(validation_kw or {})
            (self.validation_line_,) = self.validation_ax_.plot(
                np.arange(1, scores.size + 1), scores, **val_kw
            )
            self.validation_ax_.set_ylabel(score_name)
            handles.append(self.validation_line_)
        self.best_epoch_line_ = None
        if self.best_epoch is not None:
            self.best_epoch_line_ = ax.axvline(
                self.best_epoch,
                color="0.4",
                linestyle="--",
                label=f"Best epoch ({self.best_epoch}), weights kept",
            )
            handles.append(self.best_epoch_line_)
        ax.legend(handles=handles, loc="center right")
        name = self.name if name is None else name
        if name is not None:
            ax.set_title(name)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls, estimator, *, ax=None, name=None, loss_kw=None, validation_kw=None
    ):
        """Plot the loss curve (and validation scores) of a fitted estimator.

        Parameters
        ----------
        estimator : fitted estimator
            An estimator with ``loss_curve_``, and optionally ``validation_scores_``
            (drawn when it is a list, not None); or a pipeline ending in one.
        ax : matplotlib Axes or None, default=None
            Axes to draw the loss on; None creates a new figure.
        name : str or None, default=None
            Title; None uses the estimator's class name.
        loss_kw : dict or None, default=None
            Keyword arguments for ``ax.plot`` of the loss.
        validation_kw : dict or None, default=None
            Keyword arguments for ``ax.plot`` of the validation score.

        Returns
        -------
        display : LossCurveDisplay
            The display, drawn.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        check_is_fitted(estimator)
        if isinstance(estimator, Pipeline):  # the network is its last step
            estimator = estimator[-1]
        loss_curve = getattr(estimator, "loss_curve_", None)
        if loss_curve is None:
            raise ValueError(
                f"{type(estimator).__name__} has no loss_curve_ to plot; fit an "
                "estimator that records its training loss per epoch."
            )
        validation_scores = getattr(estimator, "validation_scores_", None)
        best_epoch = score_name = None
        if validation_scores is not None:
            score_name = "Validation " + (
                "accuracy" if is_classifier(estimator) else "R²"
            )
            if getattr(estimator, "early_stopping", False) and validation_scores:
                best_epoch = 1 + int(np.argmax(validation_scores))
        display = cls(
            loss_curve=list(loss_curve),
            validation_scores=(
                None if validation_scores is None else list(validation_scores)
            ),
            name=type(estimator).__name__ if name is None else name,
            score_name=score_name,
            best_epoch=best_epoch,
        )
        return display.plot(ax=ax, loss_kw=loss_kw, validation_kw=validation_kw)
