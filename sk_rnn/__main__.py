"""Main demo: ``python -m sk_rnn`` classifies handwritten digits read row by row.

scikit-learn's bundled 8x8 digits are read as sequences of 8 rows of 8 pixels by
:func:`sk_rnn.datasets.load_sequential_digits` (the offline stand-in for sequential
MNIST); an RNNClassifier with its default parameters, behind a SequenceScaler,
learns all ten digits in a few seconds.
"""

import time

from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from sk_rnn import RNNClassifier, SequenceScaler
from sk_rnn.datasets import load_sequential_digits


def main():
    """Train on three quarters of the digits and print the test accuracy."""
    # (n_samples, 8 timesteps = rows, 8 features = pixels), scaled to [0, 1]
    X, y = load_sequential_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y
    )
    clf = make_pipeline(SequenceScaler(), RNNClassifier(random_state=0))
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    elapsed = time.perf_counter() - start
    print(
        f"RNNClassifier on sequential digits ({X.shape[1]} steps of "
        f"{X.shape[2]} pixels), default parameters: trained "
        f"{clf[-1].n_iter_} epochs in {elapsed:.1f} s"
    )
    print(f"test accuracy: {clf.score(X_test, y_test):.3f}")


if __name__ == "__main__":
    main()
