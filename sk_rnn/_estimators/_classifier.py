"""RNNClassifier: sequence classification with a softmax (or logistic) head."""

from numbers import Real

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.metrics import accuracy_score
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from . import _docstrings, _fitting, _inference
from ._base import BaseRNN
from ._validation import _is_missing, check_target_values


def balanced_class_weight(classes, y, sample_weight):
    """Weight of each class: ``total weight / (n_classes * weight of the class)``.

    scikit-learn's ``"balanced"`` rule, ``n_samples / (n_classes *
    np.bincount(y))``, on weighted counts, so that an integer sample weight acts
    exactly as repeating the sample, and a zero weight as removing it: a class
    whose samples all weigh zero weighs zero and is not counted among the classes.
    """
    counts = np.bincount(
        np.searchsorted(classes, y), weights=sample_weight, minlength=len(classes)
    )
    present = counts > 0
    weights = np.zeros(len(classes))
    weights[present] = counts.sum() / (present.sum() * counts[present])
    return weights


def class_weight_vector(class_weight, classes):
    """The weight of each class of ``classes`` from a ``{label: weight}`` dict.

    Labels absent from the dict weigh 1; a label of the dict that is not a class,
    a weight that is not a number, and a negative or non-finite weight are errors.
    """
    known = classes.tolist()
    unknown = [label for label in class_weight if label not in known]
    if unknown:
        raise ValueError(
            f"class_weight names {unknown!r}, which are not in the classes "
            f"{known!r}: every label of class_weight must be a class (labels not "
            "in class_weight weigh 1)."
        )
    weights = np.ones(len(classes))
    for label, weight in class_weight.items():
        if not isinstance(weight, Real) or isinstance(weight, bool):
            raise TypeError(
                f"class_weight must map each label to a number; got "
                f"{weight!r} for label {label!r}."
            )
        weights[known.index(label)] = weight
    if not (np.isfinite(weights).all() and (weights >= 0).all()):
        raise ValueError(
            "class_weight must give each class a finite, non-negative weight; got "
            f"{class_weight!r}."
        )
    return weights


def sorted_labels(labels, name):
    """``np.unique(labels)``, refusing missing labels and labels not to be ordered."""
    try:
        unique = np.unique(labels)
    except TypeError as exc:  # "a" < 1.0, None, pd.NA and the like
        unique = np.ravel(np.asarray(labels, dtype=object))
        if not any(_is_missing(label) for label in unique):
            raise ValueError(
                f"{name} mixes labels that cannot be compared with each other "
                f"({exc}); use labels of one type."
            ) from exc
    if any(_is_missing(label) for label in unique):
        raise ValueError(
            f"{name} contains a missing label (NaN, None or NA): every label must "
            "name a class."
        )
    return unique


