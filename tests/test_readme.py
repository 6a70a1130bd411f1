"""The README opens with its two commands (its code blocks: tests/test_docs.py)."""

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_opens_with_the_two_commands():
    first_block = README.read_text().split("```")[1]
    assert "pip install . && python -m sk_rnn" in first_block
    assert 'pip install ".[test]" && python -m pytest' in first_block


def test_the_demo_prints_what_the_readme_quotes():
    """``python -m sk_rnn`` prints the README's demo block, epochs and score."""
    import re
    import subprocess
    import sys

    text = README.read_text()
    quoted = re.search(r"The demo prints[^\n]*\n\n```\n(.*?)```", text, flags=re.S)[1]
    printed = subprocess.run(
        [sys.executable, "-m", "sk_rnn"], capture_output=True, text=True, check=True
    ).stdout
    # the same lines but for the seconds, which depend on the machine
    seconds = r"in \d+\.\d s"
    assert re.sub(seconds, "", printed) == re.sub(seconds, "", quoted)
