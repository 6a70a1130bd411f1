"""Progress output: lines per epoch, or a tqdm bar."""

import sys
import types

from _training import quiet_fit

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
        assert ", time = " in line


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
    quiet_fit(RNNRegressor((3,), max_iter=2, verbose=2), X, y)
    assert len(capsys.readouterr().out.splitlines()) == 2
