"""Two threads fitting at once with n_jobs=2 (and one with n_jobs=3)."""
import sys, time, threading, numpy as np, warnings
from sk_rnn import RNNRegressor
warnings.simplefilter("ignore", category=Warning)
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
jobs = [int(a) for a in sys.argv[1:]] or [2, 2]
T0 = time.time()
log = []
def run(k, n_jobs):
    t = time.time()
    RNNRegressor((96,), batch_size=200, max_iter=int(__import__("os").environ.get("IT", 30)), n_jobs=n_jobs, random_state=0).fit(X, y)
    log.append((k, n_jobs, round(t - T0, 2), round(time.time() - T0, 2)))
# warm up workers
RNNRegressor((96,), batch_size=200, max_iter=1, n_jobs=2).fit(X, y)
T0 = time.time()
run(-1, 2)
print("alone:", log)
log.clear(); T0 = time.time()
threads = [threading.Thread(target=run, args=(k, j)) for k, j in enumerate(jobs)]
for t in threads: t.start(); time.sleep(0.05)
for t in threads: t.join()
print("concurrent (k, n_jobs, start, end):", sorted(log))
