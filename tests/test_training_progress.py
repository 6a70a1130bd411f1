"""Progress output: lines per epoch, or a tqdm bar."""

import sys
import types
import warnings

import pytest
from _training import quiet_fit
from sklearn.exceptions import ConvergenceWarning

from sk_rnn import RNNRegressor


# ------------------------------------------------------------------ progress
def test_verbose_prints_a_line_per_epoch(regression, capsys):
    X, y = regression
    quiet_fit(
        RNNRegressor((3,), max_iter=3, verbose=True), X, y, X_val=X[:9], y_val=y[:9]
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for k, line in enumerate(lines, start=1):
        assert line.startswith(f"Iteration {k}, loss = ")
        assert ", validation score = " in line and line.endswith("s")
        assert ", time = " in line and ", epoch time = " in line


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_epoch_times_follow_the_loss_curve(regression, solver):
    X, y = regression
    est = quiet_fit(RNNRegressor((3,), solver=solver, max_iter=3), X, y)
    assert len(est.epoch_times_) == len(est.loss_curve_) == est.n_iter_
    assert all(0 < t < 60 for t in est.epoch_times_)
    est.set_params(warm_start=True)
    quiet_fit(est, X, y)
    assert len(est.epoch_times_) == len(est.loss_curve_) == 2 * est.n_iter_


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_convergence_warning_points_at_the_callers_line(regression, solver):
    X, y = regression
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        RNNRegressor((3,), solver=solver, max_iter=2).fit(X, y)
    (warning,) = [w for w in caught if w.category is ConvergenceWarning]
    assert warning.filename == __file__


def test_verbose_lbfgs_prints_its_iterations(regression, capsys):
    X, y = regression
    quiet_fit(RNNRegressor((3,), solver="lbfgs", max_iter=4, verbose=1), X, y)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines] == [
        f"Iteration {k}" for k in range(1, 5)
    ]


def test_verbose_2_shows_a_tqdm_bar(regression, capsys, monkeypatch):
    bars = []

    class FakeBar:
        def __init__(self, total, **kwargs):
            self.total, self.updates, self.postfix, self.closed = total, 0, None, False
            bars.append(self)

        def update(self, n):
            self.updates += n

        def set_postfix(self, postfix, refresh=True):
            self.postfix = postfix

        def close(self):
            self.closed = True

    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = FakeBar
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    X, y = regression
    quiet_fit(RNNRegressor((3,), max_iter=4, verbose=2), X, y, X_val=X, y_val=y)
    assert capsys.readouterr().out == ""
    (bar,) = bars
    assert (bar.total, bar.updates, bar.closed) == (4, 4, True)
    assert set(bar.postfix) == {"loss", "val"}


def test_verbose_2_falls_back_to_lines_without_tqdm(regression, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # makes the import fail
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    X, y = regression
    with pytest.warns(UserWarning, match=r"tqdm.*not installed.*sk-rnn\[progress\]"):
        quiet_fit(RNNRegressor((3,), max_iter=2, verbose=2), X, y)
    assert len(capsys.readouterr().out.splitlines()) == 2
