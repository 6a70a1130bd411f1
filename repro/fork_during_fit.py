"""A fork-context multiprocessing pool started (in another thread) while an n_jobs=2
fit runs: its processes inherit the fit's end of each worker pipe, so closing it
sends the worker no EOF, and the fit waits at its end for as long as the pool lives."""
import multiprocessing, threading, time, warnings, numpy as np
from sk_rnn import RNNRegressor
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
def pool_user():
    time.sleep(0.5)  # the fit holds its workers by now
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pool.apply(abs, (-1,))
        time.sleep(20)  # the pool lives on, as pools do
t = threading.Thread(target=pool_user); t.start()
t0 = time.time()
RNNRegressor((96,), batch_size=200, max_iter=30, n_jobs=2, random_state=0).fit(X, y)
print(f"fit returned after {time.time()-t0:.1f}s (alone it takes about 1s)", flush=True)
t.join()
