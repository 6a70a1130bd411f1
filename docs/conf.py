"""Sphinx configuration: numpydoc docstrings, autosummary API pages, the gallery."""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

import sk_rnn  # noqa: E402

project = "sk-rnn"
author = "The sk-rnn developers"
copyright = "The sk-rnn developers"
release = version = sk_rnn.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
default_role = "literal"
nitpicky = False

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": "BaseEstimator"}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "pydata_sphinx_theme"
html_title = f"sk-rnn {release}"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
html_static_path = []


def _skip_metadata_routing(app, what, name, obj, skip, options):
    """Hide scikit-learn's metadata-routing methods from the API pages."""
    if name == "get_metadata_routing" or (
        name.startswith("set_") and name.endswith("_request")
    ):
        return True
    return skip


# A fitted attribute named in a shape, ``(n_features_in_,)``, would read as a link.
_SHAPE_ATTRIBUTE = re.compile(r"\((\w+_),\)")


def _quote_attributes_in_shapes(app, what, name, obj, options, lines):
    lines[:] = [_SHAPE_ATTRIBUTE.sub(r"(``\1``,)", line) for line in lines]


# scikit-learn's docstrings of the methods our estimators inherit (``score``,
# ``set_output``, ...) cite labels of scikit-learn's own documentation; without network
# access (no intersphinx) they render as plain text. References in our own docstrings
# must still resolve.
def _sklearn_label_as_text(app, env, node, contnode):
    if node.get("reftype") != "ref":
        return None
    source, parent = None, node
    while source is None and parent is not None:
        source, parent = parent.source, parent.parent
    if source and "docstring of sklearn." in source:
        return contnode
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_routing)
    # Before numpydoc (priority 500) parses the docstring.
    app.connect("autodoc-process-docstring", _quote_attributes_in_shapes, priority=400)
    app.connect("missing-reference", _sklearn_label_as_text)


sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "doc_module": ("sk_rnn",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"sk_rnn": None},
}
