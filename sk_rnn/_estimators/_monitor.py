"""What happens between epochs: scores, stopping rules, best weights and progress.

The estimator's epoch loop (or L-BFGS's per-iteration callback) reports each finished
epoch to a :class:`TrainingMonitor`, which records the loss and validation score,
keeps the weights worth restoring, detects divergence, and prints progress. The
stopping rule is scikit-learn's MLP rule: an epoch that does not improve the training
loss (or, with early stopping, the validation score) by ``tol`` counts towards
``n_iter_no_change``.
"""

import time

import numpy as np


class TrainingDiverged(Exception):
    """The loss or the weights became non-finite; the message says what to do."""


class ProgressReporter:
    """Per-epoch progress: MLP-style lines, or a tqdm bar for ``verbose >= 2``.

    Parameters
    ----------
    verbose : bool or int
        ``0``/``False`` is silent; ``True``/``1`` prints a line per epoch; ``2`` or
        more shows a live bar if ``tqdm`` is installed, lines otherwise.
    total : int
        Most epochs this call can run (the bar's length).
    """

    def __init__(self, verbose, total):
        self.verbose = verbose
        self.start = time.perf_counter()
        self.bar = None
        if verbose >= 2:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                pass
            else:
                self.bar = tqdm(total=total, unit="epoch", leave=True)

    def epoch(self, n_iter, loss, score=None):
        """Report epoch ``n_iter`` with its training loss and validation score."""
        if not self.verbose:
            return
        if self.bar is not None:
            postfix = {"loss": f"{loss:.6g}"}
            if score is not None:
                postfix["val"] = f"{score:.6g}"
            self.bar.set_postfix(postfix, refresh=False)
            self.bar.update(1)
            return
        line = f"Iteration {n_iter}, loss = {loss:.8f}"
        if score is not None:
            line += f", validation score = {score:.6f}"
        print(f"{line}, time = {time.perf_counter() - self.start:.2f}s")

    def close(self):
        if self.bar is not None:
            self.bar.close()


class TrainingMonitor:
    """Bookkeeping of one call of ``fit`` or ``partial_fit``.

    It updates the estimator's monitoring attributes (``n_iter_``, ``loss_``,
    ``loss_curve_``, ``best_loss_``, ``validation_scores_``,
    ``best_validation_score_``) and remembers two weight vectors: the last finite
    ones (restored on divergence or interruption) and, when stopping on a
    validation score, the best ones.

    Parameters
    ----------
    estimator : BaseRNN
        The working copy being trained.
    params : ndarray of shape (n_params,)
        The live weights that the solver updates.
    validation : SequenceData or None
        Data scored after every epoch.
    stop_on_validation : bool
        Whether the stopping rule and the restored weights follow the validation
        score (early stopping) rather than the training loss.
    total : int
        Most epochs this call can run.
    """

    def __init__(self, estimator, params, validation, *, stop_on_validation, total):
        self.est = estimator
        self.params = params
        self.validation = validation
        self.stop_on_validation = stop_on_validation
        self.last_finite = params.copy()
        self.best = params.copy() if stop_on_validation else None
        self.progress = ProgressReporter(estimator.verbose, total)
        estimator.n_iter_ = 0
        # A warm start may switch between training and validation monitoring.
        if validation is not None and estimator.validation_scores_ is None:
            estimator.validation_scores_ = []
            estimator.best_validation_score_ = -np.inf
        if not stop_on_validation and estimator.best_loss_ is None:
            estimator.best_loss_ = np.inf

    def record(self, params, loss):
        """Record a finished epoch (or L-BFGS iteration) at weights ``params``.

        Returns
        -------
        score : float or None
            The validation score, if there is validation data.

        Raises
        ------
        TrainingDiverged
            If ``loss`` or ``params`` is not finite; the live weights are then reset
            to the last finite ones.
        """
        est = self.est
        if not (np.isfinite(loss) and np.isfinite(params).all()):
            self.restore_last_finite()
            raise TrainingDiverged(self.divergence_message(est.n_iter_ + 1))
        np.copyto(self.last_finite, params, casting="same_kind")
        est.n_iter_ += 1
        est.loss_ = float(loss)
        est.loss_curve_.append(est.loss_)
        score = None
        if self.validation is not None:
            score = est._score_data(self.validation, params)
            est.validation_scores_.append(score)
            if score > est.best_validation_score_:
                est.best_validation_score_ = score
                if self.stop_on_validation:
                    np.copyto(self.best, params, casting="same_kind")
        self.progress.epoch(est.n_iter_, est.loss_, score)
        return score

    def end_epoch(self, loss):
        """Record an epoch of the live weights and update the no-improvement count.

        This is scikit-learn's ``_update_no_improvement_count``: with early
        stopping the count follows the validation score, otherwise the loss.
        """
        est = self.est
        # The best validation score before this epoch, for the improvement test.
        best_score = est.best_validation_score_
        score = self.record(self.params, loss)
        if self.stop_on_validation:
            improved = not score < best_score + est.tol
        else:
            improved = not est.loss_ > est.best_loss_ - est.tol
            est.best_loss_ = min(est.best_loss_, est.loss_)
        est._no_improvement_count = 0 if improved else est._no_improvement_count + 1

    def restore_last_finite(self):
        """Reset the live weights to those of the last recorded epoch."""
        np.copyto(self.params, self.last_finite, casting="same_kind")

    def final_params(self):
        """The weights to keep: the best on validation, else the live ones."""
        return self.best if self.stop_on_validation else self.params

    def close(self):
        self.progress.close()

    def divergence_message(self, epoch):
        """What went wrong at ``epoch`` and what to change."""
        est = self.est
        scale = (
            "the scale of the inputs and targets (SequenceScaler standardises "
            "sequences)"
        )
        if est.solver in ("adam", "sgd"):  # the settings of a stochastic step
            advice = (
                f"Use a lower learning_rate_init (got {est.learning_rate_init}) or "
                "set clip_norm (e.g. clip_norm=1.0) to bound the gradient norm"
                f"{'' if est.clip_norm is None else ' more tightly'}, and check "
                f"{scale}."
            )
        else:
            advice = f"Check {scale}, or train with solver='adam' and clip_norm."
        return (
            f"Training diverged at epoch {epoch}: the loss or the weights became "
            "non-finite (inf or NaN), so training stopped at the last finite "
            f"weights. {advice}"
        )
