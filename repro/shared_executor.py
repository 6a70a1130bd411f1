"""_workers() claims to share joblib's loky executor with a search; its arguments
differ from joblib's (env, initializer), so each switch shuts the other's down."""
import time, numpy as np, warnings
from joblib import Parallel, delayed
from joblib.externals.loky import get_reusable_executor
from sk_rnn import RNNRegressor
from sk_rnn._backend import _parallel
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
def pids(): return sorted(get_reusable_executor.__globals__["_executor"]._processes)
def fit():
    t = time.time(); RNNRegressor((96,), batch_size=200, max_iter=1, n_jobs=2).fit(X, y); return time.time() - t
print("fit      %.2fs workers %s" % (fit(), pids()))
print("fit      %.2fs workers %s" % (fit(), pids()))
t = time.time(); Parallel(n_jobs=2)(delayed(abs)(i) for i in range(2))
print("Parallel %.2fs workers %s" % (time.time() - t, pids()))
print("fit      %.2fs workers %s" % (fit(), pids()))
