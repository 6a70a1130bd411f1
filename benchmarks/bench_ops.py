"""Per-element cost of the NumPy calls the kernels are built from.

Prints nanoseconds per float32 element (best of several repeats, one thread) of
the transcendental functions the gates need and of the arithmetic around them, on
arrays of one step's gates; then what a gate slice costs when it is strided, as in
a ``(batch, 4 * hidden)`` row layout, against contiguous, as in the batch-last
layout the cells use; and the input projection of a single input feature as a matrix
product and as a broadcast.

    python benchmarks/bench_ops.py [--batch 128] [--hidden 100]
"""

import argparse
import timeit

import numpy as np
from scipy.special import expit
from threadpoolctl import threadpool_limits


def per_element(function, size, number=500):
    """Best-of-5 nanoseconds per element of ``function()``."""
    return min(timeit.repeat(function, number=number, repeat=5)) / number / size * 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--hidden", type=int, default=100)
    args = parser.parse_args()
    batch, hidden = args.batch, args.hidden
    rng = np.random.RandomState(0)
    a = rng.normal(size=(4 * hidden, batch)).astype(np.float32)
    b = np.abs(a) + 1.0
    out = np.empty_like(a)
    calls = {
        "np.tanh": lambda: np.tanh(a, out=out),
        "scipy expit": lambda: expit(a, out=out),
        "np.exp": lambda: np.exp(a, out=out),
        "np.reciprocal": lambda: np.reciprocal(b, out=out),
        "np.divide 1/x": lambda: np.divide(1.0, b, out=out),
        "np.add": lambda: np.add(a, b, out=out),
        "np.multiply": lambda: np.multiply(a, b, out=out),
    }
    print(f"float32, one step's gates ({4 * hidden}, {batch}), ns per element")
    with threadpool_limits(1):
        for name, function in calls.items():
            print(f"  {name:14} {per_element(function, a.size):5.2f}")
        rows = rng.normal(size=(batch, 4 * hidden)).astype(np.float32)
        gate, other = rows[:, hidden : 2 * hidden], rows[:, 3 * hidden :]
        cols = np.ascontiguousarray(rows.T)
        gate_c, other_c = cols[hidden : 2 * hidden], cols[3 * hidden :]
        small = np.empty((batch, hidden), dtype=np.float32)
        size = batch * hidden
        strided = per_element(lambda: np.multiply(gate, other, out=small), size)
        small_c = np.empty((hidden, batch), dtype=np.float32)
        contiguous = per_element(
            lambda: np.multiply(gate_c, other_c, out=small_c), size
        )
        print(f"product of two gate slices ({hidden} units), ns per element")
        print(f"  rows (batch, 4*hidden), strided  {strided:5.2f}")
        print(f"  batch-last, contiguous           {contiguous:5.2f}")
        # The input projection of all steps with a single input feature.
        weight = rng.normal(size=(4 * hidden, 1)).astype(np.float32)
        x = rng.normal(size=(1, 50 * batch)).astype(np.float32)
        projection = np.empty((4 * hidden, 50 * batch), dtype=np.float32)
        size = projection.size
        product = per_element(lambda: np.matmul(weight, x, out=projection), size, 20)
        broadcast = per_element(
            lambda: np.multiply(weight, x, out=projection), size, 20
        )
        print("W_ih x_t for 50 steps and one input, ns per output")
        print(f"  matrix product (inner dimension 1) {product:5.2f}")
        print(f"  broadcast multiply                 {broadcast:5.2f}")


if __name__ == "__main__":
    main()
