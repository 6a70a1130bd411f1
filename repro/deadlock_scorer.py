"""n_jobs=2 fit with early stopping inside parallel_config(backend="loky"): the
validation scorer's Parallel(prefer="threads") runs on loky, asks joblib's executor
with other arguments, which shuts the executor down and waits for the fit's shard
workers, which wait for the fit."""
import sys, time, numpy as np, warnings
from joblib import parallel_config
from sk_rnn import RNNRegressor
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(400, 12, 2)); y = X[:, :, 0].sum(1)
t = time.time()
with parallel_config(backend=sys.argv[1] if len(sys.argv) > 1 else "loky"):
    m = RNNRegressor((96,), batch_size=200, max_iter=3, n_jobs=2, early_stopping=True,
                     random_state=0).fit(X, y)
print(f"done in {time.time()-t:.1f}s", m.validation_scores_)
