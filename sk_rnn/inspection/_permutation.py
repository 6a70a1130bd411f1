"""Permutation importance over the features or the timesteps of sequences.

scikit-learn's :func:`sklearn.inspection.permutation_importance` permutes one
column of a 2-D ``X``. A sequence model has two axes to ask about: a feature across
every step, or a window of steps across every feature. Each is permuted across
samples as a block, so that what the model sees stays a real sequence of another
sample, and the drop in score measures how much the model relied on it.
"""

from numbers import Integral

import numpy as np
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection._validation import _aggregate_score_dicts
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.parallel import Parallel, delayed

from .._estimators._validation import features_per_step, n_timesteps_of


def _layout(estimator):
    """Features a step of 2-D rows and the steps before any static columns
    (``None``: none), as the estimator (or a pipeline's last step) reads them."""
    final = estimator[-1] if hasattr(estimator, "steps") else estimator
    return features_per_step(final), n_timesteps_of(final)


def _sequences(estimator, X):
    """``X`` as a float array in its own layout, and where its values are.

    Returns the array (2-D or 3-D, a copy), the flat column index of each step
    feature, of shape ``(n_timesteps, n_features)``, that of each static column,
    and the DataFrame ``X`` was (to rebuild for scoring), if it was one.
    """
    if isinstance(X, list | tuple) and X and np.ndim(X[0]) >= 1:
        try:
            X = np.asarray(X, dtype=float)
        except ValueError:
            raise ValueError(
                "permutation_importance needs sequences of one length, as one "
                "array; sequences of different lengths cannot trade steps."
            ) from None
    frame = X if hasattr(X, "columns") else None
    values = np.asarray(X)
    if values.dtype.kind not in "biuf":
        raise TypeError(f"X must hold numbers; got dtype {values.dtype}.")
    if values.ndim not in (2, 3):
        raise ValueError(
            "X must be of shape (n_samples, n_timesteps, n_features) or (n_samples, "
            f"n_timesteps * n_features_per_step); got shape {values.shape}."
        )
    if not np.isfinite(values).all():
        raise ValueError(
            "X contains NaN or inf: permuting padded sequences would move padding "
            "inside other sequences. Pass sequences of one length without padding."
        )
    n_columns = int(np.prod(values.shape[1:]))
    per_step, n_timesteps = _layout(estimator)
    if values.ndim == 3:
        per_step, n_timesteps = values.shape[2], values.shape[1]
    elif n_timesteps is None:
        if n_columns % per_step:
            raise ValueError(
                f"X has {n_columns} columns, not a multiple of the model's "
                f"n_features_per_step={per_step}."
            )
        n_timesteps = n_columns // per_step
    elif n_columns < n_timesteps * per_step:
        raise ValueError(
            f"X has {n_columns} columns, fewer than the model's n_timesteps * "
            f"n_features_per_step = {n_timesteps} * {per_step}."
        )
    n_sequence = n_timesteps * per_step
    steps = np.arange(n_sequence).reshape(n_timesteps, per_step)
    static = np.arange(n_sequence, n_columns)
    return np.array(values, dtype=float), steps, static, frame


def _like(values, frame):
    """``values`` in the container ``X`` came in."""
    if frame is None:
        return values
    return type(frame)(values, index=frame.index, columns=frame.columns)


def _blocks(steps, static, over, window):
    """The flat columns of each block to permute: a feature at every step (then
    each static column), or a window of steps."""
    if over == "features":
        return [steps[:, j] for j in range(steps.shape[1])] + [[j] for j in static]
    n_steps = len(steps)
    if window > n_steps:
        raise ValueError(
            f"window={window} is longer than the sequences' {n_steps} timesteps."
        )
    return [
        steps[start : start + window].ravel() for start in range(0, n_steps, window)
    ]


def _score(scorer, estimator, X, y, sample_weight):
    if sample_weight is None:
        return scorer(estimator, X, y)
    return scorer(estimator, X, y, sample_weight=sample_weight)


def _permuted_scores(
    estimator, values, frame, y, sample_weight, block, seed, n_repeats, scorer
):
    """Scores with the columns ``block`` permuted across samples, ``n_repeats``
    times."""
    random_state = check_random_state(seed)
    permuted = values.copy()  # this call's own, writable even if values is memmapped
    columns = permuted.reshape(len(permuted), -1)  # a view: rows of either layout
    order = np.arange(len(permuted))
    scores = []
    for _ in range(n_repeats):
        random_state.shuffle(order)
        # each sample's block becomes another sample's: still a real sequence piece
        columns[:, block] = columns[order][:, block]
        X = _like(permuted, frame)
        scores.append(_score(scorer, estimator, X, y, sample_weight))
    if isinstance(scores[0], dict):
        return _aggregate_score_dicts(scores)
    return np.array(scores)


