"""
====================================
Handwritten digits read as sequences
====================================

scikit-learn's 8x8 handwritten digits become sequences with
:func:`~sk_rnn.datasets.load_sequential_digits`: 8 steps of 8 pixels (one row per
step), or 64 steps of one pixel (the small, offline cousin of sequential MNIST). A
recurrent network reads a sequence step by step and classifies it from its last hidden
state.
"""

# %%
# Zero versus one, pixel by pixel
# -------------------------------
# With ``pixel_by_pixel=True`` each image is a sequence of 64 steps with one feature.
# The network sees a single pixel at a time and must carry what it saw through up to 64
# steps. Gradient clipping (``clip_norm``) keeps training stable on long sequences.
import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import train_test_split

from sk_rnn import LossCurveDisplay, RNNClassifier
from sk_rnn.datasets import load_sequential_digits

X, y = load_sequential_digits(pixel_by_pixel=True, n_class=2, return_X_y=True)
print("0 vs 1, pixel by pixel: X has shape", X.shape)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)
binary = RNNClassifier(
    hidden_layer_sizes=(16,),
    cell="gru",  # 64 steps: a gated cell keeps the early pixels
    learning_rate_init=0.01,
    batch_size=32,
    clip_norm=1.0,
    max_iter=100,
    random_state=0,
)
binary.fit(X_train, y_train)
print(
    f"0 vs 1 (64 steps of 1 pixel): test accuracy: {binary.score(X_test, y_test):.3f}"
)

# %%
# All ten digits, row by row
# --------------------------
# Read row by row, each image is 8 steps of 8 features. With ``early_stopping=True``
# a tenth of the training set is held out and scored after every epoch; the loss curve
# display draws that validation accuracy next to the training loss.
X, y = load_sequential_digits(return_X_y=True)
print("all ten, row by row: X has shape", X.shape)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)
ten = RNNClassifier(
    hidden_layer_sizes=(64,),
    learning_rate_init=0.01,
    batch_size=64,
    max_iter=100,
    early_stopping=True,
    n_iter_no_change=10,
    random_state=0,
)
ten.fit(X_train, y_train)
print(f"all ten (8 steps of 8 pixels): test accuracy: {ten.score(X_test, y_test):.3f}")

fig, (ax_loss, ax_cm) = plt.subplots(1, 2, figsize=(11, 4.5))
LossCurveDisplay.from_estimator(ten, ax=ax_loss, name="All ten digits")
ConfusionMatrixDisplay.from_estimator(ten, X_test, y_test, ax=ax_cm, colorbar=False)
ax_cm.set_title("Test confusion matrix")
fig.tight_layout()

# %%
# What the network gets wrong
# ---------------------------
# The misclassified test digits, with their true and predicted labels.
pred = ten.predict(X_test)
wrong = (pred != y_test).nonzero()[0][:8]
fig, axes = plt.subplots(1, max(len(wrong), 1), figsize=(1.6 * max(len(wrong), 1), 2))
for ax, i in zip(list(fig.axes), wrong):
    ax.imshow(X_test[i], cmap="gray_r")
    ax.set_title(f"{y_test[i]} as {pred[i]}")
for ax in fig.axes:
    ax.set_axis_off()
plt.show()
