"""RNNClassifier: sequence classification with a softmax (or logistic) head."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ._base import BaseRNN


class RNNClassifier(ClassifierMixin, BaseRNN):
    """Recurrent neural network classifier trained by backpropagation through time.

    An Elman network reads each sequence; a logistic (two classes) or softmax (more
    classes) layer on its last hidden state gives the class probabilities. Trained
    on the cross-entropy with Adam or SGD, like
    :class:`~sklearn.neural_network.MLPClassifier`, whose parameter names it shares.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Hidden units of each recurrent layer, bottom first; each layer reads the
        whole output sequence of the one below.
    cell : {"rnn", "lstm", "gru"}, default="rnn"
        Recurrent cell: ``"rnn"`` is the Elman cell, ``"lstm"`` and ``"gru"`` the
        gated cells of PyTorch's ``nn.LSTM`` and ``nn.GRU`` (same gate order and
        weight layout), which ignore ``activation``.
    activation : {"tanh", "relu", "identity"}, default="tanh"
        Nonlinearity of the Elman cell: ``h_t = act(x_t W_ih^T + b_ih +
        h_{t-1} W_hh^T + b_hh)``.
    bidirectional : bool, default=False
        Whether each layer also reads the sequences backwards; the head then reads
        the last forward state and the first backward state.
    solver : {"adam", "sgd"}, default="adam"
        Optimizer of the weights.
    alpha : float, default=0.0001
        Strength of the L2 penalty on the weight matrices.
    batch_size : int or "auto", default="auto"
        Sequences per minibatch; ``"auto"`` is ``min(200, n_samples)``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``solver="sgd"``, as in MLPClassifier.
    learning_rate_init : float, default=0.001
        Initial learning rate of ``"sgd"`` and ``"adam"``.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
    max_iter : int, default=200
        Maximum number of epochs.
    shuffle : bool, default=True
        Whether to shuffle the sequences at each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, shuffling and validation split.
    tol : float, default=1e-4
        Improvement of the loss (or validation score) below which an epoch counts
        as no improvement.
    verbose : bool, default=False
        Print the loss of each epoch.
    warm_start : bool, default=False
        Continue from the previous solution on ``fit``.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``.
    nesterovs_momentum : bool, default=True
        Whether ``solver="sgd"`` uses Nesterov's momentum.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified) and stop when its
        accuracy stops improving; the best weights are kept.
    validation_fraction : float, default=0.1
        Fraction of the data held out for early stopping.
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's moment estimates.
    epsilon : float, default=1e-8
        Numerical stability constant of Adam.
    n_iter_no_change : int, default=10
        Epochs without improvement by ``tol`` before stopping.
    clip_norm : float or None, default=None
        Rescale each minibatch gradient so its global L2 norm is at most this;
        ``None`` disables clipping. Use it when the loss explodes.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of columns of 2-D training input, or size of the feature axis of 3-D
        training input.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of 2-D DataFrame input, if it had string column names.
    recurrent_weights_ : dict of str to ndarray
        Recurrent parameters keyed as in PyTorch's ``nn.RNN`` state dict, for layer
        ``k`` (and ``_reverse`` for the backward direction): ``weight_ih_l{k}`` of
        shape ``(hidden, n_inputs)``, ``weight_hh_l{k}`` of shape
        ``(hidden, hidden)``, ``bias_ih_l{k}`` and ``bias_hh_l{k}`` of shape
        ``(hidden,)``.
    output_weight_ : ndarray of shape (n_outputs, n_last)
        Weight of the output layer (as ``nn.Linear``); ``n_outputs`` is 1 for two
        classes and ``n_classes`` otherwise, ``n_last`` the last layer's size
        (doubled if bidirectional).
    output_bias_ : ndarray of shape (n_outputs,)
        Bias of the output layer.
    loss_ : float
        Loss of the last epoch.
    best_loss_ : float
        Lowest training loss reached.
    loss_curve_ : list of float
        Training loss of every epoch.
    validation_scores_ : list of float or None
        Validation accuracy of every epoch with ``early_stopping=True``.
    best_validation_score_ : float or None
        Best validation accuracy with ``early_stopping=True``.
    n_iter_ : int
        Epochs run by the last call of ``fit``.
    t_ : int
        Training samples seen, over all epochs.

    See Also
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
    >>> clf = RNNClassifier(hidden_layer_sizes=(16,), max_iter=300,
    ...                     random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> clf.score(X, y) > 0.9
    True
    """

    _loss_name = None

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        *,
        cell="rnn",
        activation="tanh",
        bidirectional=False,
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
        n_iter_no_change=10,
        clip_norm=None,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            cell=cell,
            activation=activation,
            bidirectional=bidirectional,
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
        )

    def _encode_targets(self, y, reset, dtype):
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if reset:
            self.classes_ = np.unique(y)
            if len(self.classes_) < 2:
                raise ValueError(
                    "RNNClassifier needs samples of at least 2 classes in the data, "
                    f"but the data contains only one class: {self.classes_[0]!r}."
                )
            self._loss_name = (
                "binary_log_loss" if len(self.classes_) == 2 else "log_loss"
            )
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(
                f"y contains labels {unknown.tolist()} not seen in the first fit; "
                f"expected labels in {self.classes_.tolist()}."
            )
        codes = np.searchsorted(self.classes_, y)
        if len(self.classes_) == 2:
            return (codes == 1).astype(dtype)[:, None]
        return (codes[:, None] == np.arange(len(self.classes_))).astype(dtype)

    def _validation_score(self, outputs, y, sample_weight):
        return accuracy_score(y, self._decode(outputs), sample_weight=sample_weight)

    def _decode(self, outputs):
        if outputs.shape[1] == 1:
            return self.classes_[(outputs[:, 0] > 0.5).astype(int)]
        return self.classes_[np.argmax(outputs, axis=1)]

    def predict(self, X):
        """Predict the class of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps)
            Sequences; 2-D input is a batch of univariate series.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        return self._decode(self._predict_outputs(X))

    def predict_proba(self, X):
        """Class probabilities of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps)
            Sequences; 2-D input is a batch of univariate series.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        outputs = self._predict_outputs(X)
        if outputs.shape[1] == 1:
            return np.hstack([1.0 - outputs, outputs])
        return outputs

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps)
            Sequences; 2-D input is a batch of univariate series.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class, in the order of ``classes_``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))
