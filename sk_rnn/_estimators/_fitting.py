"""How ``fit`` and ``partial_fit`` run: a working copy, a solver, a commit.

The data is validated on a working copy of the estimator; the objective comes from
the backend and the solver from :mod:`sk_rnn._train`, which returns the new weights
and training state; the copy takes them, and only then does the estimator, in one
step that a Ctrl-C cannot cut in half. So a failed call (bad input, divergence, an
interruption before the first epoch ends) leaves the estimator exactly as it was.
Gradients never pass through here.
"""

import copy
import signal
import threading
import warnings
from contextlib import contextmanager

import numpy as np
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_consistent_length

from .._backend import (
    LOSSES,
    ShardData,
    blas_plan,
    make_objective,
    n_processes,
    one_blas_thread,
    plan_shards,
    sharded_objective,
)
from .._train import (
    TrainingDiverged,
    TrainingResult,
    TrainingSettings,
    fit_epochs,
    fit_lbfgs,
)
from ._data import (
    SequenceData,
    fit_patch_scaling,
    network_inputs,
    patch_steps,
    real_inputs,
    resolve_patch_size,
    scale_patches,
    split_validation,
)
from ._inference import network_outputs, score_data
from ._mistakes import (
    check_per_step_targets,
    warn_if_activation_ignored,
    warn_if_channels_first,
    warn_if_unscaled,
)
from ._targets import encode, real_steps
from ._validation import (
    FLOAT_DTYPES,
    check_sequences,
    check_weight_sum,
    check_weights,
)

# Frames between a warning issued here and the user's call: this module's fit, the
# estimator's fit or partial_fit, and scikit-learn's _fit_context wrapper.
_STACKLEVEL = 4
# batch_size="auto": small enough that a small data set gets several optimizer steps
# an epoch (the accuracy benchmark: benchmarks/accuracy/README.md).
AUTO_BATCH_SIZE = 32
# BPTT keeps every hidden state of a batch: training refuses batches that would
# need more than this.
MAX_BATCH_BYTES = 8 * 2**30


def fit(
    est,
    X,
    y,
    sample_weight=None,
    *,
    incremental=False,
    classes=None,
    X_val=None,
    y_val=None,
    sample_weight_val=None,
):
    """Fit ``est`` on a working copy; commit only if training succeeds.

    A run that diverges raises (``fit``) or warns and keeps the last finite
    weights (``partial_fit``). An interruption keeps the last completed epoch, or,
    before the first one ends, leaves the estimator as it was and propagates.
    """
    if incremental:
        # scikit-learn validates the parameters on the first call only; a
        # parameter set between calls (clip_norm=-1) is checked here, cheaply.
        est._validate_params()
    if est.early_stopping and incremental:
        raise ValueError(
            "partial_fit does not support early_stopping=True: it runs one epoch, "
            "with nothing to stop. Set early_stopping=False, or train with fit."
        )
    first_pass = not hasattr(est, "_network") or (
        not est.warm_start and not incremental
    )
    work, data = start(
        est,
        X,
        y,
        sample_weight,
        first_pass=first_pass,
        classes=classes,
        incremental=incremental,
    )
    validation = validation_data(work, X_val, y_val, sample_weight_val, data.X.dtype)
    settings = training_settings(work, len(data.X))
    if settings.verbose >= 2 and not _has_tqdm():
        warnings.warn(
            f"verbose={settings.verbose} shows a progress bar with tqdm, which is not "
            "installed; printing a line per epoch instead. Install it with: pip "
            "install 'sk-rnn[progress]'.",
            UserWarning,
            stacklevel=_STACKLEVEL,
        )
    if settings.stop_on_validation and validation is None:
        data, validation = split_validation(
            data,
            work.validation_fraction,
            work._random_state,
            stratify=is_classifier(work) and not work.output_sequence,
        )
    check_memory(work, settings.batch_size, data.X)
    network = work._network
    n_shards = plan_shards(work.n_jobs, settings.batch_size, network, data.X.shape[1])
    shard_data = ShardData(
        network,
        LOSSES[work._loss_name],
        data.X,
        data.Y,
        data.sample_weight,
        work.bptt_truncate,
        data.lengths,
    )
    scorer = None
    if validation is not None:
        scorer = lambda flat: score_data(work, validation, flat)  # noqa: E731
    flat, state = work._params_flat(), work._training_state(first_pass)
    small = blas_plan(n_processes(work.n_jobs), n_shards, settings.batch_size, network)
    try:
        # Overflow shows up as a non-finite loss or weight, which becomes one clear
        # error instead of a stream of NumPy warnings.
        with (
            np.errstate(over="ignore", invalid="ignore"),
            one_blas_thread(small),
            sharded_objective(shard_data, work.alpha, n_shards) as objective,
        ):
            result = _solve(
                work, objective, flat.copy(), state, settings, data, scorer, incremental
            )
            if not incremental:
                _check_outputs(work, data, result, flat, state)
    except TrainingDiverged as exc:
        message = divergence_message(work, exc.epoch)
        if not incremental:
            raise ValueError(message) from None
        warnings.warn(message, RuntimeWarning, stacklevel=_STACKLEVEL)
        result = exc.result
        result.state.optimizer = None  # its state is no longer finite either
    work._set_params_flat(result.params)
    work._set_training_state(result.state)
    with interrupts_deferred():
        est.__dict__.clear()
        est.__dict__.update(work.__dict__)
    if result.interrupted:
        warnings.warn("Training interrupted by user.", stacklevel=_STACKLEVEL)
    elif not result.converged:
        warnings.warn(result.message, ConvergenceWarning, stacklevel=_STACKLEVEL)
    return est