def _importances(baseline, permuted, **extra):
    """The drop in score of each block, as scikit-learn's Bunch."""
    importances = baseline - np.asarray(permuted)
    return Bunch(
        importances_mean=importances.mean(axis=1),
        importances_std=importances.std(axis=1),
        importances=importances,
        **extra,
    )


@validate_params(
    {
        "estimator": [HasMethods(["fit"])],
        "X": ["array-like"],
        "y": ["array-like", None],
        "over": [StrOptions({"features", "timesteps"})],
        "window": [Interval(Integral, 1, None, closed="left")],
        "scoring": [
            StrOptions(set(get_scorer_names())),
            callable,
            list,
            tuple,
            dict,
            None,
        ],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def permutation_importance(
    estimator,
    X,
    y,
    *,
    over="features",
    window=1,
    scoring=None,
    n_repeats=5,
    n_jobs=None,
    random_state=None,
    sample_weight=None,
):
    """Permutation importance of each feature, or of each window of timesteps.

    The sequence counterpart of :func:`sklearn.inspection.permutation_importance`,
    with its scorers, ``n_repeats``, ``random_state``, ``n_jobs`` and result. A
    block of ``X`` is permuted across samples, ``n_repeats`` times, and its
    importance is the drop in score: with ``over="features"`` one feature at every
    step (a whole series of it moves to another sample), with
    ``over="timesteps"`` one window of ``window`` steps with all its features.

    Parameters
    ----------
    estimator : object
        A fitted estimator (or pipeline) that reads sequences.
    X : array-like of shape (n_samples, n_timesteps, n_features) or \
            (n_samples, n_timesteps * n_features_per_step)
        Sequences of one length, without NaN padding. 2-D rows are read as the
        estimator (or a pipeline's last step) reads them: ``n_features_per_step``
        features a step, one when it is ``None``; with its ``n_timesteps`` set,
        the columns after the sequence are static features, each permuted as a
        feature of its own (after the step features) with ``over="features"``,
        and never permuted with ``over="timesteps"``.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs) or None
        Targets; ``None`` for unsupervised scorers.
    over : {"features", "timesteps"}, default="features"
        What a block is: one feature across all steps, or a window of steps
        across all features.
    window : int, default=1
        Steps per block with ``over="timesteps"``; the last window may be
        shorter. Ignored with ``over="features"``.
    scoring : str, callable, list, tuple, dict or None, default=None
        Scorer(s), as in :func:`sklearn.inspection.permutation_importance`;
        ``None`` uses the estimator's ``score``.
    n_repeats : int, default=5
        Number of permutations of each block.
    n_jobs : int or None, default=None
        Blocks computed in parallel by joblib; ``None`` is one unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor.
    random_state : int, RandomState instance or None, default=None
        Seeds the permutations; every block gets the same ones, so results do not
        depend on ``n_jobs``.
    sample_weight : array-like of shape (n_samples,) or None, default=None
        Weights of the samples in scoring.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch` or dict of such
        ``importances_mean`` and ``importances_std`` of shape (n_blocks,),
        ``importances`` of shape (n_blocks, n_repeats), ``over``, and with
        ``over="timesteps"`` ``window_starts``, the first step of each window. A
        dict of such, one a scorer, for several scorers.

    See Also
    --------
    TimestepImportanceDisplay : Plots the importance of each window of steps.
    sklearn.inspection.permutation_importance : The same over 2-D columns.

    Examples
    --------
    >>> from sk_rnn import RNNClassifier
    >>> from sk_rnn.datasets import make_memory_task
    >>> from sk_rnn.inspection import permutation_importance
    >>> X, y = make_memory_task(200, n_timesteps=6, random_state=0)
    >>> clf = RNNClassifier((16,), early_stopping=True, random_state=0).fit(X, y)
    >>> result = permutation_importance(
    ...     clf, X, y, over="timesteps", n_repeats=3, random_state=0
    ... )
    >>> int(result.importances_mean.argmax())  # the step that holds the label
    0
    """
    values, steps, static, frame = _sequences(estimator, X)
    blocks = _blocks(steps, static, over, window)
    scorer = check_scoring(estimator, scoring=scoring)
    baseline = _score(scorer, estimator, _like(values, frame), y, sample_weight)
    # One seed for every block (as scikit-learn does), whatever the backend.
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max + 1)
    scores = Parallel(n_jobs=n_jobs)(
        delayed(_permuted_scores)(
            estimator,
            values,
            frame,
            y,
            sample_weight,
            block,
            seed,
            n_repeats,
            scorer,
        )
        for block in blocks
    )
    extra = {"over": over}
    if over == "timesteps":
        extra["window_starts"] = np.arange(0, len(steps), window)
    if isinstance(baseline, dict):
        return {
            name: _importances(
                baseline[name], [score[name] for score in scores], **extra
            )
            for name in baseline
        }
    return _importances(baseline, scores, **extra)
