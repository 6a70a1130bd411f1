"""The README opens with its two commands (its code blocks: tests/test_docs.py)."""

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_opens_with_the_two_commands():
    first_block = README.read_text().split("```")[1]
    assert "pip install . && python -m sk_rnn" in first_block
    assert 'pip install ".[test]" && python -m pytest' in first_block