def _has_tqdm():
    """Whether the progress bar of ``verbose=2`` can be shown."""
    try:
        import tqdm.auto  # noqa: F401
    except ImportError:
        return False
    return True


def _solve(work, objective, flat, state, settings, data, scorer, incremental):
    """Run the solver of ``settings``; the arguments are :func:`fit`'s."""
    if settings.solver == "lbfgs":
        return fit_lbfgs(objective, flat, state, settings, scorer=scorer)
    return fit_epochs(
        objective,
        flat,
        state,
        settings,
        work._random_state,
        n_samples=len(data.X),
        sizes=data.lengths,
        scorer=scorer,
        incremental=incremental,
    )


def _check_outputs(work, data, result, start_flat, start_state):
    """Refuse weights whose outputs on the training data are not finite.

    A last update can leave finite but huge weights that overflow in the forward
    pass; such a run has diverged, and the weights before the call are the last
    ones known to be finite. ``partial_fit`` skips this check, which costs a third
    of an epoch; so does a network whose outputs are bounded by its weights' sizes.
    """
    with np.errstate(over="ignore"):
        largest = float(np.abs(data.X).max(initial=0.0))
    bound = work._network.output_bound(result.params, largest)
    if bound < np.finfo(result.params.dtype).max / 2:
        return  # no output can overflow
    outputs = network_outputs(work, data.X, data.lengths, result.params)
    if not np.isfinite(outputs).all():
        kept = TrainingResult(start_flat, start_state)
        raise TrainingDiverged(result.state.n_iter, kept)


