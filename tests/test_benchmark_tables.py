"""The accuracy table of the docs is what the benchmark recorded.

``docs/good_results.rst`` quotes, for each data set, the mean and worst seed of the
0.1.0 and 0.2.0 defaults and of the PyTorch recipe; the records are the JSON files of
``benchmarks/accuracy/`` (made by its ``run.py``, which needs the benchmark-only
packages). This reads both and checks every quoted score against the records.
"""

import json
import re
import statistics
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RECORDS = [
    record
    for path in sorted((ROOT / "benchmarks" / "accuracy").glob("results_*.json"))
    for record in json.loads(path.read_text())
]
# columns of the table after "to beat": (model, label) of the records
COLUMNS = [("rnn", "default"), ("gru", "defaults 0.2.0"), ("torch-gru", "default")]


def _rows():
    text = (ROOT / "docs" / "good_results.rst").read_text()
    table = text[text.index(".. list-table::", text.index("The benchmark")) :]
    rows = re.findall(r"   \* - (\w+) \(.*?\)\n((?:     - .*\n)+)", table)
    return [(name, re.findall(r"     - (.*)", cells)) for name, cells in rows]


ROWS = _rows()


def test_the_table_has_a_row_per_data_set():
    assert len(ROWS) >= 10


@pytest.mark.parametrize("name, cells", ROWS, ids=[name for name, _ in ROWS])
def test_each_quoted_score_is_the_records_mean_and_worst(name, cells):
    percent = any(
        r["kind"] == "classification" for r in RECORDS if r["dataset"] == name
    )
    scale, digits = (100, 1) if percent else (1, 2)
    for (model, label), quoted in zip(COLUMNS, cells[1:4]):
        scores = [
            r["score"] * scale
            for r in RECORDS
            if (r["dataset"], r["model"], r["label"]) == (name, model, label)
        ]
        if quoted == "n/a":
            assert not scores
            continue
        mean, worst = (float(x) for x in re.findall(r"-?\d+\.\d+", quoted))
        assert round(statistics.mean(scores), digits) == pytest.approx(mean), model
        assert round(min(scores), digits) == pytest.approx(worst), model
