"""ShardWorkers.results() forgets its pending workers before reading them: an
interruption while reading worker 0 leaves worker 1's result in its pipe, and the
next batch's results() returns that stale result. (Latent: fit never reuses the
workers after an interruption.)"""
import signal, time, numpy as np
from sk_rnn._backend._parallel import shard_workers

def task(data, x, delay, workspace=None):
    time.sleep(delay)
    return x

if __name__ == "__main__":
    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    with shard_workers(2, task, None) as workers:
        workers.start([("old-0", 1.0), ("old-1", 0.0)])
        signal.setitimer(signal.ITIMER_REAL, 0.3)  # interrupts results() on worker 0
        try:
            workers.results()
        except KeyboardInterrupt:
            print("interrupted")
        time.sleep(1.0)
        workers.start([("new-0", 0.0), ("new-1", 0.0)])
        print("results of the new batch:", workers.results())
