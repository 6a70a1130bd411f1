"""A background n_jobs=2 fit holds joblib's process-wide loky executor for its whole
duration: joblib.Parallel (loky) in another thread waits for the fit to end."""
import time, threading, numpy as np, warnings
from joblib import Parallel, delayed
from sk_rnn import RNNRegressor
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
T0 = time.time()
def fit():
    RNNRegressor((96,), batch_size=200, max_iter=150, n_jobs=2, random_state=0).fit(X, y)
    print(f"{time.time()-T0:6.2f} background fit done", flush=True)
t = threading.Thread(target=fit); t.start(); time.sleep(0.5)
t1 = time.time()
print(Parallel(n_jobs=2)(delayed(abs)(-i) for i in range(4)))
print(f"{time.time()-T0:6.2f} joblib.Parallel of 4 trivial tasks took {time.time()-t1:.2f}s", flush=True)
t.join()
