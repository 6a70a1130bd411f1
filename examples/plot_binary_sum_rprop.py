"""
=========================================
Counting ones with a linear RNN and Rprop
=========================================

The smallest recurrent network that does something: one hidden unit, no
nonlinearity, counting the ones in a binary sequence
(:func:`~sk_rnn.datasets.make_binary_sum`). With ``activation="identity"`` the
network computes

.. math::

    h_t = w_{ih} x_t + w_{hh} h_{t-1} + b, \\qquad \\hat y = w_{out} h_T + b_{out},

and it counts exactly when the recurrent weight :math:`w_{hh}` is 1 and the gain
:math:`w_{ih} w_{out}` from input to output is 1. Resilient backpropagation
(``solver="rprop"``) adapts one step size per weight from the signs of the full-batch
gradient alone, which suits this tiny problem whose gradients span orders of magnitude:
both converge to 1.
"""

# %%
# Training, and the weights along the way
# ---------------------------------------
# Rprop is deterministic and full-batch, so fitting with ``max_iter=k`` gives the
# weights after the first ``k`` epochs of the same run; the table stops when training
# stops by itself (``tol=0``: when the loss no longer decreases at all). ``alpha=0``
# switches the L2 penalty off: it would pull the weights slightly below 1.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import LossCurveDisplay, RNNRegressor
from sk_rnn.datasets import make_binary_sum

X, y = make_binary_sum(n_samples=200, n_timesteps=10, random_state=0)


def fit_linear_rnn(max_iter):
    """A one-unit linear RNN trained by Rprop for at most ``max_iter`` epochs."""
    reg = RNNRegressor(
        hidden_layer_sizes=(1,),
        cell="rnn",
        activation="identity",
        readout="last",  # the count is the state after the last step
        solver="rprop",
        normalize_y=False,  # learn the count itself, so the weights converge to 1
        alpha=0.0,
        max_iter=max_iter,
        tol=0.0,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return reg.fit(X, y)


def weights(reg):
    """The recurrent weight and the input-to-output gain of a one-unit network."""
    w = reg.recurrent_weights_
    return w["weight_hh_l0"][0, 0], w["weight_ih_l0"][0, 0] * reg.output_weight_[0, 0]


print(f"{'epochs':>6}  {'w_hh':>12}  {'w_ih * w_out':>12}  {'loss':>10}")
for max_iter in [1, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]:
    reg = fit_linear_rnn(max_iter)
    w_hh, gain = weights(reg)
    print(f"{reg.n_iter_:6d}  {w_hh:12.8f}  {gain:12.8f}  {reg.loss_:10.3e}")
    if reg.n_iter_ < max_iter:  # converged: the loss stopped improving
        break

# %%
# The fitted network counts
# -------------------------
# On new sequences of the training length, the prediction is the count.
#
# A model fitted on 3-D data also reads sequences of any other length, but here one
# detail shows: each step adds the biases, :math:`w_{out} (b_{ih} + b_{hh})` to the
# output, and training on sequences of 10 steps only teaches the output bias to
# cancel 10 of them. On ``n_timesteps`` steps the prediction is the count plus the
# constant :math:`(n_{timesteps} - 10)\, w_{out} (b_{ih} + b_{hh})`; once that is
# removed, every additional one still adds exactly one. (Training on sequences of
# several lengths pins the biases to 0.)
w_hh, gain = weights(reg)
print(f"recurrent weight w_hh: {w_hh:.6f}")
print(f"input-to-output gain w_ih * w_out: {gain:.6f}")
X_test, y_test = make_binary_sum(n_samples=200, n_timesteps=10, random_state=1)
print(f"10 steps, unseen sequences: R2: {reg.score(X_test, y_test):.6f}")

w = reg.recurrent_weights_
per_step = reg.output_weight_[0, 0] * (w["bias_ih_l0"][0] + w["bias_hh_l0"][0])
for n_timesteps in (12, 50):
    X_new, y_new = make_binary_sum(
        n_samples=200, n_timesteps=n_timesteps, random_state=n_timesteps
    )
    pred = reg.predict(X_new)
    offset = (n_timesteps - 10) * per_step
    error = np.abs(pred - offset - y_new).max()
    print(
        f"{n_timesteps} steps: offset {offset:+.4f} (mean of prediction - count: "
        f"{np.mean(pred - y_new):+.4f}); worst error without the offset: {error:.1e}"
    )

fig, ax = plt.subplots()
LossCurveDisplay.from_estimator(reg, ax=ax, name="Rprop on the binary sum")
ax.set_yscale("log")
plt.show()
