"""File descriptors, threads and /dev/shm entries over many n_jobs=2 fits, some failing."""
import os, threading, numpy as np, warnings, glob
from sk_rnn import RNNRegressor
from sk_rnn._backend import _objective
warnings.simplefilter("ignore")
X = np.random.RandomState(0).normal(size=(200, 12, 2)); y = X[:, :, 0].sum(1)
def fds(): return len(os.listdir("/proc/self/fd"))
def shm(): return sorted(glob.glob(f"/dev/shm/*{os.getpid()}*"))
m = RNNRegressor((96,), batch_size=200, max_iter=2, n_jobs=2)
m.fit(X, y)
base = fds(), threading.active_count(), len(shm())
print("after 1st fit: fds, threads, shm =", base)
orig = _objective.shard_loss_sum
calls = [0]
def flaky(data, flat, indices, workspace=None):
    calls[0] += 1
    if calls[0] % 3 == 0:
        raise MemoryError("local shard")
    return orig(data, flat, indices, workspace)
for i in range(20):
    _objective.shard_loss_sum = flaky if i % 2 else orig
    try:
        m.fit(X, y)
    except MemoryError:
        pass
_objective.shard_loss_sum = orig
print("after 20 fits: fds, threads, shm =", (fds(), threading.active_count(), len(shm())))