def start(est, X, y, sample_weight, *, first_pass, classes=None, incremental=False):
    """Validate the data on a working copy of the estimator.

    The copy is shallow on a first pass (which replaces every fitted attribute)
    and deep otherwise, so that nothing the training does reaches ``est``
    before the commit. A first pass also builds and initialises the network.

    Returns
    -------
    work : BaseRNN
        The working copy.
    data : SequenceData
        The validated sequences, their lengths, targets and sample weights
        (times class weights for the classifier).
    """
    hidden_sizes = est._hidden_sizes()
    if y is None:
        raise ValueError(
            f"{type(est).__name__} requires y to be passed, but the target y is None."
        )
    if not first_pass:
        est._check_architecture(hidden_sizes)
    work = copy.copy(est) if first_pass else copy.deepcopy(est)
    # continuing: in the fitted dtype
    dtype = FLOAT_DTYPES if first_pass else est.output_bias_.dtype
    X, lengths = check_sequences(work, X, reset=first_pass, dtype=dtype)
    check_consistent_length(X, y)
    if first_pass:
        check_per_step_targets(est, y, X)
        work.patch_size_ = resolve_patch_size(
            est.patch_size, X.shape[1], est.output_sequence
        )
        # Patches are standardised, so nothing saturates.
        if work.patch_size_ == 1:
            warn_if_unscaled(X, lengths, stacklevel=_STACKLEVEL + 2)
        warn_if_activation_ignored(est, stacklevel=_STACKLEVEL + 2)
        if not work._fit_on_2d:
            warn_if_channels_first(X, stacklevel=_STACKLEVEL + 2)
    k = work.patch_size_
    real = real_inputs(X.shape[1], lengths, k, X.shape[2]) if k > 1 else None
    X, lengths = patch_steps(X, lengths, k)
    if est.output_sequence and getattr(est, "class_weight", None) is not None:
        raise ValueError(
            "class_weight is not supported with output_sequence=True; weigh "
            "whole sequences with sample_weight instead."
        )
    Y, y = encode(
        work,
        y,
        X,
        lengths,
        reset=first_pass,
        dtype=X.dtype,
        classes=classes,
        incremental=incremental,
    )
    sample_weight = check_weights(sample_weight, X)
    if first_pass:  # each input of a patch standardised, as the data weighs
        work._patch_scaling = (
            fit_patch_scaling(X, real, sample_weight) if k > 1 else None
        )
    X = scale_patches(X, real, work._patch_scaling)
    sample_weight = work._weigh_classes(y, sample_weight, incremental)
    weighed = (
        "sample_weight"
        if getattr(est, "class_weight", None) is None
        else "sample_weight times class_weight"
    )
    sample_weight = check_weight_sum(sample_weight, X.dtype, weighed)
    row_weights = sample_weight
    if Y.ndim == 3:  # one target per step: the real steps weigh
        row_weights = sample_weight[:, None] * real_steps(lengths, *Y.shape[:2])
    Y = work._scale_targets(Y, row_weights, reset=first_pass)
    work._random_state = check_random_state(est.random_state)
    if first_pass:
        work._initialize(hidden_sizes, Y.shape[-1], X.dtype)
    return work, SequenceData(X, lengths, Y, y, sample_weight)


def gradient_problem(est, X, y, sample_weight=None):
    """The full-batch objective at the current weights, for gradient checking.

    Unfitted estimators get a fresh initialisation, as ``fit`` would draw it.
    Everything is float64, BPTT is full, and the estimator is not modified.

    Returns
    -------
    network : RecurrentNetwork
    flat : ndarray of shape (n_params,)
    objective : callable
        ``objective(flat, indices) -> (loss, grad)``.
    """
    fitted = hasattr(est, "_network")
    work, data = start(est, X, y, sample_weight, first_pass=not fitted)
    objective = make_objective(
        work._network,
        LOSSES[work._loss_name],
        data.X.astype(np.float64),
        data.Y.astype(np.float64),
        data.sample_weight.astype(np.float64),
        work.alpha,
        lengths=data.lengths,
    )
    return work._network, work._params_flat().astype(np.float64), objective


def validation_data(est, X_val, y_val, sample_weight_val, dtype):
    """Validate a user-given validation set; ``None`` if there is none."""
    if X_val is None and y_val is None:
        if sample_weight_val is not None:
            raise ValueError(
                "sample_weight_val is provided, but X_val and y_val were not."
            )
        return None
    if y_val is None:
        raise ValueError("X_val is provided, but y_val was not provided.")
    if X_val is None:
        raise ValueError("y_val is provided, but X_val was not provided.")
    X_val, lengths_val = check_sequences(
        est, X_val, reset=False, dtype=dtype, input_name="X_val"
    )
    X_val, lengths_val = network_inputs(est, X_val, lengths_val)
    if len(X_val) < 2:  # a score of one sample (R², say) is not defined
        raise ValueError(
            f"X_val holds {len(X_val)} sequence; a validation score needs at least "
            "2. Pass more validation sequences, or none (early_stopping then holds "
            "out validation_fraction of the training data)."
        )
    check_consistent_length(X_val, y_val)
    _, y_val = encode(
        est,
        y_val,
        X_val,
        lengths_val,
        reset=False,
        dtype=dtype,
        incremental=True,
        input_name="y_val",
    )
    sample_weight_val = check_weights(
        sample_weight_val, X_val, input_name="sample_weight_val"
    )
    sample_weight_val = check_weight_sum(sample_weight_val, dtype, "sample_weight_val")
    return SequenceData(X_val, lengths_val, None, y_val, sample_weight_val)


