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
ACCURACY = ROOT / "benchmarks" / "accuracy"
RECORDS = {
    path.name: json.loads(path.read_text())
    for path in sorted(ACCURACY.glob("results_*.json"))
}
# columns of the table after "to beat": (model, label, file of the records or None
# for any); the shipped defaults are those of results_after.json, the run of the
# package as released (other files hold candidates under the same label).
COLUMNS = [
    ("rnn", "default", None),
    ("gru", "defaults 0.2.0", "results_after.json"),
    ("torch-gru", "default", None),
]


def _records(file=None):
    files = RECORDS if file is None else {file: RECORDS[file]}
    return [record for records in files.values() for record in records]


def _rows():
    text = (ROOT / "docs" / "good_results.rst").read_text()
    start = text.index(".. list-table::", text.index("The benchmark"))
    table = text[start : re.compile(r"\n\n(?=\S)").search(text, start).start()]
    rows = re.findall(r"   \* - (\w+) \((.*?)\)\n((?:     - .*\n)+)", table)
    return [
        (name, _max_train(about), re.findall(r"     - (.*)", cells))
        for name, about, cells in rows
    ]


def _max_train(about):
    """The training subsample a row names ("100 training sequences"), or None."""
    found = re.search(r"(\d+) training sequences", about)
    return int(found.group(1)) if found else None


ROWS = _rows()


def test_the_table_has_a_row_per_data_set():
    assert len(ROWS) >= 10


@pytest.mark.parametrize("name, max_train, cells", ROWS, ids=[r[0] for r in ROWS])
def test_each_quoted_score_is_the_records_mean_and_worst(name, max_train, cells):
    percent = any(
        r["kind"] == "classification" for r in _records() if r["dataset"] == name
    )
    scale, digits = (100, 1) if percent else (1, 2)
    for (model, label, file), quoted in zip(COLUMNS, cells[1:4]):
        scores = [
            r["score"] * scale
            for r in _records(file)
            if (r["dataset"], r["model"], r["label"]) == (name, model, label)
            and r.get("max_train") == max_train
        ]
        if quoted == "n/a":
            assert not scores
            continue
        mean, worst = (float(x) for x in re.findall(r"-?\d+\.\d+", quoted))
        assert round(statistics.mean(scores), digits) == pytest.approx(mean), model
        assert round(min(scores), digits) == pytest.approx(worst), model
