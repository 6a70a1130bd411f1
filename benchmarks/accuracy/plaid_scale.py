"""What predicts PLAID's class: the scale and length of a series, or its shape.

Prints, per class, the lengths and levels of the training series; the test accuracy
of 1-NN, logistic regression and a random forest on a few per-series numbers
(length, log10 of max |x|, of the std, of |mean|); and 1-NN on the resampled
series, raw, z-normalised per series, and zero-padded.

    python benchmarks/accuracy/plaid_scale.py
"""

import os
import sys

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from datasets import DATASETS  # noqa: E402


def numbers(X):
    return np.array(
        [
            [
                len(x),
                np.log10(np.abs(x).max() + 1e-6),
                np.log10(x.std() + 1e-6),
                np.log10(np.abs(x.mean()) + 1e-6),
            ]
            for x in X
        ]
    )


def resample(X, length):
    grid = np.linspace(0, 1, length)
    return np.array([np.interp(grid, np.linspace(0, 1, len(x)), x[:, 0]) for x in X])


def pad(X, length):
    out = np.zeros((len(X), length))
    for i, x in enumerate(X):
        n = min(length, len(x))
        out[i, :n] = x[:n, 0]
    return out


def main():
    X_train, y_train, X_test, y_test, _ = DATASETS["PLAID"]()
    lengths = np.array([len(x) for x in X_train])
    values = np.concatenate([x[:, 0] for x in X_train])
    print(f"all values: mean {values.mean():.2f}, std {values.std():.2f}")
    F_train, F_test = numbers(X_train), numbers(X_test)
    for c in np.unique(y_train):
        m = y_train == c
        amp = 10 ** F_train[m, 1]
        print(
            f"class {c:>2}: {m.sum():3d} train, length {np.median(lengths[m]):5.0f} "
            f"({lengths[m].min()}-{lengths[m].max()}), max |x| median "
            f"{np.median(amp):8.3f} ({amp.min():.3f}-{amp.max():.1f})"
        )
    models = {
        "1nn": KNeighborsClassifier(1),
        "logistic": LogisticRegression(max_iter=5000),
        "forest": RandomForestClassifier(300, random_state=0),
    }
    groups = {
        "length": [0],
        "log max|x|": [1],
        "log std": [2],
        "length, log max|x|, log std": [0, 1, 2],
        "the four": [0, 1, 2, 3],
    }
    for name, cols in groups.items():
        for model_name, model in models.items():
            pipe = make_pipeline(StandardScaler(), model).fit(F_train[:, cols], y_train)
            accuracy = 100 * pipe.score(F_test[:, cols], y_test)
            print(f"{name:28s} {model_name:9s} {accuracy:5.1f}")

    def nn(A, B):
        return 100 * KNeighborsClassifier(1).fit(A, y_train).score(B, y_test)

    length = int(np.median(lengths))
    R_train, R_test = resample(X_train, length), resample(X_test, length)

    def z(R):
        return (R - R.mean(1, keepdims=True)) / (R.std(1, keepdims=True) + 1e-8)

    print(f"1-NN resampled to {length}: {nn(R_train, R_test):.1f}")
    print(f"1-NN resampled, z-normalised per series: {nn(z(R_train), z(R_test)):.1f}")
    print(f"1-NN zero-padded to {lengths.max()}: ", end="")
    print(f"{nn(pad(X_train, lengths.max()), pad(X_test, lengths.max())):.1f}")


if __name__ == "__main__":
    main()
