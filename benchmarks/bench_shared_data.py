"""What each worker process of a sharded fit holds of the training data (Linux).

A fit with ``n_jobs=3`` cuts each batch into three shards: one computed in this
process, two in worker processes. Each worker either receives its own copy of the
data or maps one shared file of it. While the fit runs, a thread reads every
worker's ``/proc/<pid>/status`` and keeps the largest ``RssAnon`` (memory of its
own) and ``RssFile`` (pages of mapped files, which workers mapping the same file
share). This checkout and another one run in turn, each in a fresh process:

    git worktree add /tmp/before HEAD~1
    python benchmarks/bench_shared_data.py --against /tmp/before --megabytes 256
"""

import os
import threading
import time
import warnings

import numpy as np
from _rounds import json_in, reply, round_parser

HERE = os.path.dirname(os.path.abspath(__file__))


def _children():
    """Pids of this process's child processes."""
    me, pids = os.getpid(), []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == me:
                        pids.append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    return pids


def _rss(pid):
    """``(RssAnon, RssFile)`` of ``pid`` in MiB, or zeros if it is gone."""
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value
    except OSError:
        return 0.0, 0.0
    kib = [int(fields.get(key, "0 kB").split()[0]) for key in ("RssAnon", "RssFile")]
    return kib[0] / 1024, kib[1] / 1024


def measure(megabytes):
    """The fit's seconds and the largest RssAnon and RssFile of any worker."""
    from sk_rnn import RNNRegressor

    warnings.simplefilter("ignore")
    n_steps, n_features = 100, 8
    n = int(megabytes * 2**20 / (n_steps * n_features * 8))
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n, n_steps, n_features))
    y = X[:, :, 0].sum(axis=1)
    peak = {"anon": 0.0, "file": 0.0}
    done = threading.Event()

    def watch():
        while not done.is_set():
            for pid in _children():
                anon, file = _rss(pid)
                peak["anon"] = max(peak["anon"], anon)
                peak["file"] = max(peak["file"], file)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    model = RNNRegressor(
        cell="gru",
        hidden_layer_sizes=(32,),
        batch_size=256,
        max_iter=1,
        n_jobs=3,
        random_state=0,
    )
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    return {"seconds": seconds, "data MiB": X.nbytes / 2**20, **peak}


def main():
    parser = round_parser(__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=256)
    args = parser.parse_args()
    if args.json:
        reply(measure(args.megabytes))
        return
    roots = {"this": os.path.dirname(HERE)}
    if args.against is not None:
        roots["against"] = args.against
    print("side      data MiB  fit s  worker RssAnon MiB  worker RssFile MiB")
    for side, root in roots.items():
        r = json_in(root, __file__, ["--megabytes", args.megabytes])
        print(
            f"{side:8} {r['data MiB']:9.0f} {r['seconds']:6.1f} "
            f"{r['anon']:19.0f} {r['file']:19.0f}"
        )


if __name__ == "__main__":
    main()
