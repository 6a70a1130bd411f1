"""Every public function and class has a numpydoc docstring with a doctest example.

The doctests themselves run with ``--doctest-modules``; this checks that they exist and
that the docstrings have the numpydoc sections the API reference is built from.
"""

import inspect
import re

import pytest

import sk_rnn
import sk_rnn.datasets
import sk_rnn.io
import sk_rnn.utils

PUBLIC = [
    (module.__name__, name, getattr(module, name))
    for module in (sk_rnn, sk_rnn.datasets, sk_rnn.io, sk_rnn.utils)
    for name in module.__all__
    if not name.startswith("__")
]


def _sections(doc):
    """Names of the numpydoc sections of a dedented docstring."""
    return re.findall(r"^(\w[\w ]*)\n-{3,}$", doc, re.M)


def _public_methods(cls):
    """Public methods of ``cls`` written in sk_rnn (not inherited from scikit-learn)."""
    for name, member in inspect.getmembers(cls):
        func = getattr(member, "__func__", member)
        if (
            not name.startswith("_")
            and callable(func)
            and getattr(func, "__module__", "").startswith("sk_rnn")
        ):
            yield name, member


@pytest.mark.parametrize(("module", "name", "obj"), PUBLIC, ids=lambda x: str(x))
def test_public_object_has_numpydoc_docstring_with_doctest(module, name, obj):
    doc = inspect.getdoc(obj)
    assert doc, f"{module}.{name} has no docstring"
    summary = doc.splitlines()[0]
    assert summary.endswith("."), f"{module}.{name}: one-line summary ends with '.'"
    sections = _sections(doc)
    params = [
        p
        for p in inspect.signature(obj).parameters
        if p not in ("self", "args", "kwargs")
    ]
    if params:
        assert "Parameters" in sections, f"{module}.{name} documents no parameters"
    returns_value = inspect.isclass(obj) or re.search(
        r"^\s+return\s+\S", inspect.getsource(obj), re.M
    )
    if returns_value:
        assert "Returns" in sections or "Attributes" in sections, (
            f"{module}.{name} documents neither Returns nor Attributes"
        )
    assert sections[-1] == "Examples", f"{module}.{name}: Examples come last"
    examples = doc.split("Examples\n--------", 1)[1]
    assert ">>> " in examples, f"{module}.{name} has no doctest example"
    # Every parameter of the signature is documented.
    for param in params:
        assert re.search(rf"^{param}\b.*:", doc, re.M) or re.search(
            rf"^[\w, ]*\b{param}\b[\w, ]* :", doc, re.M
        ), f"{module}.{name}: parameter {param!r} is not documented"


CLASSES = [(name, obj) for _, name, obj in PUBLIC if inspect.isclass(obj)]


@pytest.mark.parametrize(("name", "cls"), CLASSES, ids=lambda x: str(x))
def test_public_methods_have_numpydoc_docstrings(name, cls):
    methods = dict(_public_methods(cls))
    assert methods, f"{name} has no public methods of its own"
    for method_name, method in methods.items():
        doc = inspect.getdoc(method)
        assert doc, f"{name}.{method_name} has no docstring"
        sections = _sections(doc)
        params = [
            p for p in inspect.signature(method).parameters if p not in ("self", "cls")
        ]
        if params:
            assert "Parameters" in sections, f"{name}.{method_name}: no Parameters"
        assert "Returns" in sections, f"{name}.{method_name}: no Returns"
