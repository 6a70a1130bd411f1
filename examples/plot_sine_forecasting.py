"""
=============================
Forecasting a noisy sine wave
=============================

:func:`~sk_rnn.datasets.make_sine` cuts windows of 20 steps out of a noisy sine wave
with a random phase; the target is the value that follows each window. An
:class:`~sk_rnn.RNNRegressor` learns the one-step forecast, and then, fed its own
predictions, runs freely into the future: :meth:`~sk_rnn.RNNRegressor.forecast`
slides the window, dropping its first value and appending each prediction.
"""

# %%
# Windows and the next value
# --------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from sk_rnn import RNNRegressor
from sk_rnn.datasets import make_sine

period = 20.0
X, y = make_sine(
    n_samples=600, n_timesteps=20, period=period, noise=0.05, random_state=0
)
print("windows:", X.shape, "targets:", y.shape)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
reg = RNNRegressor(
    hidden_layer_sizes=(32,),
    learning_rate_init=0.01,
    batch_size=32,
    max_iter=200,
    random_state=0,
)
reg.fit(X_train, y_train)
print(
    f"one-step forecast of held-out windows: test R2: {reg.score(X_test, y_test):.3f}"
)

# %%
# Prediction against truth
# ------------------------
# A new stretch of the wave, without noise: each prediction reads the 20 true values
# before it (one-step-ahead). For the free-running forecast, the model reads only the
# first 20 values: ``forecast`` then appends each prediction to the window (dropping
# its oldest value) to predict the next, 100 steps ahead.
t = np.arange(120)
truth = np.sin(2 * np.pi * t / period + 1.0)
windows = np.lib.stride_tricks.sliding_window_view(truth[:-1], 20)[:, :, None]
one_step = reg.predict(windows)  # predicts truth[20:]

free_run = reg.forecast(truth[None, :20, None], n_steps=len(truth) - 20)[0]

rmse_one = np.sqrt(np.mean((one_step - truth[20:]) ** 2))
rmse_free = np.sqrt(np.mean((free_run - truth[20:]) ** 2))
print(
    f"one-step RMSE: {rmse_one:.3f}, free-running RMSE over 100 steps: {rmse_free:.3f}"
)

fig, ax = plt.subplots(figsize=(9, 3.5))
ax.plot(t, truth, color="black", lw=1, label="truth")
ax.plot(t[20:], one_step, "o", ms=3, label="one-step forecast")
ax.plot(t[20:], free_run, "--", label="free-running forecast")
ax.axvline(19.5, color="gray", lw=0.5)
ax.set_xlabel("t")
ax.set_ylim(-1.3, 1.6)
ax.legend(loc="upper center", ncols=3)
ax.set_title("RNNRegressor forecasts of a sine wave")
plt.show()
