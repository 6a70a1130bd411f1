import time, numpy as np, warnings, os
from sk_rnn import RNNRegressor
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
t = time.time()
m = RNNRegressor((96,), batch_size=200, max_iter=3, n_jobs=2, random_state=0).fit(X, y)
print("fit", time.time() - t, m.loss_curve_)
print("fds", len(os.listdir("/proc/self/fd")))
