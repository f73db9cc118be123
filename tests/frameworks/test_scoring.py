"""The pure arithmetic of frameworks.scoring: gap, latest level, next target by date."""

from __future__ import annotations

import datetime as dt

import pytest

from frameworks import scoring
from frameworks.scoring import Dated

D = dt.date


class TestGap:
    @pytest.mark.parametrize(
        ("target", "latest", "expected"),
        [(3, 1, 2), (2, 2, 0), (2, 4, -2), (None, 2, None), (3, None, None)],
    )
    def test_gap_is_target_minus_latest(self, target, latest, expected):
        assert scoring.gap(target, latest) == expected

    def test_standing_uses_the_latest_assessment_and_the_next_target(self):
        scores = [Dated(D(2006, 4, 1), 1), Dated(D(2007, 1, 1), 3), Dated(D(2006, 9, 1), 2)]
        targets = [Dated(D(2006, 6, 30), 2), Dated(D(2008, 3, 31), 4)]
        standing = scoring.standing(scores, targets, on=D(2007, 2, 1))
        assert standing.latest == Dated(D(2007, 1, 1), 3)
        assert standing.target.level == 4
        assert standing.gap == 1
        assert standing.met is False
        assert standing.gap_words == "1 level to go"

    def test_words(self):
        assert scoring.gap_words(0) == "Target met"
        assert scoring.gap_words(-1) == "Target exceeded by 1"
        assert scoring.gap_words(2) == "2 levels to go"
        assert scoring.gap_words(None) == "No gap to show"

    def test_of_two_scores_on_one_day_the_later_given_counts(self):
        day = D(2006, 5, 1)
        assert scoring.latest([Dated(day, 1), Dated(day, 3)]).level == 3


class TestNextTarget:
    TARGETS = [Dated(D(2010, 3, 31), 2), Dated(D(2008, 3, 31), 1), Dated(D(2011, 3, 31), 3)]

    def test_the_first_target_on_or_after_the_date(self):
        assert scoring.next_target(self.TARGETS, on=D(2009, 1, 1)) == scoring.NextTarget(
            D(2010, 3, 31), 2, passed=False
        )
        assert scoring.next_target(self.TARGETS, on=D(2008, 3, 31)).level == 1
        assert scoring.next_target(self.TARGETS, on=D(2000, 1, 1)).level == 1

    def test_after_every_date_the_latest_target_marked_passed(self):
        found = scoring.next_target(self.TARGETS, on=D(2026, 1, 1))
        assert found == scoring.NextTarget(D(2011, 3, 31), 3, passed=True)

    def test_none_without_targets(self):
        assert scoring.next_target([], on=D(2026, 1, 1)) is None


class TestLevels:
    @pytest.mark.parametrize("level", [1, 2, 4, None])
    def test_within(self, level):
        assert scoring.level_problem(level, 4) is None

    @pytest.mark.parametrize("level", [0, 5, -1, 99])
    def test_outside_says_which_levels(self, level):
        assert scoring.level_problem(level, 4) == (
            "Enter a level from 1 to 4: this framework has 4 levels"
        )

    def test_seven_s(self):
        assert [name for name, _ in scoring.SEVEN_S] == [
            "Strategy",
            "Structure",
            "Systems",
            "Shared values",
            "Style",
            "Staff",
            "Skills",
        ]
