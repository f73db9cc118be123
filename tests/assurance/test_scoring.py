"""assurance.scoring: scores, bands (default and configured), appetite, trend, heat map."""

from __future__ import annotations

import pytest

from assurance import scoring
from assurance.scoring import Band, Bands, Trend


class TestScore:
    def test_is_likelihood_times_consequence(self):
        assert scoring.score(3, 4) == 12
        assert scoring.score(5, 5) == 25
        assert scoring.score(1, 1) == 1

    def test_unscored_when_either_is_missing(self):
        assert scoring.score(None, 4) is None
        assert scoring.score(3, None) is None

    @pytest.mark.parametrize("pair", [(0, 3), (6, 1), (3, -1), (2, 9), (True, 2)])
    def test_levels_outside_1_to_5_are_refused(self, pair):
        with pytest.raises(ValueError):
            scoring.score(*pair)

    def test_pair_problems_name_the_field(self):
        assert scoring.pair_problems("inherent", 6, 3) == {
            "likelihood": "Enter an inherent likelihood from 1 to 5"
        }
        assert set(scoring.pair_problems("target", 0, 9)) == {"likelihood", "consequence"}
        assert set(scoring.pair_problems("target", 3, None)) == {"consequence"}
        assert scoring.pair_problems("target", None, None) == {}
        assert scoring.pair_problems("target", 2, 2) == {}

    def test_target_above_inherent_is_a_problem(self):
        assert "cannot be higher" in scoring.score_problems(inherent=(2, 3), target=(3, 3))
        assert scoring.score_problems(inherent=(3, 3), target=(3, 3)) == ""
        assert scoring.score_problems(inherent=(None, None), target=(5, 5)) == ""


class TestDefaultBands:
    @pytest.mark.parametrize(
        ("score", "band"),
        [
            (1, Band.LOW),
            (3, Band.LOW),
            (4, Band.MODERATE),
            (6, Band.MODERATE),
            (8, Band.HIGH),
            (12, Band.HIGH),
            (15, Band.EXTREME),
            (25, Band.EXTREME),
        ],
    )
    def test_nhs_default(self, score, band):
        assert scoring.DEFAULT_BANDS.band(score) is band

    def test_every_product_on_the_matrix_has_a_band(self):
        for likelihood in scoring.LEVELS:
            for consequence in scoring.LEVELS:
                assert scoring.DEFAULT_BANDS.band(likelihood * consequence) in Band

    @pytest.mark.parametrize("score", [0, 26, -1])
    def test_off_the_matrix_is_refused(self, score):
        with pytest.raises(ValueError):
            scoring.DEFAULT_BANDS.band(score)


class TestConfiguredBands:
    def test_configured_bounds_move_the_bands(self):
        strict = Bands(low_max=2, moderate_max=4, high_max=9)
        assert strict.band(3) is Band.MODERATE
        assert strict.band(5) is Band.HIGH
        assert strict.band(10) is Band.EXTREME
        assert scoring.DEFAULT_BANDS.band(10) is Band.HIGH

    def test_ranges_cover_1_to_25_without_gaps(self):
        ranges = Bands(2, 5, 14).ranges()
        assert ranges[0][1] == 1 and ranges[-1][2] == 25
        for (_, _, high), (_, low, _) in zip(ranges, ranges[1:], strict=False):
            assert low == high + 1

    @pytest.mark.parametrize("bounds", [(0, 4, 8), (4, 4, 8), (3, 9, 8), (3, 6, 25)])
    def test_disordered_bounds_are_problems(self, bounds):
        assert Bands(*bounds).problems()

    def test_rating_words_use_the_configured_band(self):
        rating = scoring.Rating(2, 3, Bands(2, 5, 14))
        assert rating.score == 6 and rating.band is Band.HIGH
        assert rating.words.startswith("6 (high): likelihood 2 unlikely × consequence 3 moderate")


class TestAppetiteAndTrend:
    def test_within_appetite(self):
        assert scoring.within_appetite(8, 10) is True
        assert scoring.within_appetite(12, 10) is False
        assert scoring.within_appetite(None, 10) is None
        assert scoring.within_appetite(12, None) is None

    @pytest.mark.parametrize(
        ("scores", "expected"),
        [
            ([], Trend.NEW),
            ([12], Trend.NEW),
            ([16, 12], Trend.IMPROVING),
            ([8, 12], Trend.WORSENING),
            ([12, 12], Trend.STABLE),
            ([20, None, 15], Trend.IMPROVING),  # an unscored review is skipped
            ([9, 16, 12, 12], Trend.STABLE),  # the last two decide
        ],
    )
    def test_trend_compares_the_last_two_scores(self, scores, expected):
        assert scoring.trend(scores) is expected


class TestHeatMap:
    def test_counts_per_cell_and_unscored_apart(self):
        heat = scoring.heat_map([(3, 4), (3, 4), (5, 5), (None, None), (1, 2)])
        assert heat.total == 5 and heat.unscored == 1
        counts = {(c.likelihood, c.consequence): c.count for c in heat.cells}
        assert counts[(3, 4)] == 2 and counts[(5, 5)] == 1 and counts[(1, 2)] == 1
        assert sum(counts.values()) == 4
        assert [c.likelihood for c in heat.rows[0]] == [5] * 5  # likelihood 5 on top
        assert [c.consequence for c in heat.rows[0]] == [1, 2, 3, 4, 5]

    def test_occupied_cells_worst_first_with_words(self):
        heat = scoring.heat_map([(1, 2), (5, 5), (3, 4)])
        assert [c.score for c in heat.occupied] == [25, 12, 2]
        assert heat.occupied[0].words.startswith("1 risk at likelihood 5 (almost certain)")

    def test_cells_take_the_configured_band(self):
        heat = scoring.heat_map([(2, 2)], Bands(2, 3, 9))
        cell = next(c for c in heat.cells if (c.likelihood, c.consequence) == (2, 2))
        assert cell.band is Band.HIGH