def batch_size(est, n_samples, warn=False):
    """Sequences per training batch: ``batch_size`` clipped to the data.

    The full-batch solvers (``"lbfgs"``, ``"rprop"``) use every sample.
    """
    if est.solver in ("lbfgs", "rprop"):
        return n_samples
    if est.batch_size == "auto":
        return min(AUTO_BATCH_SIZE, n_samples)
    if warn and est.batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` larger than sample size. It is going to be clipped.",
            stacklevel=_STACKLEVEL + 1,
        )
    return int(np.clip(est.batch_size, 1, n_samples))


def training_settings(est, n_samples):
    """The :class:`TrainingSettings` of ``est``'s parameters for ``n_samples``."""
    return TrainingSettings(
        solver=est.solver,
        max_iter=est.max_iter,
        tol=est.tol,
        n_iter_no_change=est.n_iter_no_change,
        batch_size=batch_size(est, n_samples, warn=True),
        shuffle=est.shuffle,
        clip_norm=est.clip_norm,
        verbose=est.verbose,
        stop_on_validation=est._stops_on_validation(),
        max_fun=est.max_fun,
        learning_rate_init=est.learning_rate_init,
        learning_rate=est.learning_rate,
        momentum=est.momentum,
        nesterovs_momentum=est.nesterovs_momentum,
        power_t=est.power_t,
        beta_1=est.beta_1,
        beta_2=est.beta_2,
        epsilon=est.epsilon,
    )


def check_memory(est, batch_size, X):
    """Refuse, before any math, a batch whose BPTT would not fit in memory."""
    needed = est._network.bptt_bytes(batch_size, X.shape[1], X.itemsize)
    if needed > MAX_BATCH_BYTES:
        raise ValueError(
            f"One training batch of {batch_size} sequences of {X.shape[1]} steps"
            f"{f' (patches of {est.patch_size_})' if est.patch_size_ > 1 else ''} "
            f"would hold {needed / 2**30:.1f} GiB of hidden states for BPTT, more "
            f"than the limit of {MAX_BATCH_BYTES / 2**30:.0f} GiB. Use a smaller "
            "batch_size (with solver='adam' or 'sgd'; 'lbfgs' and 'rprop' use "
            "the whole data set as one batch), fewer hidden units, or split the "
            "sequences into shorter windows."
        )


def divergence_message(est, epoch):
    """What went wrong at ``epoch`` and what to change."""
    scale = (
        "the scale of the inputs and targets (SequenceScaler standardises sequences)"
    )
    if est.solver in ("adam", "sgd"):  # the settings of a stochastic step
        advice = (
            f"Use a lower learning_rate_init (got {est.learning_rate_init}) or "
            + (
                "set clip_norm (e.g. clip_norm=1.0) to bound the gradient norm"
                if est.clip_norm is None
                else f"a lower clip_norm (got {est.clip_norm})"
            )
            + f", and check {scale}."
        )
    else:
        advice = f"Check {scale}, or train with solver='adam' and clip_norm."
    return (
        f"Training diverged at epoch {epoch}: the loss or the weights became "
        "non-finite (inf or NaN), so training stopped at the last finite "
        f"weights. {advice}"
    )


@contextmanager
def interrupts_deferred():
    """Hold a Ctrl-C (SIGINT) back until the block has ended.

    Only the main thread receives signals; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = signal.signal(signal.SIGINT, lambda *args: received.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and callable(previous):
            previous(*received[0])
        elif received and previous == signal.SIG_DFL:
            raise KeyboardInterrupt
