"""What happens between epochs: scores, stopping rules, best weights and progress.

The epoch loop (or L-BFGS's per-iteration callback) reports each finished epoch to a
:class:`TrainingMonitor`, which records the loss and validation score in the
:class:`~._state.TrainingState`, keeps the weights worth restoring, detects
divergence, and prints progress. The stopping rule is scikit-learn's MLP rule: an
epoch that does not improve the training loss (or, with early stopping, the
validation score) by ``tol`` counts towards ``n_iter_no_change``.
"""

import time

import numpy as np

from ._state import TrainingResult


class TrainingDiverged(Exception):
    """The loss or the weights became non-finite.

    ``epoch`` is the epoch at which it happened; ``result`` holds the last finite
    weights and the state of the last completed epoch.
    """

    def __init__(self, epoch, result):
        super().__init__(epoch)
        self.epoch = epoch
        self.result = result


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
            except ImportError:  # the estimator has warned
                pass
            else:
                self.bar = tqdm(total=total, unit="epoch", leave=True)

    def epoch(self, n_iter, loss, score=None, seconds=None):
        """Report epoch ``n_iter``: its training loss, validation score and time."""
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
        if seconds is not None:
            line += f", epoch time = {seconds:.3f}s"
        print(f"{line}, time = {time.perf_counter() - self.start:.2f}s")

    def close(self):
        if self.bar is not None:
            self.bar.close()


class TrainingMonitor:
    """Bookkeeping of one training call, in ``state``.

    It records ``n_iter``, ``loss``, ``loss_curve``, ``epoch_times``, ``best_loss``,
    ``validation_scores`` and ``best_validation_score``, and remembers two weight
    vectors: the last finite ones (kept on divergence) and, when stopping on a
    validation score, the best ones.

    Parameters
    ----------
    state : TrainingState
        The state being trained, updated in place.
    params : ndarray of shape (n_params,)
        The live weights that the solver updates.
    settings : TrainingSettings
    scorer : callable or None
        ``scorer(params) -> float``, the validation score, after every epoch.
    total : int
        Most epochs this call can run.
    """

    def __init__(self, state, params, settings, scorer, total):
        self.state = state
        self.params = params
        self.settings = settings
        self.scorer = scorer
        self.last_finite = params.copy()
        self.best = params.copy() if settings.stop_on_validation else None
        self.progress = ProgressReporter(settings.verbose, total)
        self.epoch_start = time.perf_counter()
        state.n_iter = 0
        # A warm start may switch between training and validation monitoring.
        if scorer is not None and state.validation_scores is None:
            state.validation_scores = []
            state.best_validation_score = -np.inf
        if not settings.stop_on_validation and state.best_loss is None:
            state.best_loss = np.inf

    def record(self, params, loss):
        """Record a finished epoch (or L-BFGS iteration) at weights ``params``.

        Returns
        -------
        score : float or None
            The validation score, if there is a scorer.

        Raises
        ------
        TrainingDiverged
            If ``loss`` or ``params`` is not finite.
        """
        state = self.state
        if not (np.isfinite(loss) and np.isfinite(params).all()):
            raise self.diverged(state.n_iter + 1)
        np.copyto(self.last_finite, params, casting="same_kind")
        state.n_iter += 1
        state.loss = float(loss)
        state.loss_curve.append(state.loss)
        score = None
        if self.scorer is not None:
            score = float(self.scorer(params))
            state.validation_scores.append(score)
            if score > state.best_validation_score:
                state.best_validation_score = score
                if self.settings.stop_on_validation:
                    np.copyto(self.best, params, casting="same_kind")
        now = time.perf_counter()
        seconds, self.epoch_start = now - self.epoch_start, now
        state.epoch_times.append(seconds)
        self.progress.epoch(state.n_iter, state.loss, score, seconds)
        return score

    def end_epoch(self, loss):
        """Record an epoch of the live weights and update the no-improvement count.

        This is scikit-learn's ``_update_no_improvement_count``: with early
        stopping the count follows the validation score, otherwise the loss.
        """
        state, tol = self.state, self.settings.tol
        # The best validation score before this epoch, for the improvement test.
        best_score = state.best_validation_score
        score = self.record(self.params, loss)
        if self.settings.stop_on_validation:
            improved = not score < best_score + tol
        else:
            improved = not state.loss > state.best_loss - tol
            state.best_loss = min(state.best_loss, state.loss)
        state.no_improvement_count = 0 if improved else state.no_improvement_count + 1

    def final_params(self):
        """The weights to keep: the best on validation, else the live ones."""
        return self.best if self.settings.stop_on_validation else self.params

    def diverged(self, epoch):
        """The error for a divergence at ``epoch``, with the last finite weights."""
        params = self.best if self.settings.stop_on_validation else self.last_finite
        return TrainingDiverged(epoch, TrainingResult(params.copy(), self.state))

    def close(self):
        self.progress.close()
