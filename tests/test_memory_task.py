"""Gated cells learn a long memory that the Elman cell cannot, with the same budget."""

import pytest

from sk_rnn import RNNRegressor
from sk_rnn.datasets import make_adding_problem

# One seeded budget for every cell: the whole epoch count is spent (no early stop).
BUDGET = dict(
    hidden_layer_sizes=(16,),
    learning_rate_init=0.03,
    batch_size=32,
    max_iter=40,
    n_iter_no_change=40,
    readout="last",  # the cell must carry the value to the end: memory is tested
    random_state=0,
)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_adding_problem_needs_a_gated_cell(cell):
    X, y = make_adding_problem(1500, 50, random_state=0)
    X_train, y_train, X_test, y_test = X[:1000], y[:1000], X[1000:], y[1000:]
    model = RNNRegressor(cell=cell, **BUDGET).fit(X_train, y_train)
    assert model.n_iter_ == BUDGET["max_iter"]
    score = model.score(X_test, y_test)
    if cell == "rnn":
        assert score < 0.5  # the Elman cell cannot carry the first value 25+ steps
    else:
        assert score > 0.95
