"""Default n_jobs=None inside parallel_config(backend="loky", n_jobs=2) (documented:
n_jobs=None follows the block), with early stopping: the fit never ends."""
import time, numpy as np, warnings
from joblib import parallel_config
from sk_rnn import RNNRegressor
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(400, 12, 2)); y = X[:, :, 0].sum(1)
t = time.time()
with parallel_config(backend="loky", n_jobs=2):
    m = RNNRegressor((96,), batch_size=200, max_iter=3, early_stopping=True, random_state=0).fit(X, y)
print(f"done in {time.time()-t:.1f}s")
