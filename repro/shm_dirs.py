"""Empty joblib memmapping folders in /dev/shm: one per get_memmapping_executor call."""
import os, glob, numpy as np, warnings, sys
from sk_rnn import RNNRegressor
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
def shm(): return sorted(glob.glob(f"/dev/shm/joblib_memmapping_folder_{os.getpid()}_*"))
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
for i in range(n):
    RNNRegressor((96,), batch_size=200, max_iter=2, n_jobs=2).fit(X, y)
print(f"after {n} fits:", len(shm()), "folders; pid", os.getpid(), flush=True)