class RNNClassifier(ClassifierMixin, BaseRNN):
    __doc__ = _docstrings.document(
        """Recurrent neural network classifier trained by backpropagation through time.

    Recurrent layers (Elman, LSTM or GRU cells; stacked, optionally bidirectional)
    read each sequence; a logistic (two classes) or softmax (more classes) layer on
    what ``readout`` takes of the hidden states (by default each unit's largest
    value over the sequence; every state, with ``output_sequence=True``) gives the
    class probabilities. Trained on the cross-entropy with Adam, SGD, Rprop or
    L-BFGS, like
    :class:`~sklearn.neural_network.MLPClassifier`, whose parameter names it shares.

""",
        """    See Also
    --------
    RNNRegressor : The same network with a linear head and the squared error.
    sklearn.neural_network.MLPClassifier : The feed-forward counterpart.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_rnn import RNNClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(100, 5, 2))      # 100 sequences, 5 steps, 2 features
    >>> y = (X[:, 0, 0] > 0).astype(int)      # the label hides in the first step
    >>> clf = RNNClassifier(hidden_layer_sizes=(16,), max_iter=500,
    ...                     random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> clf.score(X, y) > 0.9
    True
    """,
        metric="accuracy",
        max_iter="200",
        max_iter_note="",
        out_activation='``"logistic"`` for two classes, ``"softmax"`` for more',
        split="a stratified ``validation_fraction``",
        n_outputs="``n_outputs`` is 1 for two\n        classes and ``n_classes`` "
        "otherwise, ",
        extra_parameters="""\
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplying the sample weights: ``{label: weight}``
        (every label a class; classes absent from it weigh 1), or ``"balanced"`` for
        ``n_samples / (n_classes * np.bincount(y))`` computed on the weighted
        counts of each ``fit``. ``partial_fit`` supports only a dict.
""",
        extra_attributes="""\
    classes_ : ndarray of shape (n_classes,)
        Class labels.
""",
    )

    _loss_name = None

    _parameter_constraints: dict = {
        **BaseRNN._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        hidden_layer_sizes=(64,),
        *,
        cell="gru",
        activation="tanh",
        bidirectional=False,
        output_sequence=False,
        readout="max",
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=50,
        clip_norm=1.0,
        n_jobs=None,
        max_fun=15000,
        bptt_truncate=None,
        n_features_per_step=None,
        n_timesteps=None,
        patch_size="auto",
        class_weight=None,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            cell=cell,
            activation=activation,
            bidirectional=bidirectional,
            output_sequence=output_sequence,
            readout=readout,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            clip_norm=clip_norm,
            n_jobs=n_jobs,
            max_fun=max_fun,
            bptt_truncate=bptt_truncate,
            n_features_per_step=n_features_per_step,
            n_timesteps=n_timesteps,
            patch_size=patch_size,
        )
        self.class_weight = class_weight

    def _encode_targets(
        self, y, *, reset, dtype, classes=None, incremental=False, input_name="y"
    ):
        check_target_values(y, input_name, classifier=True)
        y = column_or_1d(y, warn=True)
        labels = sorted_labels(y, input_name)
        check_classification_targets(y)
        if reset:
            if classes is not None:
                check_target_values(classes, "classes", classifier=True)
            self.classes_ = (
                labels if classes is None else sorted_labels(classes, "classes")
            )
            if classes is not None and len(self.classes_) < 2:
                raise ValueError(
                    "classes must name at least 2 classes, every class of all calls "
                    f"to partial_fit; got {self.classes_.tolist()}."
                )
            if len(self.classes_) < 2:
                (only,) = self.classes_.tolist()
                raise ValueError(
                    "RNNClassifier needs samples of at least 2 classes in the data, "
                    f"but the data contains only one class: {only!r}."
                )
            self._loss_name = (
                "binary_log_loss" if len(self.classes_) == 2 else "log_loss"
            )
        elif not incremental and set(labels) != set(self.classes_):
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as in the "
                f"previous call to fit. Previously got {self.classes_}, `y` has "
                f"{labels}."
            )
        unknown = np.setdiff1d(labels, self.classes_)
        if unknown.size:
            raise ValueError(
                f"{input_name} contains labels {unknown.tolist()} that are not in "
                f"classes_ {self.classes_.tolist()}."
            )
        codes = np.searchsorted(self.classes_, y)
        if len(self.classes_) == 2:
            return (codes == 1).astype(dtype)[:, None], y
        return (codes[:, None] == np.arange(len(self.classes_))).astype(dtype), y

    def _weigh_classes(self, y, sample_weight, incremental):
        if self.class_weight is None:
            return sample_weight
        if self.class_weight == "balanced":
            if incremental:
                raise ValueError(
                    "class_weight 'balanced' is not supported for partial_fit: the "
                    "class frequencies of one batch are not those of the data. Compute "
                    "them once with sklearn.utils.class_weight.compute_class_weight("
                    "'balanced', classes=classes, y=y) on enough of the data and pass "
                    "the resulting dict as class_weight."
                )
            weights = balanced_class_weight(self.classes_, y, sample_weight)
        else:
            weights = class_weight_vector(self.class_weight, self.classes_)
        per_sample = weights[np.searchsorted(self.classes_, y)]
        return sample_weight * per_sample.astype(sample_weight.dtype)

    @available_if(BaseRNN._check_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Update the model with one epoch over the given data.

        Only the stochastic solvers (``"adam"``, ``"sgd"``) offer it, as in
        :class:`~sklearn.neural_network.MLPClassifier`. The optimizer state and
        ``t_`` carry over between calls; ``n_iter_`` is 1 after each call.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Training sequences; 2-D input is a batch of univariate series. Sequences of
            different lengths come as a list, or padded with NaN after their end.
        y : array-like of shape (n_samples,)
            Class labels, all among ``classes``; one per timestep with
            ``output_sequence=True``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss; ``None`` weighs all equally.
        classes : array-like of shape (n_classes,), default=None
            Every class of all calls, for example ``np.unique(y_all)``. Required on
            the first call (on an unfitted estimator), optional afterwards; ``y``
            need not contain every class.

        Returns
        -------
        self : object
            The updated estimator.
        """
        fitted = hasattr(self, "_network")
        if not fitted and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        if fitted and classes is not None:
            labels = sorted_labels(classes, "classes")
            if not np.array_equal(labels, self.classes_):
                raise ValueError(
                    f"`classes={labels!r}` is not the same as on the last "
                    f"call to partial_fit or fit, was: {self.classes_!r}"
                )
        return _fitting.fit(
            self, X, y, sample_weight, incremental=True, classes=classes
        )

    def _score_targets(self, y, dtype):
        """The labels ``score`` compares with the predictions, validated.

        Labels that are not classes count as errors; labels of a type that cannot
        be compared with ``classes_`` are refused.
        """
        check_target_values(y, "y", classifier=True)
        y = column_or_1d(y, warn=True)
        labels = sorted_labels(y, "y")
        try:
            sorted(set(labels.tolist()) | set(self.classes_.tolist()))
        except TypeError as exc:
            raise ValueError(
                f"y holds labels that cannot be compared with the classes "
                f"{self.classes_.tolist()} ({exc}); use labels of the type fitted on."
            ) from exc
        return y

    def _validation_score(self, outputs, y, sample_weight):
        return accuracy_score(y, self._decode(outputs), sample_weight=sample_weight)

    def _decode(self, outputs):
        if outputs.shape[1] == 1:
            return self.classes_[(outputs[:, 0] > 0.5).astype(int)]
        return self.classes_[np.argmax(outputs, axis=1)]

    _decode_targets = _decode  # the encoded targets are exact probabilities

    def _proba(self, outputs):
        if outputs.shape[1] == 1:
            return np.hstack([1.0 - outputs, outputs])
        return outputs

    def _log_proba(self, outputs):
        with np.errstate(divide="ignore"):
            return np.log(self._proba(outputs))

    def predict(self, X):
        """Predict the class of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Sequences; 2-D input is a batch of univariate series. Sequences of
            different lengths come as a list, or padded with NaN after their end.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted class labels.
        With ``output_sequence=True``: one result per timestep, of shape
        ``(n_samples, n_timesteps, ...)``, or a list of per-sequence arrays when the
        sequences have different lengths.
        """
        return _inference.predict(self, X, self._decode)

    def predict_proba(self, X):
        """Class probabilities of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Sequences; 2-D input is a batch of univariate series. Sequences of
            different lengths come as a list, or padded with NaN after their end.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        With ``output_sequence=True``: one result per timestep, of shape
        ``(n_samples, n_timesteps, ...)``, or a list of per-sequence arrays when the
        sequences have different lengths.
        """
        return _inference.predict(self, X, self._proba)

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Sequences; 2-D input is a batch of univariate series. Sequences of
            different lengths come as a list, or padded with NaN after their end.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class, in the order of ``classes_``.
        With ``output_sequence=True``: one result per timestep, of shape
        ``(n_samples, n_timesteps, ...)``, or a list of per-sequence arrays when the
        sequences have different lengths.
        """
        return _inference.predict(self, X, self._log_proba)

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on the given sequences and labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of arrays of shape \
                (n_timesteps_i, n_features)
            Sequences; 2-D input is a batch of univariate series. Sequences of
            different lengths come as a list, or padded with NaN after their end.
        y : array-like of shape (n_samples,)
            True labels; one per timestep with ``output_sequence=True``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence (of each of its steps, per timestep).

        Returns
        -------
        score : float
            Accuracy of ``self.predict(X)``, over every real timestep with
            ``output_sequence=True``.
        """
        return _inference.score(self, X, y, sample_weight)
