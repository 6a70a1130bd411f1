"""
======================================
Next-step prediction on straight lines
======================================

The classic first exercise for a recurrent network: read ``[[1], [2], [3], [4]]`` and
predict what comes next. :func:`~sk_rnn.datasets.make_ramps` draws straight lines
with random starts and slopes. By default its target is the whole sequence shifted by
one step (``[[2], [3], [4], [5]]``), a sequence-to-sequence task; here, with
``output_sequence=False``, the target is only the value after the last step, learned
by a many-to-one :class:`~sk_rnn.RNNRegressor`. The last section predicts the next
value at every step instead (``output_sequence=True``), sequence to sequence.
"""

# %%
# Learning the next value of a ramp
# ---------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from sk_rnn import RNNRegressor
from sk_rnn.datasets import make_ramps

X, y = make_ramps(n_samples=1000, n_timesteps=10, output_sequence=False, random_state=0)
print("ramps:", X.shape, "next values:", y.shape)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
reg = RNNRegressor(
    hidden_layer_sizes=(16,),
    learning_rate_init=0.01,
    batch_size=50,
    max_iter=300,
    tol=1e-6,
    random_state=0,
)
reg.fit(X_train, y_train)
error = np.abs(reg.predict(X_test) - y_test)
print(f"next value of unseen ramps: test R2: {reg.score(X_test, y_test):.4f}")
print(f"mean absolute error: {error.mean():.4f}, worst: {error.max():.4f}")

# %%
# Sequences of any length
# -----------------------
# A model fitted on 3-D data reads sequences of any length. The network was trained on
# 10 steps: it extends a 15-step ramp well, but after only 4 steps its hidden state has
# not yet settled the way it does after 10, and the prediction is off. Train on the
# lengths you will predict.
ramps = [
    [0.1, 0.2, 0.3, 0.4],
    list(np.linspace(-0.5, 0.4, 10)),
    list(np.linspace(0.5, -0.9, 15)),
]
for ramp in ramps:
    step = ramp[1] - ramp[0]
    pred = reg.predict(np.array(ramp)[None, :, None])[0]
    print(
        f"{len(ramp):2d} steps ending at {ramp[-1]:+.2f}: predicted next "
        f"{pred:+.3f}, true {ramp[-1] + step:+.3f}"
    )

# %%
# A few test ramps and their predicted next values
# -------------------------------------------------
fig, ax = plt.subplots(figsize=(7, 4))
pred = reg.predict(X_test[:6])
for i in range(6):
    (line,) = ax.plot(range(10), X_test[i, :, 0], "o-", ms=3)
    ax.plot(10, y_test[i], "s", mfc="none", color=line.get_color(), ms=9)
    ax.plot(10, pred[i], "x", color=line.get_color(), ms=9)
ax.set_xlabel("step")
ax.set_title("Ramps, true next value (square) and prediction (cross)")
plt.show()

# %%
# Sequence to sequence: the next value at every step
# --------------------------------------------------
# With ``output_sequence=True`` the network predicts after every step, and the target
# is the whole ramp shifted by one: ``[[1], [2], [3], [4]] -> [[2], [3], [4], [5]]``.
# After one step the slope is unknown; from the second step on it is pinned down.
X_seq, y_seq = make_ramps(n_samples=400, n_timesteps=8, random_state=0)
seq2seq = RNNRegressor(
    hidden_layer_sizes=(16,),
    output_sequence=True,
    learning_rate_init=0.01,
    max_iter=1000,
    n_iter_no_change=50,
    random_state=0,
)
seq2seq.fit(X_seq, y_seq)
X_new, y_new = make_ramps(n_samples=50, n_timesteps=8, random_state=1)
worst = np.abs(seq2seq.predict(X_new) - y_new).max(axis=0)
print(f"sequence-to-sequence test R2: {seq2seq.score(X_new, y_new):.4f}")
print("worst error per step:", np.round(worst, 3))
