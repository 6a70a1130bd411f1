"""Safe persistence through skops: load our models without executing untrusted code.

``pickle`` and ``joblib`` run arbitrary code on load: use them only for files you made
yourself. For files from anywhere else, use :func:`dump` and :func:`load`, which go
through ``skops.io``: loading builds only the types of :func:`trusted_types` (this
package's own estimators, networks, cells and optimizers, plus what skops trusts by
default: NumPy, SciPy and scikit-learn types) and refuses a file that holds anything
else.
"""

import inspect


def _skops_io():
    try:
        import skops.io as sio
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Saving and loading with skops needs the optional dependency skops: "
            'pip install "sk-rnn[skops]"'
        ) from exc
    return sio


def _qualified_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def trusted_types():
    """Names of this package's own types, which :func:`load` builds without asking.

    Returns
    -------
    names : list of str
        Fully qualified class names, sorted.

    Examples
    --------
    >>> from sk_rnn.io import trusted_types
    >>> "sk_rnn._estimators._classifier.RNNClassifier" in trusted_types()
    True
    """
    from .._backend import RecurrentNetwork
    from .._backend._cells import CELLS
    from .._estimators import RNNClassifier, RNNRegressor, SequenceScaler
    from .._train import _optimizers

    classes = {RNNClassifier, RNNRegressor, SequenceScaler, RecurrentNetwork}
    classes.update(CELLS.values())
    classes.update(
        obj
        for obj in vars(_optimizers).values()
        if inspect.isclass(obj) and obj.__module__.startswith("sk_rnn.")
    )
    return sorted(_qualified_name(cls) for cls in classes)


def dump(estimator, file):
    """Save a fitted estimator with ``skops.io``.

    Parameters
    ----------
    estimator : RNNClassifier or RNNRegressor
        The model to save.
    file : str or path-like
        Where to write it (``.skops`` by convention).

    See Also
    --------
    load : Load the file back, building only trusted types.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from sk_rnn import RNNClassifier
    >>> from sk_rnn.io import dump, load
    >>> X = np.random.RandomState(0).normal(size=(20, 4, 1))
    >>> clf = RNNClassifier(hidden_layer_sizes=(3,), solver="lbfgs")
    >>> clf = clf.fit(X, X[:, 0, 0] > 0)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skops")
    >>> dump(clf, path)
    >>> load(path).classes_
    array([False,  True])
    """
    _skops_io().dump(estimator, file)


def load(file):
    """Load a model saved by :func:`dump`, building only trusted types.

    Parameters
    ----------
    file : str or path-like
        A file written by :func:`dump` (or ``skops.io.dump``).

    Returns
    -------
    estimator : RNNClassifier or RNNRegressor
        The model, with identical predictions.

    Raises
    ------
    ValueError
        If the file holds a type that is neither this package's nor trusted by
        skops by default; it is not loaded.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from sk_rnn import RNNRegressor
    >>> from sk_rnn.io import dump, load
    >>> X = np.random.RandomState(0).normal(size=(20, 4, 1))
    >>> reg = RNNRegressor(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=1000)
    >>> reg = reg.fit(X, X.sum((1, 2)))
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skops")
    >>> dump(reg, path)
    >>> bool((load(path).predict(X) == reg.predict(X)).all())
    True
    """
    sio = _skops_io()
    trusted = trusted_types()
    unknown = sorted(set(sio.get_untrusted_types(file=file)) - set(trusted))
    if unknown:
        raise ValueError(
            f"Refusing to load {file!s}: it holds types that are not sk_rnn's and not "
            f"trusted by skops: {unknown}."
        )
    return sio.load(file, trusted=trusted)
