"""The documentation: its code blocks run alone, and its install page is true."""

import re
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
import tomllib
from sklearn.exceptions import ConvergenceWarning

ROOT = Path(__file__).resolve().parents[1]


def _extras():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["optional-dependencies"]


def test_install_page_lists_every_extra_with_what_it_installs():
    page = (ROOT / "docs" / "install.rst").read_text()
    rows = re.findall(r"\* - ``(\w+)``\n\s+- (.+?)\n\s+- ", page, flags=re.S)
    listed = {name: " ".join(packages.split()) for name, packages in rows}
    assert listed.keys() == _extras().keys()
    for name, requirements in _extras().items():
        for requirement in requirements:
            package = re.split(r"[\[<>=]", requirement)[0]
            short = {"dask": "dask"}.get(package, package)
            assert short.lower() in listed[name].lower(), (name, package)


def test_readme_names_every_extra_and_a_virtual_environment():
    readme = (ROOT / "README.md").read_text()
    assert "python3 -m venv" in readme
    for name in _extras():
        assert f"`{name}`" in readme, name


# ------------------------------------------------------------- code blocks
def _python_blocks(path):
    """The Python code blocks of a Markdown or reStructuredText file."""
    text = path.read_text()
    if path.suffix == ".md":
        return re.findall(r"```python\n(.*?)```", text, flags=re.S)
    blocks = re.findall(
        r"\.\. code-block:: python\n\n((?:(?:    .*)?\n)+)", text, flags=re.M
    )
    return [textwrap.dedent(block) for block in blocks]


DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.rst"))]
BLOCKS = [
    pytest.param(path, i, code, id=f"{path.name}-{i}")
    for path in DOCUMENTS
    for i, code in enumerate(_python_blocks(path))
]


def _test_accuracy_above(bound):
    def check(ns):
        assert ns["clf"].score(ns["X"][400:], ns["y"][400:]) > bound

    return check


# What each block's comments promise, checked on the names it defined.
CHECKS = {
    ("README.md", 0): lambda ns: (
        _test_accuracy_above(0.95)(ns),
        _equal(ns["clf"].predict_proba(ns["X"][:3]).shape, (3, 2)),
    ),
    ("README.md", 1): lambda ns: _above(ns["search"].best_score_, 0.99),
    ("README.md", 2): lambda ns: _equal(
        [p.shape for p in ns["seq2seq"].predict(ns["X_ragged"][:2])],
        [(len(x),) for x in ns["X_ragged"][:2]],
    ),
    ("user_guide.rst", 0): lambda ns: _below(
        abs(ns["proba"] - ns["clf"].predict_proba(ns["X"])).max(), 1e-5
    ),
    ("user_guide.rst", 1): lambda ns: _above(
        ns["bag"].score(ns["rows"], ns["y"]), 0.95
    ),
    ("user_guide.rst", 2): lambda ns: (
        _equal(ns["chain"].predict(ns["rows"]).shape, (200, 2)),
        _above(ns["chain"].score(ns["rows"], ns["Y"]), 0.95),
    ),
    ("user_guide.rst", 3): lambda ns: _equal(
        bool((ns["X_nested"] == ns["X"]).all()), True
    ),
    ("user_guide.rst", 4): lambda ns: _equal(
        int(ns["result"].importances_mean.argmax()), 2
    ),
    ("quickstart.rst", 2): lambda ns: _above(ns["clf"].best_validation_score_, 0.97),
    ("quickstart.rst", 3): lambda ns: _above(ns["search"].best_score_, 0.95),
    ("index.rst", 0): lambda ns: _above(
        ns["clf"].score(ns["X_test"], ns["y_test"]), 0.95
    ),
}


def _equal(a, b):
    assert a == b, (a, b)


def _above(a, bound):
    assert a > bound, (a, bound)


def _below(a, bound):
    assert a < bound, (a, bound)


def test_every_block_that_promises_a_value_is_checked():
    keys = {(path.name, i) for path, i, _ in (p.values for p in BLOCKS)}
    assert set(CHECKS) <= keys


@pytest.mark.parametrize("path, index, code", BLOCKS)
def test_code_block_runs_alone_without_warnings(path, index, code, monkeypatch):
    """Each block runs in a namespace of its own, as if pasted into a new session."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "__main__"}
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("error", RuntimeWarning)
        exec(compile(code, f"{path.name} block {index}", "exec"), namespace)
    CHECKS.get((path.name, index), lambda ns: None)(namespace)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
