"""Reviewers' labels move a trained model's m as the M step of EM with those pairs' status known."""

from __future__ import annotations

import pytest

from homeward.linkage.core.engine import m_with_labels


def test_labels_of_borderline_pairs_move_m_only_by_their_own_share_of_the_expected_true_pairs():
    # 1,000 expected true pairs, 90% agree; 100 borderline pairs (p = 0.5) at the disagreeing level
    # all turn out true: m taken from those labels alone would put all of m on disagreement.
    after = m_with_labels([0.9, 0.1], [False, False], 1000.0, {1: 100 * (1.0 - 0.5)})
    assert after == pytest.approx([900 / 1050, 150 / 1050])


def test_a_pair_labelled_different_children_takes_its_posterior_out_of_its_level():
    after = m_with_labels([0.5, 0.5], [False, False], 100.0, {0: 0.0 - 0.8})
    assert after[0] == pytest.approx(49.2 / 99.2)
    assert sum(a for a in after if a is not None) == pytest.approx(1.0)


def test_fixed_levels_keep_their_m_and_untrained_levels_stay_untrained():
    after = m_with_labels([0.6, 0.3, 0.1, None], [False, False, True, False], 10.0, {1: 3.0, 3: 1.0})
    assert after[2] == 0.1 and after[3] is None
    assert after[0] + after[1] == pytest.approx(0.9)  # type: ignore[operator]
    assert after[1] == pytest.approx(0.9 * 6.0 / 12.0)


def test_no_expected_true_pairs_or_no_free_level_leaves_m_as_it_is():
    assert m_with_labels([0.7, 0.3], [False, False], 0.0, {0: 1.0}) == [0.7, 0.3]
    assert m_with_labels([0.7, 0.3], [True, True], 10.0, {0: 1.0}) == [0.7, 0.3]
