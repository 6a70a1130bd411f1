"""A model pickled before n_timesteps existed (no _n_timesteps in its state):
set_params(n_timesteps=...) then changes how predict reads its rows."""
import pickle, warnings, numpy as np
from sk_rnn import RNNRegressor, SequenceScaler
warnings.simplefilter("ignore")
rng = np.random.RandomState(0)
X = rng.normal(size=(50, 10)); y = X[:, 0]
for est in (RNNRegressor((4,), max_iter=2, random_state=0).fit(X, y), SequenceScaler().fit(X)):
    state = est.__getstate__(); state.pop("_n_timesteps"); state.pop("n_timesteps")
    old = type(est).__new__(type(est)); old.__setstate__(state)  # as an old pickle loads
    old.set_params(n_timesteps=8)
    try:
        out = old.predict(X[:3]) if hasattr(old, "predict") else old.transform(X[:3])
        print(type(est).__name__, "ran:", np.shape(out), "same as before:",
              np.allclose(out, est.predict(X[:3]) if hasattr(est, "predict") else est.transform(X[:3])))
    except Exception as e:
        print(type(est).__name__, type(e).__name__, str(e)[:200])
