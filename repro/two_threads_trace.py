"""Where does the second of two concurrent n_jobs=2 fits wait?"""
import time, threading, numpy as np, warnings, contextlib
from sk_rnn import RNNRegressor
from sk_rnn._backend import _objective, _parallel
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
T0 = time.time()
orig = _objective.shard_workers
@contextlib.contextmanager
def traced(*a, **k):
    name = threading.current_thread().name
    print(f"{time.time()-T0:6.2f} {name} asks for workers", flush=True)
    with orig(*a, **k) as w:
        print(f"{time.time()-T0:6.2f} {name} has workers", flush=True)
        yield w
    print(f"{time.time()-T0:6.2f} {name} released workers", flush=True)
_objective.shard_workers = traced
RNNRegressor((96,), batch_size=200, max_iter=1, n_jobs=2).fit(X, y)
def run():
    RNNRegressor((96,), batch_size=200, max_iter=100, n_jobs=2, random_state=0).fit(X, y)
    print(f"{time.time()-T0:6.2f} {threading.current_thread().name} done", flush=True)
T0 = time.time(); run()
T0 = time.time()
ts = [threading.Thread(target=run, name=f"T{k}") for k in range(2)]
for t in ts: t.start()
for t in ts: t.join()
