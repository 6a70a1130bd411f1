"""Minibatches: every sample once per epoch; similar lengths batched together."""

import numpy as np

from sk_rnn._train import minibatches


def test_every_sample_once_in_order_or_shuffled():
    rng = np.random.RandomState(0)
    sizes = rng.randint(1, 100, size=103)
    for shuffle in (False, True):
        for given in (None, sizes):
            batches = minibatches(103, 10, shuffle, rng, given)
            seen = np.concatenate([np.arange(103)[b] for b in batches])
            np.testing.assert_array_equal(np.sort(seen), np.arange(103))
            assert [len(np.arange(103)[b]) for b in batches].count(10) == 10


def test_batches_group_similar_lengths_and_cost_less_padding():
    rng = np.random.RandomState(0)
    sizes = rng.randint(1, 200, size=2000)
    shuffled = minibatches(2000, 32, True, np.random.RandomState(1))
    bucketed = minibatches(2000, 32, True, np.random.RandomState(1), sizes)

    def padded_steps(batches):  # what the batches cost: each is cut to its longest
        return sum(sizes[b].max() * len(sizes[b]) for b in batches)

    assert padded_steps(bucketed) < 0.6 * padded_steps(shuffled)
    # The batch order is still random: lengths do not grow along the epoch.
    maxima = [sizes[b].max() for b in bucketed]
    assert not np.all(np.diff(maxima) >= 0)
