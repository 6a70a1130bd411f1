"""
=====================================================
Forecasting a monthly series two years ahead
=====================================================

A monthly series with a trend, a yearly season and autocorrelated noise (sales, say,
or electricity demand), generated here. An :class:`~sk_rnn.RNNRegressor` learns the
month-to-month changes, one step ahead at every step (``output_sequence=True``); its
:meth:`~sk_rnn.RNNRegressor.forecast` then reads the whole history once and carries
its state forward 24 months, each predicted change fed back as the next input. The
forecast is compared with the truth and with the seasonal-naive forecast, which
repeats the last observed year: the baseline every seasonal forecast must beat.
"""

# %%
# A series with trend and season
# ------------------------------
# 24 years of months: a linear trend of 0.5 a month, a yearly season of two
# harmonics, and AR(1) noise. The last two years are held out.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import RNNRegressor

rng = np.random.RandomState(0)
n_months, horizon, period = 288, 24, 12
t = np.arange(n_months)
noise = np.zeros(n_months)
for i in range(1, n_months):
    noise[i] = 0.5 * noise[i - 1] + rng.normal(scale=1.5)
series = (
    100
    + 0.5 * t
    + 10 * np.sin(2 * np.pi * t / period)
    + 4 * np.cos(4 * np.pi * t / period)
    + noise
)
history, future = series[:-horizon], series[-horizon:]
print(f"{len(history)} months of history, forecast {horizon} months ahead")

# %%
# Next-step training on the monthly changes
# -----------------------------------------
# The changes ``series[t] - series[t - 1]`` have no trend, so a network trained on
# the past sees their range again in the future. Standardised, they are cut into
# overlapping stretches of 48 months; the target of each step is the next change.
# Training runs a fixed 40 epochs (the ConvergenceWarning saying so is silenced).
changes = np.diff(history)
mean, scale = changes.mean(), changes.std()
z = (changes - mean) / scale
stretches = np.lib.stride_tricks.sliding_window_view(z, 49)
X, y = stretches[:, :-1, None], stretches[:, 1:]
reg = RNNRegressor(
    hidden_layer_sizes=(16,),
    cell="gru",
    output_sequence=True,
    learning_rate_init=0.01,
    batch_size=32,
    max_iter=40,
    random_state=0,
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    reg.fit(X, y)
print(
    f"trained {reg.n_iter_} epochs, training R2 of the next change: "
    f"{reg.score(X, y):.3f}"
)

# %%
# Forecast, truth and the seasonal-naive baseline
# -----------------------------------------------
# ``forecast`` reads all the changes of the history as one context, then predicts
# 24 changes, each fed back as the next input; their running sum from the last
# observed month is the forecast. The seasonal-naive forecast of month ``T + k``
# is the value of the same month in the last observed year.
predicted = reg.forecast(z[None, :, None], n_steps=horizon)[0] * scale + mean
forecast = history[-1] + np.cumsum(predicted)
last_year = history[-period:]
naive = np.tile(last_year, horizon // period)

mae_rnn = np.mean(np.abs(forecast - future))
mae_naive = np.mean(np.abs(naive - future))
print(
    f"MAE over {horizon} months: RNN forecast {mae_rnn:.2f}, "
    f"seasonal naive {mae_naive:.2f}"
)
print(f"RNN MAE / seasonal-naive MAE: {mae_rnn / mae_naive:.3f}")

fig, ax = plt.subplots(figsize=(9, 3.5))
months = np.arange(n_months)
ax.plot(months[-96:], series[-96:], color="black", lw=1, label="truth")
ax.plot(months[-horizon:], forecast, "o-", ms=3, label="RNN forecast")
ax.plot(months[-horizon:], naive, "--", label="seasonal naive")
ax.axvline(n_months - horizon - 0.5, color="gray", lw=0.5)
ax.set_xlabel("month")
ax.legend(loc="upper left")
ax.set_title(f"{horizon} months ahead: RNNRegressor.forecast against the baseline")
plt.show()
