"""fit(n_jobs=2) inside joblib's loky workers (cross_val_score(n_jobs=2))."""
import time, os, numpy as np, warnings
from joblib import Parallel, delayed
from sklearn.model_selection import cross_val_score
from sk_rnn import RNNRegressor
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(400, 12, 2)); y = X[:, :, 0].sum(1)
t = time.time()
est = RNNRegressor((96,), batch_size=200, max_iter=5, n_jobs=2, random_state=0)
print(cross_val_score(est, X, y, cv=2, n_jobs=2), f"{time.time()-t:.2f}s", flush=True)
def probe():
    from sk_rnn._backend._parallel import n_processes, plan_shards
    return os.getpid(), n_processes(2), plan_shards(2, 200, 1, (96,), 12)
print(Parallel(n_jobs=2)(delayed(probe)() for _ in range(2)))
