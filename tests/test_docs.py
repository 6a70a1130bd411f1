"""What the documentation promises about installation holds for pyproject.toml."""

import re
import tomllib
from pathlib import Path

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
