"""n_jobs=None is meant to keep BLAS on one thread; forecast (next-step models) and
hidden_states run with every BLAS thread."""
import numpy as np, warnings
from threadpoolctl import threadpool_info, threadpool_limits
from sk_rnn import RNNRegressor
from sk_rnn._backend import RecurrentNetwork
warnings.simplefilter("ignore")
def blas(): return max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")
seen = {}
for name in ("forward", "forward_states", "hidden_states"):
    orig = getattr(RecurrentNetwork, name)
    def spy(self, *a, _orig=orig, _name=name, **k):
        seen.setdefault(_name, set()).add(blas()); return _orig(self, *a, **k)
    setattr(RecurrentNetwork, name, spy)
rng = np.random.RandomState(0)
X = rng.normal(size=(64, 6, 1)); Y = np.roll(X[:, :, 0], -1, axis=1)
with threadpool_limits(limits=2, user_api="blas"):
    m = RNNRegressor((128,), cell="rnn", output_sequence=True, batch_size=64, max_iter=1).fit(X, Y)
    seen.clear()
    m.predict(X); m.forecast(X, 3); m.hidden_states(X)
print({k: sorted(v) for k, v in seen.items()}, "(n_jobs=None: expected [1] everywhere)")
