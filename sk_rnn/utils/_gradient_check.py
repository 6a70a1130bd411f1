"""Check an estimator's backpropagation through time against finite differences."""

import numpy as np
from sklearn.utils import check_random_state

from .._estimators._fitting import gradient_problem
from .._train import ALL_SAMPLES


def check_gradients(
    estimator, X, y, sample_weight=None, *, eps=1e-6, max_entries=None, random_state=0
):
    """Compare the analytic BPTT gradient with central finite differences.

    The objective is the one the estimator minimises (weighted mean loss plus the
    L2 penalty ``alpha``) over all of ``X``, at the fitted weights, or at a fresh
    initialisation (as ``fit`` would draw it) if the estimator is not fitted. It is
    evaluated in float64 with full BPTT: ``bptt_truncate`` is ignored, since a
    truncated gradient is deliberately not the gradient of the loss. The estimator
    is not modified.

    Parameters
    ----------
    estimator : RNNClassifier or RNNRegressor
        Fitted or not.
    X : array-like of shape (n_samples, n_timesteps, n_features) or \
            (n_samples, n_timesteps)
        Sequences, as accepted by ``fit``.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Targets, as accepted by ``fit``.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the sequences in the loss.
    eps : float, default=1e-6
        Step of the central differences ``(f(w + eps) - f(w - eps)) / (2 eps)``.
    max_entries : int or None, default=None
        Check at most this many entries of each parameter array, drawn at random;
        ``None`` checks every entry (two loss evaluations per entry).
    random_state : int, RandomState instance or None, default=0
        Draws the checked entries when ``max_entries`` is set.

    Returns
    -------
    errors : dict of str to float
        For each parameter array, keyed by its PyTorch-style name
        (``"weight_ih_l0"``, ..., ``"output_weight"``, ``"output_bias"``), the
        worst absolute difference between the analytic and numerical gradient
        entries, relative to the largest of them in magnitude:
        ``max|analytic - numeric| / max(max|analytic|, max|numeric|)`` (0 when
        both vanish). Around 1e-8 or below means the backpropagation is right;
        an error in it typically gives 1e-2 or more.

    Notes
    -----
    With ``activation="relu"``, a pre-activation within ``eps`` of zero makes the
    difference straddle the kink, where the loss has no derivative; errors near
    1e-5 can come from that alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_rnn import RNNRegressor
    >>> from sk_rnn.utils import check_gradients
    >>> rng = np.random.RandomState(0)
    >>> X, y = rng.normal(size=(20, 6, 2)), rng.normal(size=20)
    >>> model = RNNRegressor(hidden_layer_sizes=(3,), random_state=0)
    >>> errors = check_gradients(model, X, y)
    >>> sorted(errors)  # doctest: +NORMALIZE_WHITESPACE
    ['bias_hh_l0', 'bias_ih_l0', 'output_bias', 'output_weight',
     'weight_hh_l0', 'weight_ih_l0']
    >>> max(errors.values()) < 1e-7
    True
    """
    try:
        network, flat, objective = gradient_problem(estimator, X, y, sample_weight)
    except ValueError as exc:
        if not hasattr(estimator, "_network"):
            raise
        raise ValueError(  # the fitted rules of warm_start apply: say so
            "check_gradients evaluates a fitted estimator's objective at its fitted "
            f"weights, as a warm start continues from them: {exc}"
        ) from None
    _, analytic = objective(flat, ALL_SAMPLES)
    rng = check_random_state(random_state)
    offsets = np.cumsum([0] + [int(np.prod(shape)) for _, shape in network.specs])
    errors = {}
    for (name, _), start, stop in zip(network.specs, offsets[:-1], offsets[1:]):
        entries = np.arange(start, stop)
        if max_entries is not None and entries.size > max_entries:
            entries = rng.choice(entries, size=max_entries, replace=False)
        numeric = np.array(
            [_central_difference(objective, flat, i, eps) for i in entries]
        )
        scale = max(np.abs(analytic[entries]).max(), np.abs(numeric).max())
        worst = np.abs(analytic[entries] - numeric).max()
        errors[name] = float(worst / scale) if scale > 0 else 0.0
    return errors


def _central_difference(objective, flat, i, eps):
    """``(f(flat + eps e_i) - f(flat - eps e_i)) / (2 eps)``, restoring ``flat``."""
    original = flat[i]
    flat[i] = original + eps
    plus, _ = objective(flat, ALL_SAMPLES)
    flat[i] = original - eps
    minus, _ = objective(flat, ALL_SAMPLES)
    flat[i] = original
    return (plus - minus) / (2 * eps)
