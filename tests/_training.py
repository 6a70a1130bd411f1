"""What the training tests share: data, weights and a fit without warnings."""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning


def weights(est):
    return {
        **est.recurrent_weights_,
        "output_weight": est.output_weight_,
        "output_bias": est.output_bias_,
    }


def assert_same_weights(a, b, rtol=0.0):
    wa, wb = weights(a), weights(b)
    assert wa.keys() == wb.keys()
    for name in wa:
        np.testing.assert_allclose(wa[name], wb[name], rtol=rtol, atol=0, err_msg=name)


def quiet_fit(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


def classification():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 5, 2))
    y = np.where(X[:, :, 0].sum(axis=1) > 0, "up", "down")
    return X, y


def regression():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 5, 2))
    y = X[:, :, 0].sum(axis=1) + 0.5 * X[:, -1, 1]
    return X, y
