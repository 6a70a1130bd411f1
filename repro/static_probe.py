import pickle, warnings, numpy as np, traceback
from sk_rnn import RNNRegressor, RNNClassifier, SequenceScaler
warnings.simplefilter("ignore")
rng = np.random.RandomState(0)
n, T, k, s = 60, 5, 3, 2
X3 = rng.normal(size=(n, T, k)); st = rng.normal(size=(n, s))
rows = np.hstack([X3.reshape(n, -1), st]); y = X3[:, 0, 0] + st[:, 0]
def tryit(label, f):
    try:
        r = f(); print(f"OK   {label}: {r}")
    except Exception as e:
        print(f"ERR  {label}: {type(e).__name__}: {str(e)[:300]}")
m = RNNRegressor((8,), n_features_per_step=k, n_timesteps=T, max_iter=3, random_state=0).fit(rows, y)
print("fitted:", m.n_features_in_, m._n_input_features, m._n_timesteps)
tryit("predict rows", lambda: m.predict(rows[:3]))
tryit("predict 3-D repeated", lambda: m.predict(np.concatenate([X3, np.repeat(st[:, None], T, 1)], 2)[:3]))
tryit("score", lambda: m.score(rows, y))
tryit("hidden_states", lambda: m.hidden_states(rows[:2]).shape if hasattr(m, "hidden_states") else "n/a")
tryit("partial_fit rows", lambda: m.partial_fit(rows, y).n_iter_)
tryit("predict fewer columns", lambda: m.predict(rows[:, :-1]))
tryit("fit too few columns", lambda: RNNRegressor((8,), n_features_per_step=k, n_timesteps=T).fit(rows[:, :T*k-1], y))
tryit("fit 3-D other T", lambda: RNNRegressor((8,), n_timesteps=T).fit(X3[:, :4], y))
tryit("fit rows exactly T*k (no static)", lambda: RNNRegressor((8,), n_features_per_step=k, n_timesteps=T, max_iter=2).fit(rows[:, :T*k], y)._n_timesteps)
bad = rows.copy(); bad[3, -1] = np.nan
tryit("fit NaN static", lambda: RNNRegressor((8,), n_features_per_step=k, n_timesteps=T, max_iter=2).fit(bad, y))
pad = rows.copy(); pad[4, (T-2)*k:T*k] = np.nan
tryit("fit NaN padded sequence + static", lambda: RNNRegressor((8,), n_features_per_step=k, n_timesteps=T, max_iter=2).fit(pad, y).predict(pad[3:6]))
inner = rows.copy(); inner[4, 0:k] = np.nan
tryit("fit NaN first step", lambda: RNNRegressor((8,), n_features_per_step=k, n_timesteps=T, max_iter=2).fit(inner, y))
# set_params after fit
m2 = pickle.loads(pickle.dumps(m))
m2.set_params(n_timesteps=4)
tryit("set_params(n_timesteps=4) then predict uses fitted", lambda: np.allclose(m2.predict(rows), m.predict(rows)))
tryit("...then warm_start fit (silently keeps old layout?)", lambda: m2.set_params(warm_start=True).fit(rows, y)._n_timesteps)
m3 = pickle.loads(pickle.dumps(m)); m3.set_params(n_features_per_step=1)
tryit("set_params(n_features_per_step=1), warm_start fit", lambda: m3.set_params(warm_start=True).fit(rows, y)._n_features_per_step)
# pickle round trip
tryit("pickle equal", lambda: np.array_equal(pickle.loads(pickle.dumps(m)).predict(rows), m.predict(rows)))
# scaler
sc = SequenceScaler(n_features_per_step=k, n_timesteps=T).fit(rows)
Z = sc.transform(rows)
tryit("scaler shapes / static mean", lambda: (Z.shape, np.allclose(Z[:, -s:].mean(0), 0), np.allclose(Z[:, -s:].std(0), 1)))
tryit("scaler inverse", lambda: np.allclose(sc.inverse_transform(Z), rows))
tryit("scaler padded", lambda: np.isnan(sc.transform(pad)).sum())
# X_val
tryit("X_val rows", lambda: RNNRegressor((8,), n_features_per_step=k, n_timesteps=T, max_iter=2, early_stopping=True).fit(rows, y, X_val=rows[:10], y_val=y[:10]).n_iter_)
tryit("X_val 3-D repeated", lambda: RNNRegressor((8,), n_features_per_step=k, n_timesteps=T, max_iter=2, early_stopping=True).fit(rows, y, X_val=np.concatenate([X3, np.repeat(st[:, None], T, 1)], 2)[:10], y_val=y[:10]).n_iter_)
# classifier output_sequence
tryit("output_sequence rows", lambda: RNNRegressor((8,), n_features_per_step=k, n_timesteps=T, output_sequence=True, max_iter=2).fit(rows, X3[:, :, 0]).predict(rows[:2]).shape)
tryit("forecast refused", lambda: m.forecast(rows[:2], 2))
