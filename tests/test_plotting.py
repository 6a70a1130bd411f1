"""LossCurveDisplay draws exactly the fitted curves; matplotlib stays optional."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline

from sk_rnn import LossCurveDisplay, RNNClassifier, RNNRegressor, SequenceScaler

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _memory_data(n=80):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n, 6, 2))
    return X, (X[:, 0, 0] > 0).astype(int)


def test_from_estimator_with_validation_scores():
    X, y = _memory_data()
    clf = RNNClassifier(
        hidden_layer_sizes=(8,),
        max_iter=15,
        early_stopping=True,
        n_iter_no_change=100,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning):  # ConvergenceWarning: max_iter reached
        clf.fit(X, y)
    disp = LossCurveDisplay.from_estimator(clf)

    epochs = np.arange(1, 16)
    np.testing.assert_array_equal(disp.line_.get_xdata(), epochs)
    np.testing.assert_array_equal(disp.line_.get_ydata(), clf.loss_curve_)
    np.testing.assert_array_equal(disp.validation_line_.get_xdata(), epochs)
    np.testing.assert_array_equal(
        disp.validation_line_.get_ydata(), clf.validation_scores_
    )
    # The validation score lives on a twin axis sharing the epochs.
    assert disp.validation_ax_ is not disp.ax_
    assert disp.validation_line_ in disp.validation_ax_.get_lines()
    assert disp.line_ in disp.ax_.get_lines()
    assert disp.validation_ax_.get_shared_x_axes().joined(disp.ax_, disp.validation_ax_)
    assert disp.ax_.get_xlabel() == "Epoch"
    assert disp.ax_.get_ylabel() == "Training loss"
    assert disp.validation_ax_.get_ylabel() == "Validation accuracy"
    assert disp.ax_.get_title() == "RNNClassifier"
    assert disp.figure_ is disp.ax_.figure
    # early stopping kept the best epoch's weights: a line marks it
    best = 1 + int(np.argmax(clf.validation_scores_))
    np.testing.assert_array_equal(disp.best_epoch_line_.get_xdata(), [best, best])
    labels = [t.get_text() for t in disp.ax_.get_legend().get_texts()]
    assert labels == [
        "Training loss",
        "Validation accuracy",
        f"Best epoch ({best}), weights kept",
    ]


def test_validation_without_early_stopping_marks_no_best_epoch():
    X, y = _memory_data()
    reg = RNNRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, y.astype(float), X_val=X[:20], y_val=y[:20].astype(float))
    disp = LossCurveDisplay.from_estimator(reg)
    assert disp.validation_ax_.get_ylabel() == "Validation R²"
    assert disp.best_epoch is None and disp.best_epoch_line_ is None


def test_from_estimator_without_validation_on_given_axes():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 5))
    reg = RNNRegressor(hidden_layer_sizes=(4,), max_iter=30, random_state=0)
    with pytest.warns(ConvergenceWarning):
        reg.fit(X, X.sum(axis=1))
    assert reg.validation_scores_ is None
    fig, ax = plt.subplots()
    disp = LossCurveDisplay.from_estimator(
        reg, ax=ax, name="sum", loss_kw={"color": "red", "linestyle": "--"}
    )
    assert disp.ax_ is ax and disp.figure_ is fig
    assert disp.validation_line_ is None and disp.validation_ax_ is None
    assert len(fig.axes) == 1  # no twin axis drawn
    np.testing.assert_array_equal(disp.line_.get_ydata(), reg.loss_curve_)
    assert disp.line_.get_color() == "red" and disp.line_.get_linestyle() == "--"
    assert ax.get_title() == "sum"
    # a pipeline's curve is that of its last step
    pipe = make_pipeline(SequenceScaler(), reg).fit(X, X.sum(axis=1))
    disp = LossCurveDisplay.from_estimator(pipe)
    np.testing.assert_array_equal(disp.line_.get_ydata(), pipe[-1].loss_curve_)
    assert disp.ax_.get_title() == "RNNRegressor"


def test_from_estimator_works_for_mlp():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    mlp = MLPRegressor(
        hidden_layer_sizes=(5,), max_iter=30, early_stopping=True, random_state=0
    )
    with pytest.warns(ConvergenceWarning):
        mlp.fit(X, X[:, 0])
    disp = LossCurveDisplay.from_estimator(mlp)
    assert disp.validation_ax_.get_ylabel() == "Validation R²"
    assert disp.best_epoch == 1 + int(np.argmax(mlp.validation_scores_))
    np.testing.assert_array_equal(disp.line_.get_ydata(), mlp.loss_curve_)
    np.testing.assert_array_equal(
        disp.validation_line_.get_ydata(), mlp.validation_scores_
    )


def test_plot_from_stored_curves():
    disp = LossCurveDisplay(
        loss_curve=[3.0, 2.0, 1.5], validation_scores=[0.1, 0.5, 0.7], name="given"
    )
    assert not hasattr(disp, "line_")  # nothing is drawn before plot()
    out = disp.plot(validation_kw={"marker": "o"}, name="other")
    assert out is disp
    np.testing.assert_array_equal(disp.line_.get_xydata(), [[1, 3], [2, 2], [3, 1.5]])
    np.testing.assert_array_equal(disp.validation_line_.get_ydata(), [0.1, 0.5, 0.7])
    assert disp.validation_line_.get_marker() == "o"
    assert disp.ax_.get_title() == "other"


def test_errors():
    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(RNNClassifier())
    with pytest.raises(ValueError, match="loss_curve must be a non-empty 1-D"):
        LossCurveDisplay(loss_curve=[]).plot()
    with pytest.raises(ValueError, match="validation_scores must be a 1-D"):
        LossCurveDisplay(loss_curve=[1.0], validation_scores=[[1.0]]).plot()

    linear = LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0])
    with pytest.raises(ValueError, match="LinearRegression has no loss_curve_"):
        LossCurveDisplay.from_estimator(linear)


def test_missing_matplotlib_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="LossCurveDisplay.plot requires matplotlib"):
        LossCurveDisplay(loss_curve=[1.0]).plot()


def test_matplotlib_is_imported_lazily():
    code = "import sys, sk_rnn; assert 'matplotlib' not in sys.modules, 'imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
