"""Two threads fitting at once, n_jobs=3 and n_jobs=2: the second waits for the
whole of the first fit inside loky's resize, with loky's UserWarning."""
import time, threading, warnings, numpy as np
from sk_rnn import RNNRegressor
from sklearn.exceptions import ConvergenceWarning
warnings.simplefilter("ignore", ConvergenceWarning)
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
T0 = time.time()
def run(n_jobs, max_iter):
    t = time.time() - T0
    RNNRegressor((96,), batch_size=200, max_iter=max_iter, n_jobs=n_jobs, random_state=0).fit(X, y)
    print(f"n_jobs={n_jobs}: {t:.2f}s -> {time.time()-T0:.2f}s", flush=True)
a = threading.Thread(target=run, args=(3, 150)); a.start(); time.sleep(1.5)
b = threading.Thread(target=run, args=(2, 1)); b.start()
a.join(); b.join()
