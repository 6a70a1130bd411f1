"""The parameters and attributes RNNClassifier and RNNRegressor share, documented once.

Each estimator's docstring is :data:`SHARED` with the few words that differ filled in
(:func:`document`), so the two cannot drift apart.
"""

from string import Template

# ${metric}: the validation score; ${split}: the early-stopping split; ${max_iter}
# and ${max_iter_note}: that default and why; ${n_outputs}: what n_outputs is;
# ${extra_parameters}, ${extra_attributes}: an estimator's own entries, in numpydoc
# layout.
SHARED = Template(
    """\
    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(64,)
        Hidden units of each recurrent layer, bottom first; each layer reads the
        whole output sequence of the one below. (MLP's default, ``(100,)``, until
        0.2.0.)
    cell : {"rnn", "lstm", "gru"}, default="gru"
        Recurrent cell: ``"rnn"`` is the Elman cell, ``"lstm"`` and ``"gru"`` the
        gated cells of PyTorch's ``nn.LSTM`` and ``nn.GRU`` (same gate order and
        weight layout), which ignore ``activation``. The GRU, the default since
        0.2.0, scored best of the three on most real data sets of the accuracy
        benchmark; the Elman cell is about three times cheaper an epoch.
    activation : {"tanh", "relu", "identity"}, default="tanh"
        Nonlinearity of the Elman cell: ``h_t = act(x_t W_ih^T + b_ih +
        h_{t-1} W_hh^T + b_hh)``.
    bidirectional : bool, default=False
        Whether each layer also reads the sequences backwards; the head then reads
        both directions' states (with ``readout="last"``, the last forward state
        and the first backward state).
    output_sequence : bool, default=False
        Whether to predict one output per timestep (sequence-to-sequence) instead
        of one per sequence. ``y`` then holds one target per timestep: shape
        ``(n_samples, n_timesteps)`` (or ``(n_samples, n_timesteps, n_outputs)``
        for the regressor), or a list of per-sequence arrays; targets at padded
        steps are ignored, the loss sums over each sequence's real steps and
        ``score`` covers every real step.
    readout : {"last", "mean", "max"}, default="max"
        What the output layer reads from the top recurrent layer when it predicts
        one output per sequence: its state at the last real step (for
        ``bidirectional``, with the backward state at the first), or the mean, or
        each unit's maximum, of its states over the real steps (padding never
        counts). The maximum, the default since 0.2.0, lets every step reach the
        output directly: on long series it learns much faster and better (see
        :doc:`/good_results`); ``"last"`` is the readout of 0.1.0 and of
        PyTorch's usual recipe. Ignored with ``output_sequence=True``.
    solver : {"adam", "sgd", "rprop", "lbfgs"}, default="adam"
        How the weights are optimized:

        - ``"adam"``: Adam on minibatches;
        - ``"sgd"``: stochastic gradient descent with momentum and the
          ``learning_rate`` schedule;
        - ``"rprop"``: resilient backpropagation (iRprop-) on the full batch: every
          weight moves by its own step size against the sign of its gradient, the
          step growing by 1.2 while that sign holds and halving when it flips
          (bounded to ``[1e-10, 50]``);
        - ``"lbfgs"``: L-BFGS on the full batch (:func:`scipy.optimize.minimize`).
          Often best on small data sets.
    alpha : float, default=0.0001
        Strength of the L2 penalty on the weight matrices.
    batch_size : int or "auto", default="auto"
        Sequences per minibatch of ``"adam"`` and ``"sgd"``; ``"auto"`` is
        ``min(32, n_samples)`` (MLP's ``min(200, n_samples)`` until 0.2.0: one
        optimizer step an epoch on small data sets). ``"rprop"`` and ``"lbfgs"``
        use the full batch.
        BPTT keeps every hidden state of a batch: ``fit`` refuses, with a clear
        error, a batch that would hold more than 8 GiB of them.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``solver="sgd"``, as in MLP:

        - ``"constant"``: ``learning_rate_init`` throughout;
        - ``"invscaling"``: after each epoch the rate becomes
          ``learning_rate_init / (t_ + 1) ** power_t``, ``t_`` counting the samples
          seen so far;
        - ``"adaptive"``: constant while training improves; each time
          ``n_iter_no_change`` consecutive epochs fail to improve by ``tol``, the
          rate is divided by 5, and training stops once it is at most ``1e-6``.
    learning_rate_init : float, default=0.001
        Initial learning rate of ``"sgd"`` and ``"adam"``, and initial step size of
        every weight for ``"rprop"``.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
    max_iter : int, default=${max_iter}
        Maximum number of epochs (of iterations for ``"lbfgs"``). ``partial_fit``
        runs a single epoch.${max_iter_note}
    shuffle : bool, default=True
        Whether to shuffle the sequences at each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, shuffling and validation split.
    tol : float, default=1e-4
        Improvement of the loss (or validation score) below which an epoch counts
        as no improvement. For ``"lbfgs"``, the gradient size at which it stops.
    verbose : bool or int, default=False
        ``True`` prints a line per epoch (loss, validation score if any, elapsed
        time); ``2`` shows a progress bar instead if ``tqdm`` is installed
        (``pip install sk-rnn[progress]``).
    warm_start : bool, default=False
        Continue from the previous solution on ``fit``, keeping the training
        history (``loss_curve_``, ``t_``, ...). The network must keep its
        architecture (``cell``, ``activation``, ``hidden_layer_sizes``,
        ``bidirectional``, ``output_sequence``, ``readout``): a change is an
        error.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``.
    nesterovs_momentum : bool, default=True
        Whether ``solver="sgd"`` uses Nesterov's momentum.
    early_stopping : bool, default=False
        Stop when the validation ${metric} stops improving by ``tol`` for
        ``n_iter_no_change`` epochs, and keep the weights of the best epoch. The
        validation set is ``X_val`` given to ``fit``, else ${split}
        of the training data. Used by ``"adam"``, ``"sgd"`` and ``"rprop"``;
        ``partial_fit`` refuses it (one epoch has nothing to stop).
    validation_fraction : float, default=0.1
        Fraction of the data held out for early stopping when ``fit`` gets no
        ``X_val``.
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's moment estimates.
    epsilon : float, default=1e-8
        Numerical stability constant of Adam.
    n_iter_no_change : int, default=50
        Epochs without improvement by ``tol`` before stopping (or, for
        ``learning_rate="adaptive"``, before dividing the learning rate). Longer
        than MLP's 10 (the default until 0.2.0): a recurrent network often sits
        on a plateau for tens of epochs before it learns, and stopping there left
        models at chance level.
    clip_norm : float or None, default=1.0
        Rescale each minibatch gradient so its global L2 norm is at most this;
        ``None`` disables clipping. A rare huge gradient (on the benchmark's
        ACSF1, a norm of 92 against a median of 0.8) otherwise throws the
        weights far and inflates Adam's second moment for the rest of the run,
        and some seeds stop half-fitted: clipping at 1.0 took ACSF1's three seeds
        from 77-85% to 85-87%. Not used by ``"lbfgs"``, and without effect on
        ``"rprop"``, which reads only signs.
    n_jobs : int or None, default=None
        Cores that ``fit`` and ``predict`` use. Training cuts each batch into
        shards of sequences whose gradients are computed in parallel (the first
        in this process, the others in loky worker processes, which receive
        the training data once per fit and exit after 30 s idle) and summed;
        prediction cuts its batches across as many threads. A batch too small to
        cut (a shard must be worth a process's round trip) lets BLAS use its
        threads for large products instead; with one core, BLAS runs on one
        thread too. ``None`` means 1 unless in a :func:`joblib.parallel_config`
        context; ``-1`` means every core. Results are reproducible for a given
        setting and differ in the last bits between shard counts, whose sums are
        taken in another order. Keep the default inside a parallel search
        (``GridSearchCV(n_jobs=...)``) and on a machine busy with other work,
        where parallel shards and BLAS threads wait for cores.
    max_fun : int, default=15000
        Maximum number of loss evaluations of ``"lbfgs"``, as in MLP.
    bptt_truncate : int or None, default=None
        Truncated backpropagation through time: the gradient reaching a hidden
        state flows back at most this many of the steps the network reads
        (patches of ``patch_size_`` timesteps). ``None`` backpropagates through
        whole sequences; a value of at least the sequence length changes nothing.
        Cheaper on long sequences, at the price of long memories.
    n_features_per_step : int or None, default=None
        How to read 2-D input: ``None`` reads ``(n_samples, n_timesteps)`` as
        univariate series; an int ``k`` reads each row of ``(n_samples,
        n_timesteps * k)`` as ``k`` features a step, in the C order of
        ``X3d.reshape(n_samples, -1)``, so that scikit-learn tools that accept only
        2-D input (``StandardScaler``, bagging, ``permutation_importance``, ...)
        carry multivariate sequences. 3-D input must then have ``k`` features.
    n_timesteps : int or None, default=None
        Static (per-sample) features beside sequences in 2-D rows: with
        ``n_timesteps=T``, the first ``T * k`` columns of a row (``k`` as
        ``n_features_per_step`` says, one by default) are the sequence and any
        columns after them are static features, which the network reads beside
        every step's features (``k + n_static`` inputs a step). So
        :class:`~sklearn.multioutput.ClassifierChain` and
        :class:`~sklearn.multioutput.RegressorChain`, which append earlier targets
        as columns, carry sequences. Fewer than ``T * k`` columns is an error.
        ``None`` reads whole rows as steps. 3-D and list input to ``fit`` has no
        static columns: with ``n_timesteps`` set, its (padded) number of steps
        must be ``T``. A model fitted with static columns predicts 3-D input of
        ``k + n_static`` features a step, the static ones last and repeated at
        every step, as the network reads them (a patch holds them once per step
        it holds); ``forecast`` refuses it.
    patch_size : int or "auto", default="auto"
        Consecutive steps read as one step of ``patch_size`` times the features
        (their features side by side, in order; the last patch completed with
        zeros), so the network runs through ``patch_size`` times fewer steps.
        Each of a patch's inputs is then standardised with its mean and standard
        deviation over the training patches (the zeros completing a last patch
        left out, and read as the mean), fitted on the first ``fit`` (on
        series aligned in time, spectra or a repeated cycle, the positions of a
        patch differ in level, as the columns of a flattened series do). On
        long series it learns faster and better: on the benchmark's ACSF1 (1,460
        steps) accuracy went from 38% to 80% with 36, on PickupGestureWiimoteZ
        from 52% to 72% with 9 (``docs/good_results.rst``). ``"auto"`` leaves
        about 40 steps, ``max(1, n_timesteps // 40)`` of the (padded) training
        sequences, so series under 80 steps are read one step at a time; with
        ``output_sequence=True``, which predicts every step, it is 1 (an integer
        above 1 is refused there). With lengths that differ widely, the longest
        sequence sets ``k``: set it yourself then. ``patch_size_`` holds the size
        fitted on the first ``fit`` or ``partial_fit``; ``warm_start`` and
        ``partial_fit`` keep it, and refuse another integer.
        ``hidden_states`` returns one state per patch; ``forecast`` and ONNX
        export read patches as ``predict`` does.
${extra_parameters}
    Attributes
    ----------
${extra_attributes}    n_features_in_ : int
        Number of columns of 2-D training input (timesteps times
        ``n_features_per_step``, plus any static columns), or size of the feature
        axis of 3-D training input.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of 2-D DataFrame input, if it had string column names.
    patch_size_ : int
        Steps read as one step of the network (``patch_size``, with ``"auto"``
        resolved on the first fit). The network has ``patch_size_`` times the
        features of a step as inputs.
    recurrent_weights_ : dict of str to ndarray
        Recurrent parameters keyed as in PyTorch's ``nn.RNN`` state dict, for layer
        ``k`` (and ``_reverse`` for the backward direction): ``weight_ih_l{k}`` of
        shape ``(hidden, n_inputs)``, ``weight_hh_l{k}`` of shape
        ``(hidden, hidden)``, ``bias_ih_l{k}`` and ``bias_hh_l{k}`` of shape
        ``(hidden,)``.
    output_weight_ : ndarray of shape (n_outputs, n_last)
        Weight of the output layer (as ``nn.Linear``); ${n_outputs}``n_last`` is the
        last layer's size (doubled if bidirectional).
    output_bias_ : ndarray of shape (n_outputs,)
        Bias of the output layer.
    loss_ : float
        Training loss of the last epoch (objective value for ``"lbfgs"``).
    best_loss_ : float or None
        Lowest training loss reached; ``None`` with ``early_stopping=True`` (see
        ``best_validation_score_``).
    loss_curve_ : list of float
        Training loss of every epoch (or L-BFGS iteration), over all calls since
        the last fresh fit.
    epoch_times_ : list of float
        Seconds each epoch of ``loss_curve_`` took (wall time, validation scoring
        included).
    validation_scores_ : list of float or None
        Validation ${metric} of every epoch, with ``early_stopping=True`` or an
        ``X_val`` given to ``fit``; ``None`` otherwise.
    best_validation_score_ : float or None
        Best of ``validation_scores_``.
    n_iter_ : int
        Epochs (L-BFGS iterations) run by the last call of ``fit``, or 1 after
        ``partial_fit``.
    t_ : int
        Training samples seen by the epoch solvers, over all epochs since the last
        fresh fit: the time step of the ``"invscaling"`` schedule.
    n_outputs_ : int
        Number of outputs of the network (as in MLP).
    n_layers_ : int
        Number of layers, input and output layers included: ``len(hidden_layer_sizes)
        + 2``, as in MLP.
    out_activation_ : str
        Output activation: ${out_activation}.

"""
)


def document(head, tail, **words):
    """A docstring: ``head``, the shared sections with ``words`` filled in, ``tail``.

    Parameters
    ----------
    head : str
        The summary line and description, ending with a blank line.
    tail : str
        The sections after the attributes (See Also, Examples).
    **words : str
        ``metric``, ``split``, ``max_iter``, ``max_iter_note``, ``n_outputs``,
        ``out_activation``, ``extra_parameters`` and ``extra_attributes``.

    Returns
    -------
    docstring : str
    """
    return head + SHARED.substitute(words) + tail
