"""
=================================================
Choosing the cell and its size with a grid search
=================================================

:class:`~sk_rnn.RNNRegressor` is an ordinary scikit-learn estimator: it sits at the
end of a :class:`~sklearn.pipeline.Pipeline`, and
:class:`~sklearn.model_selection.GridSearchCV` tunes any of its parameters by
cross-validation, here the recurrent cell (``"rnn"``, the Elman cell, ``"lstm"`` or
``"gru"``) and the number of hidden units.

The task is one-step forecasting of a noisy sine wave,
:func:`~sk_rnn.datasets.make_sine`: windows of 20 steps, and the value that follows.
"""

# %%
# Data as 2-D univariate series
# -----------------------------
# A 2-D array ``(n_samples, n_timesteps)`` is a batch of univariate series, so any
# scikit-learn transformer can come first in the pipeline. On such data
# :class:`~sklearn.preprocessing.StandardScaler` standardises each timestep (for 3-D
# data, :class:`~sk_rnn.SequenceScaler` standardises each feature).
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sk_rnn import RNNRegressor
from sk_rnn.datasets import make_sine

X, y = make_sine(n_samples=400, n_timesteps=20, noise=0.1, random_state=0)
X = X[:, :, 0]  # (400, 20): univariate series
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

pipe = make_pipeline(
    StandardScaler(),
    RNNRegressor(learning_rate_init=0.01, batch_size=32, max_iter=40, random_state=0),
)

# %%
# Searching over the cell and the hidden size
# -------------------------------------------
# Six candidates, three folds each, two jobs in parallel. Parameters of a pipeline
# step are named ``<step>__<parameter>``. ``error_score="raise"`` makes a failing fit
# an error instead of a silent NaN score.
param_grid = {
    "rnnregressor__cell": ["rnn", "lstm", "gru"],
    "rnnregressor__hidden_layer_sizes": [(4,), (16,)],
}
search = GridSearchCV(pipe, param_grid, cv=3, n_jobs=2, error_score="raise")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)

results = search.cv_results_
print(f"{'cell':>5}  {'hidden':>6}  {'CV R2':>14}  {'fit time':>8}")
for params, mean, std, fit_time in zip(
    results["params"],
    results["mean_test_score"],
    results["std_test_score"],
    results["mean_fit_time"],
):
    print(
        f"{params['rnnregressor__cell']:>5}  "
        f"{params['rnnregressor__hidden_layer_sizes'][0]:6d}  "
        f"{mean:8.3f} ± {std:.3f}  {fit_time:7.1f}s"
    )
print("best:", search.best_params_)
print(f"best pipeline on the test set: test R2: {search.score(X_test, y_test):.3f}")

# %%
# Cross-validated R² of each candidate
# ------------------------------------
cells = param_grid["rnnregressor__cell"]
sizes = [h[0] for h in param_grid["rnnregressor__hidden_layer_sizes"]]
scores = results["mean_test_score"].reshape(len(cells), len(sizes))
fig, ax = plt.subplots(figsize=(5, 3.5))
width = 0.8 / len(sizes)
for j, size in enumerate(sizes):
    ax.bar(
        np.arange(len(cells)) + j * width, scores[:, j], width, label=f"{size} units"
    )
ax.set_xticks(np.arange(len(cells)) + width * (len(sizes) - 1) / 2, cells)
ax.set_ylabel("CV R²")
ax.set_ylim(max(0.0, scores.min() - 0.1), 1.0)
ax.legend(loc="lower right")
ax.set_title("Grid search over cell and size")
plt.show()
