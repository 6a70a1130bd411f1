"""
===================================================
Which timesteps matter: permutation importance
===================================================

A sequence model's score can be taken apart along both axes of a sequence: which
feature it relies on, and at which steps.
:func:`sk_rnn.inspection.permutation_importance` permutes one block of the input
across samples (one feature at every step, or one window of steps with all its
features) and measures how much the score drops.

The memory task (:func:`~sk_rnn.datasets.make_memory_task`) has a known answer: the
label is the sign at one early step, and every other step is noise. A second feature
of pure noise is added beside it. A model that has learnt the task must rely on that
one step of the first feature, and on nothing else.
"""

# %%
# Fit a GRU on the memory task
# ----------------------------
# The label sits at step 3 of 20; the GRU must carry it through 16 steps of noise.
# Minibatches of 32 and a learning rate of 0.003 learn it in under 100 epochs.
import matplotlib.pyplot as plt
import numpy as np

from sk_rnn import RNNClassifier
from sk_rnn.datasets import make_memory_task
from sk_rnn.inspection import TimestepImportanceDisplay, permutation_importance

POSITION = 3
X, y = make_memory_task(600, n_timesteps=20, position=POSITION, random_state=0)
noise = np.random.RandomState(1).normal(size=X.shape)
X = np.concatenate([X, noise], axis=2)  # feature 0: the task, feature 1: noise
X_train, X_test, y_train, y_test = X[:400], X[400:], y[:400], y[400:]

clf = RNNClassifier(
    (16,), cell="gru", batch_size=32, learning_rate_init=0.003, random_state=0
).fit(X_train, y_train)
print(f"memory task, GRU: test accuracy: {clf.score(X_test, y_test):.3f}")

# %%
# Which feature
# -------------
# Permuting the first feature across samples gives each sequence another one's
# signal: the accuracy falls to chance. The noise feature's importance is about 0.
by_feature = permutation_importance(
    clf, X_test, y_test, over="features", n_repeats=5, random_state=0
)
for j, (mean, std) in enumerate(
    zip(by_feature.importances_mean, by_feature.importances_std)
):
    print(f"feature {j}: importance {mean:.3f} +/- {std:.3f}")

# %%
# Which steps
# -----------
# With ``over="timesteps"``, each step (a ``window`` of one) is permuted with all
# its features. Only the step that holds the label matters.
display = TimestepImportanceDisplay.from_estimator(
    clf, X_test, y_test, n_repeats=5, random_state=0
)
display.ax_.set_title("Drop in accuracy when one step is permuted")
by_step = display.result_.importances_mean
print(f"most important step: {int(np.argmax(by_step))} (the label is at {POSITION})")
print(f"importance of step {POSITION}: {by_step[POSITION]:.3f}")
print(
    f"largest importance of the other steps: {np.delete(by_step, POSITION).max():.3f}"
)
plt.show()
