"""Inference: onnxruntime running the exported model against ``predict``.

For every workload W1-W5 of ``run.py`` (its sequences, float32, and its hidden size)
and every cell, an RNNRegressor gets its weights from one short epoch on a slice of
the data, is exported with ``sk_rnn.onnx.to_onnx``, and predicts the whole data set
both ways, then a single sequence (the latency of a service answering one request);
the runs alternate, and each row gives the median times side by side and the largest
difference between the two predictions. Both run at their defaults (every core).

    python benchmarks/bench_onnx.py                       # everything, 7 rounds
    python benchmarks/bench_onnx.py --workloads W1 W2 --cells gru --repeats 3

Needs the onnx extra: ``pip install "sk-rnn[onnx]"``.
"""

import argparse
import time
import warnings

import numpy as np
import onnxruntime as ort
from run import WORKLOADS, workload_data
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import RNNRegressor
from sk_rnn.onnx import to_onnx


def elapsed(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def median_ms(reg, session, X, repeats):
    """Median milliseconds of ``predict`` and of onnxruntime on ``X``, alternated."""
    ours, theirs = [], []
    for _ in range(repeats + 1):  # the first round warms up
        ours.append(elapsed(reg.predict, X))
        theirs.append(elapsed(session.run, None, {"X": X}))
    return 1e3 * np.median(ours[1:]), 1e3 * np.median(theirs[1:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS))
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm", "gru"])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)
    print(f"onnxruntime {ort.__version__}; float32; medians of {args.repeats} runs")
    header = (
        f"{'workload':8} {'cell':5} {'shape':>16} {'predict ms':>11} "
        f"{'onnx ms':>9} {'ratio':>6} {'max diff':>9} {'1 seq: predict':>15} "
        f"{'onnx ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for name in args.workloads:
        n, t, f, hidden, batch = WORKLOADS[name]
        X, y = workload_data(name, np.float32)
        for cell in args.cells:
            reg = RNNRegressor(  # every step read, as the recorded figures were
                (hidden,), cell=cell, max_iter=1, batch_size=batch, patch_size=1
            )
            reg.fit(X[:batch], y[:batch])
            session = ort.InferenceSession(
                to_onnx(reg).SerializeToString(), providers=["CPUExecutionProvider"]
            )
            ours_ms, onnx_ms = median_ms(reg, session, X, args.repeats)
            # one sequence at a time, as a service answering requests predicts
            one_ms, one_onnx_ms = median_ms(reg, session, X[:1], 10 * args.repeats)
            diff = np.abs(session.run(None, {"X": X})[0][:, 0] - reg.predict(X)).max()
            print(
                f"{name:8} {cell:5} {f'({n}, {t}, {f})':>16} {ours_ms:11.1f} "
                f"{onnx_ms:9.1f} {onnx_ms / ours_ms:6.2f} {diff:9.1e} "
                f"{one_ms:15.2f} {one_onnx_ms:8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
