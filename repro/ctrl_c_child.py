import sys, time, warnings, os, numpy as np
from sk_rnn import RNNRegressor
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
m = RNNRegressor((96,), batch_size=int(sys.argv[1]), max_iter=int(sys.argv[2]), n_jobs=2, random_state=0)
print("ready", flush=True)
try:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        m.fit(X, y)
    print("fit returned, n_iter_", m.n_iter_, [str(x.message)[:40] for x in w if "interrupt" in str(x.message)], flush=True)
except KeyboardInterrupt:
    print("KeyboardInterrupt; fitted:", hasattr(m, "n_iter_"), flush=True)
except BaseException as e:
    print("ERROR", type(e).__name__, str(e)[:200], flush=True)
# the executor still works after the interruption
t = time.time()
m2 = RNNRegressor((96,), batch_size=200, max_iter=2, n_jobs=2, random_state=0).fit(X, y)
print(f"second fit ok {time.time()-t:.2f}s", flush=True)
