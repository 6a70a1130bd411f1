"""The README's code runs as written and says what it shows."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_readme_quick_start_runs():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "the README has no Python code"
    namespace = {}
    exec(compile("\n".join(blocks), str(README), "exec"), namespace)
    assert namespace["clf"].n_features_in_ == 3
    assert namespace["search"].best_score_ > 0.99
    seq2seq, X_ragged = namespace["seq2seq"], namespace["X_ragged"]
    first, second = seq2seq.predict(X_ragged[:2])
    assert (len(first), len(second)) == (len(X_ragged[0]), len(X_ragged[1]))


def test_readme_opens_with_the_two_commands():
    first_block = README.read_text().split("```")[1]
    assert "pip install . && python -m sk_rnn" in first_block
    assert 'pip install ".[test]" && python -m pytest' in first_block
