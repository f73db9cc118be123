"""Tests for the Making Data Count SPC engine (kpis.spc).

Expected numbers are worked by hand in the comments.  Constants: limits are
mean +/- 2.66 * amr, two-sigma lines are mean +/- 1.773333 * amr (2 * 2.66 / 3), and
moving ranges (MR) not strictly below 3.267 * amr are screened out by default.
Where a case comes from the NHSRplotthedots 0.2.2 test suite its test name is cited.
"""

from decimal import Decimal

import pytest

from kpis import spc
from kpis.spc import analyse

approx = pytest.approx


def specials(result):
    """{index: special_cause_type} for every flagged point."""
    return {p.index: p.special_cause_type for p in result.points if p.special_cause}


def point_types(result):
    return {p.index: p.point_type for p in result.points if p.special_cause}


# set.seed(123); rnorm(20) -- the data used by NHSRplotthedots' test-ptd_spc_standard.R
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip

# The example from the package's "Deviations from excel defaults" vignette.
# Sum = 1+2+1+2+10 + (7 ones + 6 twos) = 16 + 19 = 35, mean = 35/18 = 1.944444.
# MRs: 1, 1, 1, 8, 9 and then twelve 1s -> 17 MRs summing 32, amr = 1.882353.
VIGNETTE = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


class TestLimits:
    def test_vignette_screened_limits(self):
        # Screening threshold 3.267 * 1.882353 = 6.1497 drops the MRs 8 and 9, leaving
        # fifteen 1s: amr = 1.  Limits 1.944444 +/- 2.66 = -0.715556 .. 4.604444.
        r = analyse(VIGNETTE)
        g = r.groups[0]
        assert g.mean == approx(1.944444, abs=1e-6)
        assert g.mean_moving_range == approx(1.0)
        assert g.lower_limit == approx(-0.715556, abs=1e-6)
        assert g.upper_limit == approx(4.604444, abs=1e-6)
        assert g.lower_two_sigma == approx(0.171111, abs=1e-6)
        assert g.upper_two_sigma == approx(3.717778, abs=1e-6)
        for p in r.points:
            assert (p.mean, p.lower_limit, p.upper_limit) == (g.mean, g.lower_limit, g.upper_limit)

    def test_vignette_unscreened_limits_match_excel_method(self):
        # No screening: amr = 32/17 = 1.882353; 2.66 * amr = 5.007059.
        # Limits 1.944444 -/+ 5.007059 = -3.062614 .. 6.951503.
        r = analyse(VIGNETTE, screen_outliers=False)
        assert r.groups[0].mean_moving_range == approx(1.882353, abs=1e-6)
        assert r.last.lower_limit == approx(-3.062614, abs=1e-6)
        assert r.last.upper_limit == approx(6.951503, abs=1e-6)

    def test_r_snapshot_basic(self):
        # test-ptd_spc_standard.R "it returns expected values" (r1, snapshot):
        # mean 0.1416238, lpl -3.01138, upl 3.294627.
        r = analyse(RNORM_123)
        assert r.last.mean == approx(0.1416238, abs=1e-7)
        assert r.last.lower_limit == approx(-3.01138, abs=1e-5)
        assert r.last.upper_limit == approx(3.294627, abs=1e-6)
        # snapshot relative_to_mean (first 15 shown by glimpse)
        assert [p.relative_to_mean for p in r.points[:15]] == [
            -1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1,
        ]  # fmt: skip
        # the snapshot shows the first 8 close_to_limits as FALSE; amr = 1.185340, so the
        # lower two-sigma line is 0.1416238 - 1.773333 * 1.185340 = -1.960378 and only
        # y[18] = -1.96661716 (index 17) lies beyond it: a lone point, so no special cause.
        assert r.groups[0].mean_moving_range == approx(1.185340, abs=1e-6)
        assert [p.index for p in r.points if p.close_to_limits] == [17]
        assert not any(p.outside_limits for p in r.points)
        assert specials(r) == {}

    def test_r_snapshot_outlier_screened(self):
        # Same test, r2: y[15] <- 10 (0-based index 14), screen_outliers = TRUE.
        # Mean = 0.1416238 + (10 + 0.55584113) / 20 = 0.6694159.
        y = list(RNORM_123)
        y[14] = 10
        r = analyse(y)
        assert r.last.mean == approx(0.6694159, abs=1e-7)
        assert r.last.lower_limit == approx(-2.383666, abs=1e-6)
        assert r.last.upper_limit == approx(3.722497, abs=1e-6)
        assert [p.relative_to_mean for p in r.points[:14]] == [
            -1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1,
        ]  # fmt: skip

    def test_r_snapshot_outlier_unscreened(self):
        # Same test, r3: screen_outliers = FALSE gives the wider limits.
        y = list(RNORM_123)
        y[14] = 10
        r = analyse(y, screen_outliers=False)
        assert r.last.lower_limit == approx(-4.596625, abs=1e-6)
        assert r.last.upper_limit == approx(5.935457, abs=1e-6)

    def test_moving_ranges_and_relative_to_mean(self):
        # [3, 5, 4]: mean 4, MRs None, 2, 1.
        r = analyse([3, 5, 4])
        assert [p.moving_range for p in r.points] == [None, 2.0, 1.0]
        assert [p.relative_to_mean for p in r.points] == [-1, 1, 0]
        assert [p.index for p in r.points] == [0, 1, 2]

    def test_values_are_returned_as_floats(self):
        r = analyse([Decimal("1.5"), 2, 2.5])
        assert [p.value for p in r.points] == [1.5, 2.0, 2.5]
        assert all(isinstance(p.value, float) for p in r.points)
        assert r.last.mean == 2.0


# Twelve points alternating 1/3 then an outlier of 12.
# Sum 24 + 12 = 36, mean = 36/13 = 2.769231.  MRs: eleven 2s and 9 -> amr 31/12 = 2.583;
# threshold 8.44 drops the 9, amr = 2.  Limits 2.769231 +/- 5.32 = -2.550769 .. 8.089231;
# 12 is above; 3 is below the upper two-sigma line 6.315897, so nothing else fires.
HIGH_LAST = [1, 3] * 6 + [12]
# Mirror image (6 - x): mean 3.230769, amr 2, limits -2.089231 .. 8.550769; -6 is below.
LOW_LAST = [6 - v for v in HIGH_LAST]


class TestOutsideLimits:
    def test_point_above_upper_limit(self):
        r = analyse(HIGH_LAST)
        assert r.groups[0].mean_moving_range == approx(2.0)
        assert r.last.upper_limit == approx(8.089231, abs=1e-6)
        assert r.last.lower_limit == approx(-2.550769, abs=1e-6)
        assert specials(r) == {12: "above_upper_limit"}
        assert r.last.outside_limits is True
        assert r.last.special_cause is True

    def test_point_below_lower_limit(self):
        r = analyse(LOW_LAST)
        assert r.last.lower_limit == approx(-2.089231, abs=1e-6)
        assert specials(r) == {12: "below_lower_limit"}

    def test_vignette_outlier_flagged_with_and_without_screening(self):
        assert specials(analyse(VIGNETTE)) == {4: "above_upper_limit"}
        assert specials(analyse(VIGNETTE, screen_outliers=False)) == {4: "above_upper_limit"}

    @pytest.mark.parametrize(
        ("series", "improvement", "point_type", "variation"),
        [
            (HIGH_LAST, "increase", "special_cause_improvement", "improvement_high"),
            (HIGH_LAST, "decrease", "special_cause_concern", "concern_high"),
            (HIGH_LAST, "neutral", "special_cause_neutral_high", "neutral_high"),
            (LOW_LAST, "increase", "special_cause_concern", "concern_low"),
            (LOW_LAST, "decrease", "special_cause_improvement", "improvement_low"),
            (LOW_LAST, "neutral", "special_cause_neutral_low", "neutral_low"),
        ],
    )
    def test_polarity_and_variation_icon(self, series, improvement, point_type, variation):
        r = analyse(series, improvement=improvement)
        assert r.last.point_type == point_type
        assert r.variation == variation
        assert r.points[0].point_type == "common_cause"

    def test_common_cause_last_point_gives_common_cause_icon(self):
        r = analyse(VIGNETTE)  # special cause at index 4 only
        assert r.last.point_type == "common_cause"
        assert r.variation == "common_cause"


# Trend up: 3,5,3,5,3,5 then 1..7 then 3,5,3 (16 points).
# Sum 24 + 28 + 11 = 63, mean 3.9375.  MRs: five 2s, 4, six 1s, 4, 2, 2 = 28 over 15,
# amr 1.866667 (threshold 6.10, nothing screened).  Limits -1.027833 .. 8.902833,
# two-sigma 0.627278 .. 7.247722 so 1 and 7 are not beyond two sigma.  Longest run on one
# side of the mean is 4 (4,5,6,7), so only the trend (indices 6..12) fires.
TREND_UP = [3, 5, 3, 5, 3, 5, 1, 2, 3, 4, 5, 6, 7, 3, 5, 3]
# Only six rising (1..6): sum 61, mean 3.8125, MRs 2*5 + 4 + 1*5 + 3 + 2*3 = 28 / 15.
SIX_UP = [3, 5, 3, 5, 3, 5, 1, 2, 3, 4, 5, 6, 3, 5, 3, 5]
TREND_DOWN = [8 - v for v in TREND_UP]  # mean 4.0625, same amr, trend 7..1 at 6..12
SIX_DOWN = [8 - v for v in SIX_UP]


class TestTrend:
    def test_seven_rising_points(self):
        r = analyse(TREND_UP)
        assert r.last.mean == approx(3.9375)
        assert r.groups[0].mean_moving_range == approx(1.866667, abs=1e-6)
        assert r.last.upper_limit == approx(8.902833, abs=1e-6)
        assert specials(r) == dict.fromkeys(range(6, 13), "trend_increasing")

    def test_trend_crossing_the_mean_is_labelled_by_direction(self):
        # Points 1,2,3 are below the mean and 4..7 above; all are improvement (issue #171).
        r = analyse(TREND_UP, improvement="increase")
        assert [r.points[i].relative_to_mean for i in range(6, 13)] == [-1] * 3 + [1] * 4
        assert point_types(r) == dict.fromkeys(range(6, 13), "special_cause_improvement")

    def test_six_rising_points_are_not_enough(self):
        r = analyse(SIX_UP)
        assert r.last.mean == approx(3.8125)
        assert specials(r) == {}

    def test_seven_falling_points(self):
        r = analyse(TREND_DOWN)
        assert r.last.mean == approx(4.0625)
        assert specials(r) == dict.fromkeys(range(6, 13), "trend_decreasing")

    def test_six_falling_points_are_not_enough(self):
        assert specials(analyse(SIX_DOWN)) == {}

    @pytest.mark.parametrize(
        ("series", "improvement", "point_type"),
        [
            (TREND_UP, "increase", "special_cause_improvement"),
            (TREND_UP, "decrease", "special_cause_concern"),
            (TREND_UP, "neutral", "special_cause_neutral_high"),
            (TREND_DOWN, "increase", "special_cause_concern"),
            (TREND_DOWN, "decrease", "special_cause_improvement"),
            (TREND_DOWN, "neutral", "special_cause_neutral_low"),
        ],
    )
    def test_trend_polarity(self, series, improvement, point_type):
        r = analyse(series, improvement=improvement)
        assert set(point_types(r).values()) == {point_type}

    def test_equal_neighbours_break_a_trend(self):
        # R test "ptd_seven_point_trend works as expected": c(1:3, 3:6) gives no trend.
        assert spc._seven_point_trend([1, 2, 3, 3, 4, 5, 6]) == [0] * 7

    def test_trend_helper_matches_r_tests(self):
        # "ptd_seven_point_trend works as expected"
        assert spc._seven_point_trend([]) == []
        assert spc._seven_point_trend([1, 2, 3, 4, 5, 6]) == [0] * 6
        assert spc._seven_point_trend([1, 2, 3, 4, 5, 6, 7]) == [0] * 6 + [1]
        assert spc._seven_point_trend([2, 1, 2, 3, 4, 5, 6, 7, 3]) == [0] * 7 + [1, 0]
        assert spc._seven_point_trend([7, 6, 5, 4, 3, 2, 1]) == [0] * 6 + [-1]
        assert spc._seven_point_trend([2, 7, 6, 5, 4, 3, 2, 1, 3]) == [0] * 7 + [-1, 0]

    def test_rise_then_fall_labels_the_peak_as_falling(self):
        # 0,8,0,8 then 1..7 then 6..1 (17 points).  Sum 16 + 28 + 21 = 65, mean 3.823529.
        # MRs: 8,8,8,7, twelve 1s = 43 over 16, amr 2.6875 (threshold 8.78: none screened).
        # Limits -3.325221 .. 10.972279, two-sigma -0.942304 .. 8.589363: all inside.
        # Rising trend 4..10 and falling trend 10..16.  The peak (index 10) is in both, and
        # the next point is in a trend too, so it takes the step to the right: falling.
        r = analyse([0, 8, 0, 8, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1])
        assert r.last.mean == approx(3.823529, abs=1e-6)
        assert r.groups[0].mean_moving_range == approx(2.6875)
        assert specials(r) == {
            **dict.fromkeys(range(4, 10), "trend_increasing"),
            **dict.fromkeys(range(10, 17), "trend_decreasing"),
        }
        # The last point is labelled from the step before it (there is no next point).
        assert r.variation == "concern_low"


# Two in three: twenty points alternating 4/6 (mean 5, MR 2), then a tail.
# Tail 10, 8, 10: sum 100 + 28 = 128, mean 128/23 = 5.565217.  MRs: nineteen 2s, 4, 2, 2 =
# 46 over 22, amr 2.090909.  Two-sigma upper 5.565217 + 3.707879 = 9.273096, upper limit
# 11.127036.  Both 10s lie between them and 8 is above the mean -> the 10s are flagged.
TWO_IN_THREE_HIGH = [4, 6] * 10 + [10, 8, 10]
# Tail 10, 5, 10: mean 125/23 = 5.434783, MRs 38 + 4 + 5 + 5 = 52 / 22 = 2.363636.
# Two-sigma upper 9.626298, limit 11.722055: the 10s are beyond two sigma but 5 is below
# the mean, so the three are not on one side (issue #143 in the package): no flag.
TWO_IN_THREE_SPLIT = [4, 6] * 10 + [10, 5, 10]
# Tail 10, 8, 14: mean 132/23 = 5.739130, MRs 38 + 4 + 2 + 6 = 50 / 22 = 2.272727.
# Two-sigma upper 9.769433, limit 11.784585: 10 is beyond two sigma, 14 is outside the
# limits, which does not count towards two-in-three.  Only 14 is flagged.
TWO_IN_THREE_ONE_OUTSIDE = [4, 6] * 10 + [10, 8, 14]
TWO_IN_THREE_LOW = [10 - v for v in TWO_IN_THREE_HIGH]  # tail 0, 2, 0; mean 4.434783


class TestTwoInThree:
    def test_two_of_three_beyond_two_sigma_above(self):
        r = analyse(TWO_IN_THREE_HIGH)
        g = r.groups[0]
        assert g.mean == approx(5.565217, abs=1e-6)
        assert g.mean_moving_range == approx(2.090909, abs=1e-6)
        assert g.upper_two_sigma == approx(9.273096, abs=1e-6)
        assert g.upper_limit == approx(11.127036, abs=1e-6)
        assert [p.close_to_limits for p in r.points[20:]] == [True, False, True]
        # only the two points beyond two sigma are flagged, not the 8 between them
        assert specials(r) == {20: "two_in_three_above", 22: "two_in_three_above"}
        assert r.variation == "improvement_high"

    def test_points_on_opposite_sides_of_the_mean_do_not_count(self):
        r = analyse(TWO_IN_THREE_SPLIT)
        assert r.last.mean == approx(5.434783, abs=1e-6)
        assert r.groups[0].upper_two_sigma == approx(9.626298, abs=1e-6)
        assert [p.close_to_limits for p in r.points[20:]] == [True, False, True]
        assert r.points[21].relative_to_mean == -1
        assert specials(r) == {}

    def test_point_outside_limits_is_not_beyond_two_sigma(self):
        r = analyse(TWO_IN_THREE_ONE_OUTSIDE)
        assert r.last.upper_limit == approx(11.784585, abs=1e-6)
        assert r.points[20].close_to_limits is True
        assert r.points[22].close_to_limits is False
        assert r.points[22].outside_limits is True
        assert specials(r) == {22: "above_upper_limit"}

    def test_two_of_three_below(self):
        r = analyse(TWO_IN_THREE_LOW)
        assert r.last.mean == approx(4.434783, abs=1e-6)
        assert specials(r) == {20: "two_in_three_below", 22: "two_in_three_below"}

    @pytest.mark.parametrize(
        ("series", "improvement", "point_type", "variation"),
        [
            (TWO_IN_THREE_HIGH, "increase", "special_cause_improvement", "improvement_high"),
            (TWO_IN_THREE_HIGH, "decrease", "special_cause_concern", "concern_high"),
            (TWO_IN_THREE_LOW, "increase", "special_cause_concern", "concern_low"),
            (TWO_IN_THREE_LOW, "decrease", "special_cause_improvement", "improvement_low"),
            (TWO_IN_THREE_LOW, "neutral", "special_cause_neutral_low", "neutral_low"),
        ],
    )
    def test_two_in_three_polarity(self, series, improvement, point_type, variation):
        r = analyse(series, improvement=improvement)
        assert set(point_types(r).values()) == {point_type}
        assert r.variation == variation

    def test_helpers_match_r_tests(self):
        # "ptd_two_in_three works as expected"
        ones = [1] * 7
        assert spc._two_in_three([1, 0, 1], [1, 1, 1]) == [True] * 3
        assert spc._two_in_three([0, 1, 1], [1, 1, 1]) == [True] * 3
        assert spc._two_in_three([0, 0, 1, 0, 1, 0, 0], ones) == [0, 0, 1, 1, 1, 0, 0]
        assert spc._two_in_three([0, 0, 1, 1, 0, 0, 0], ones) == [0, 1, 1, 1, 1, 0, 0]
        # "... when points are on opposite sides of the mean"
        assert spc._two_in_three([1, 0, 1], [1, -1, 1]) == [False] * 3
        assert spc._two_in_three([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1]) == [0] * 7
        # "ptd_part_of_two_in_three works as expected": only the close points are flagged
        r = analyse([4, 6] * 10 + [10, 8, 10])
        assert [p.special_cause for p in r.points[19:]] == [False, True, False, True]


# Run: 7,3 x3 then seven 6s then 3,7,3 (16 points).  Sum 30 + 42 + 13 = 85, mean 5.3125.
# MRs: five 4s, 3, six 0s, 3, 4, 4 = 34 over 15, amr 2.266667.  Limits -0.716833 ..
# 11.341833, two-sigma 1.292944 .. 9.332056.  The 6s (indices 6..12) are a run of 7 above;
# equal values make no trend.
RUN_ABOVE = [7, 3, 7, 3, 7, 3] + [6] * 7 + [3, 7, 3]
# Six 6s then 3,7,3,7: sum 86, mean 5.375, MRs 20 + 3 + 0 + 3 + 12 = 38 / 15 = 2.533333.
SIX_ABOVE = [7, 3, 7, 3, 7, 3] + [6] * 6 + [3, 7, 3, 7]
RUN_BELOW = [10 - v for v in RUN_ABOVE]  # seven 4s, mean 4.6875
SIX_BELOW = [10 - v for v in SIX_ABOVE]


class TestRun:
    def test_seven_points_above_the_mean(self):
        r = analyse(RUN_ABOVE)
        assert r.last.mean == approx(5.3125)
        assert r.groups[0].mean_moving_range == approx(2.266667, abs=1e-6)
        assert r.last.upper_limit == approx(11.341833, abs=1e-6)
        assert specials(r) == dict.fromkeys(range(6, 13), "run_above")

    def test_six_points_above_are_not_enough(self):
        r = analyse(SIX_ABOVE)
        assert r.last.mean == approx(5.375)
        assert [p.relative_to_mean for p in r.points[6:12]] == [1] * 6
        assert specials(r) == {}

    def test_seven_points_below_the_mean(self):
        r = analyse(RUN_BELOW)
        assert r.last.mean == approx(4.6875)
        assert specials(r) == dict.fromkeys(range(6, 13), "run_below")

    def test_six_points_below_are_not_enough(self):
        assert specials(analyse(SIX_BELOW)) == {}

    @pytest.mark.parametrize(
        ("series", "improvement", "point_type"),
        [
            (RUN_ABOVE, "increase", "special_cause_improvement"),
            (RUN_ABOVE, "decrease", "special_cause_concern"),
            (RUN_ABOVE, "neutral", "special_cause_neutral_high"),
            (RUN_BELOW, "increase", "special_cause_concern"),
            (RUN_BELOW, "decrease", "special_cause_improvement"),
            (RUN_BELOW, "neutral", "special_cause_neutral_low"),
        ],
    )
    def test_run_polarity(self, series, improvement, point_type):
        r = analyse(series, improvement=improvement)
        assert set(point_types(r).values()) == {point_type}

    def test_helpers_match_r_tests(self):
        # "ptd_seven_point_one_side_mean works as expected"
        assert spc._seven_point_one_side_mean([]) == []
        assert spc._seven_point_one_side_mean([1] * 6) == [0] * 6
        assert spc._seven_point_one_side_mean([1] * 6 + [-1]) == [0] * 7
        assert spc._seven_point_one_side_mean([1] * 8 + [-1]) == [0] * 6 + [1, 1, 0]
        assert spc._seven_point_one_side_mean([-1] * 8 + [1]) == [0] * 6 + [1, 1, 0]
        # "ptd_part_of_seven_trend works as expected"
        assert spc._part_of_seven([0] * 6 + [1, 0]) == [True] * 7 + [False]
        assert spc._part_of_seven([0] * 7 + [1, 0]) == [False] + [True] * 7 + [False]
        assert spc._part_of_seven([0] * 7 + [-1, 0]) == [False] + [True] * 7 + [False]

    def test_point_on_the_mean_breaks_a_run(self):
        assert spc._seven_point_one_side_mean([1, 1, 1, 0, 1, 1, 1, 1]) == [0] * 8


class TestPrecedence:
    def test_trend_beats_run(self):
        # 1,10 x3 then 9.5, 9, 8.5, 8, 7.5, 7, then 8, 1, 10 (15 points).
        # Sum 33 + 49.5 + 19 = 101.5, mean 6.766667.  MRs: five 9s, six 0.5s, 1, 7, 9 =
        # 65 over 14, amr 4.642857; two-sigma upper 15.0, limits -5.583333 .. 19.116667.
        # Indices 5..12 (10 down to 7, then 8) are 8 points above the mean (a run) and
        # 5..11 are a falling trend.  The trend wins for 5..11: concern when higher is
        # better, although the run alone would have said improvement; 12 is only in the run.
        r = analyse([1, 10, 1, 10, 1, 10, 9.5, 9, 8.5, 8, 7.5, 7, 8, 1, 10])
        assert r.last.mean == approx(6.766667, abs=1e-6)
        assert r.groups[0].upper_two_sigma == approx(15.0)
        assert r.last.upper_limit == approx(19.116667, abs=1e-6)
        assert specials(r) == {**dict.fromkeys(range(5, 12), "trend_decreasing"), 12: "run_above"}
        assert point_types(r) == {
            **dict.fromkeys(range(5, 12), "special_cause_concern"),
            12: "special_cause_improvement",
        }

    def test_outside_limits_beats_trend_which_beats_two_in_three(self):
        # 6,4 x4 then 1,2,3,4,5,6,20 (15 points).  Sum 40 + 21 + 20 = 81, mean 5.4.
        # MRs: seven 2s, 3, five 1s, 14 = 36 / 14 = 2.571; threshold 8.4 drops the 14:
        # amr = 22/13 = 1.692308.  Limits 0.898462 .. 9.901538; lower two-sigma 2.398974.
        # 1..6,20 is a 7-point rising trend; 20 is also outside the limits; 1 and 2 are
        # beyond two sigma with 4 before them, all below the mean (a two-in-three).
        r = analyse([6, 4] * 4 + [1, 2, 3, 4, 5, 6, 20])
        assert r.groups[0].mean_moving_range == approx(1.692308, abs=1e-6)
        assert r.last.upper_limit == approx(9.901538, abs=1e-6)
        assert r.groups[0].lower_two_sigma == approx(2.398974, abs=1e-6)
        assert r.points[8].close_to_limits and r.points[9].close_to_limits
        assert specials(r) == {
            **dict.fromkeys(range(8, 14), "trend_increasing"),
            14: "above_upper_limit",
        }
        assert r.variation == "improvement_high"


class TestAssurance:
    # VIGNETTE limits (screened): -0.715556 .. 4.604444.
    @pytest.mark.parametrize(
        ("target", "improvement", "expected"),
        [
            (5, "increase", "fail"),  # target above the upper limit: can't reach it
            (5, "decrease", "pass"),  # lower is better, every point is below 5
            (-1, "increase", "pass"),
            (-1, "decrease", "fail"),
            (2, "increase", "inconsistent"),
            (2, "decrease", "inconsistent"),
            (5, "neutral", None),
            (None, "increase", None),
        ],
    )
    def test_target_against_limits(self, target, improvement, expected):
        r = analyse(VIGNETTE, improvement=improvement, target=target)
        assert r.assurance == expected

    def test_decimal_target(self):
        r = analyse(VIGNETTE, target=Decimal("4.7"))
        assert r.target == 4.7
        assert r.assurance == "fail"

    def test_helper_matches_r_tests(self):
        # test-ptd_calculate_assurance_type.R: lpl/upl (1,3), (5,7), (1,5), target 4.
        cases = [(1, 3), (5, 7), (1, 5)]
        inc = [spc._assurance(4, lo, hi, "increase") for lo, hi in cases]
        dec = [spc._assurance(4, lo, hi, "decrease") for lo, hi in cases]
        neu = [spc._assurance(4, lo, hi, "neutral") for lo, hi in cases]
        assert inc == ["fail", "pass", "inconsistent"]
        assert dec == ["pass", "fail", "inconsistent"]
        assert neu == [None, None, None]

    def test_uses_the_last_groups_limits(self):
        # Group 0: 1,3 x7, mean 2, amr 2, limits -3.32 .. 7.32.
        # Group 1: 11,13 x7, mean 12, amr 2, limits 6.68 .. 17.32.
        # Target 5 is inside group 0's limits but below group 1's: pass (higher is better).
        r = analyse([1, 3] * 7 + [11, 13] * 7, rebase_at=[14], target=5)
        assert r.assurance == "pass"
        assert analyse([1, 3] * 7, target=5).assurance == "inconsistent"

    def test_flat_series_limits_equal_mean(self):
        # [7] * 15: mean 7, limits 7 .. 7.
        assert analyse([7] * 15, target=7).assurance == "inconsistent"
        assert analyse([7] * 15, target=8).assurance == "fail"
        assert analyse([7] * 15, target=6, improvement="decrease").assurance == "fail"

    def test_single_point_has_inconsistent_assurance_as_in_r(self):
        # No limits (NaN in R); case_when falls through to "inconsistent".
        assert analyse([3], target=10).assurance == "inconsistent"


class TestRebasing:
    SERIES = [1, 3] * 7 + [11, 13] * 7

    def test_limits_per_group(self):
        r = analyse(self.SERIES, rebase_at=[14])
        assert [(g.start, g.stop) for g in r.groups] == [(0, 14), (14, 28)]
        assert [g.mean for g in r.groups] == [2.0, 12.0]
        assert r.points[13].lower_limit == approx(-3.32)
        assert r.points[13].upper_limit == approx(7.32)
        assert r.points[14].lower_limit == approx(6.68)
        assert r.points[14].upper_limit == approx(17.32)
        assert [p.group for p in r.points] == [0] * 14 + [1] * 14
        assert specials(r) == {}

    def test_first_point_of_a_group_has_no_moving_range(self):
        r = analyse(self.SERIES, rebase_at=[14])
        assert r.points[14].moving_range is None
        assert r.points[15].moving_range == 2.0
        # amr per group is 2: the 3 -> 11 jump (8) is not in either group
        assert [g.mean_moving_range for g in r.groups] == [2.0, 2.0]

    def test_without_rebasing_the_step_change_is_special_cause(self):
        # One group: mean 7; MRs 26 x 2 and 8 -> amr 60/27 = 2.22, threshold 7.26 drops
        # the 8, amr 2.  Limits 1.68 .. 12.32: every 1 and 13 is outside.
        r = analyse(self.SERIES)
        assert r.last.mean == 7.0
        assert r.last.lower_limit == approx(1.68)
        assert r.last.upper_limit == approx(12.32)
        assert all(p.special_cause for p in r.points)

    def test_rules_do_not_cross_a_rebase(self):
        # 4,6 x5 then 1,2,3,4 | 5,6,7 then 4,8 x5.  Without rebasing 1..7 (indices 10..16)
        # is a rising trend; rebasing at 14 splits it into 4 + 3 points: no trend.
        series = [4, 6] * 5 + [1, 2, 3, 4] + [5, 6, 7] + [4, 8] * 5
        assert specials(analyse(series)) == dict.fromkeys(range(10, 17), "trend_increasing")
        assert specials(analyse(series, rebase_at=[14])) == {}

    def test_rebase_at_zero_and_duplicates_change_nothing(self):
        assert analyse(self.SERIES, rebase_at=[0, 14, 14]) == analyse(self.SERIES, rebase_at=[14])
        assert len(analyse(self.SERIES, rebase_at=[0]).groups) == 1

    def test_short_group_after_rebase_is_provisional(self):
        r = analyse(self.SERIES, rebase_at=[20])
        assert [g.provisional for g in r.groups] == [False, True]
        assert r.points[19].provisional is False
        assert r.points[20].provisional is True
        assert r.provisional is True
        assert len(r.warnings) == 1
        assert "points 20-27" in r.warnings[0]


class TestFixAfterNPoints:
    # [4,6] x6 then 20,20,20.  First 12 points: mean 5, eleven MRs of 2, amr 2:
    # limits -0.32 .. 10.32 held for all 15 points.
    SERIES = [4, 6] * 6 + [20, 20, 20]

    def test_limits_fixed_from_first_n_points(self):
        r = analyse(self.SERIES, fix_after_n_points=12)
        assert r.groups[0].basis_points == 12
        for p in r.points:
            assert p.mean == 5.0
            assert p.lower_limit == approx(-0.32)
            assert p.upper_limit == approx(10.32)
        assert specials(r) == dict.fromkeys(range(12, 15), "above_upper_limit")

    def test_unfixed_limits_include_later_points(self):
        # All 15: mean 120/15 = 8; MRs eleven 2s, 14, 0, 0 = 36/14 = 2.571, threshold 8.4
        # drops the 14: amr = 22/13 = 1.692308; limits 3.498462 .. 12.501538.
        r = analyse(self.SERIES)
        assert r.last.mean == 8.0
        assert r.groups[0].mean_moving_range == approx(1.692308, abs=1e-6)
        assert r.last.lower_limit == approx(3.498462, abs=1e-6)

    def test_r_fix_after_12_changes_the_limits(self):
        # test-ptd_spc_standard.R "setting fix_after_n_points changes the calculations".
        # First 12 of rnorm(20): sum 2.33015208, mean 0.19417934; their 11 MRs sum
        # 11.5854777, amr 1.05322525 (none screened: threshold 3.44).
        # Limits 0.19417934 -/+ 2.80157915 = -2.60739981 .. 2.99575849.
        r = analyse(RNORM_123, fix_after_n_points=12)
        assert r.last.mean == approx(0.19417934, abs=1e-8)
        assert r.last.lower_limit == approx(-2.60739981, abs=1e-7)
        assert r.last.upper_limit == approx(2.99575849, abs=1e-7)
        assert r.last.lower_limit != analyse(RNORM_123).last.lower_limit

    def test_fix_applies_within_each_group(self):
        # Two copies of SERIES, rebased at 15: each group is fixed on its own first 12.
        r = analyse(self.SERIES * 2, rebase_at=[15], fix_after_n_points=12)
        assert [g.mean for g in r.groups] == [5.0, 5.0]
        assert [g.basis_points for g in r.groups] == [12, 12]

    def test_fix_longer_than_group_uses_whole_group(self):
        assert analyse(self.SERIES, fix_after_n_points=50) == analyse(self.SERIES)

    @pytest.mark.parametrize("bad", [11, 0, -1, 12.0, True])
    def test_fix_must_be_an_integer_of_at_least_12(self, bad):
        with pytest.raises(ValueError, match="fix_after_n_points"):
            analyse(self.SERIES, fix_after_n_points=bad)


class TestScreening:
    def test_screening_narrows_limits_when_there_are_outliers(self):
        screened = analyse(VIGNETTE)
        unscreened = analyse(VIGNETTE, screen_outliers=False)
        assert screened.groups[0].mean_moving_range == approx(1.0)
        assert unscreened.groups[0].mean_moving_range == approx(32 / 17)
        assert screened.last.mean == unscreened.last.mean

    def test_moving_range_exactly_at_threshold_is_screened_out(self):
        # Values 0, 3267, 2833.75, 3267, 2833.75, 3267: MRs 3267 and four of 433.25,
        # sum 5000, amr 1000, threshold 3.267 * 1000 = 3267.  The package keeps only MRs
        # strictly below the threshold, so 3267 goes: amr = 433.25.
        series = [0, 3267, 2833.75, 3267, 2833.75, 3267]
        assert analyse(series).groups[0].mean_moving_range == 433.25
        assert analyse(series, screen_outliers=False).groups[0].mean_moving_range == 1000.0

    def test_screening_changes_nothing_without_outliers(self):
        # [1,3] x7: all MRs 2 < 3.267 * 2.
        assert analyse([1, 3] * 7) == analyse([1, 3] * 7, screen_outliers=False)

    def test_flat_series_with_one_spike_collapses_limits_as_in_r(self):
        # [5] x12 then 9: MRs eleven 0s and 4, amr 4/12 = 0.333, threshold 1.089 drops the
        # 4, leaving amr 0: limits = mean = 69/13 = 5.307692.  As in the package, every 5 is
        # then below the lower limit.  Unscreened: amr 0.333, limits 4.421026 .. 6.194359,
        # so only 9 is outside, and the twelve 5s below the mean are a run.
        r = analyse([5] * 12 + [9])
        assert r.groups[0].mean_moving_range == 0.0
        assert r.last.lower_limit == r.last.upper_limit == approx(5.307692, abs=1e-6)
        assert specials(r) == {
            **dict.fromkeys(range(12), "below_lower_limit"),
            12: "above_upper_limit",
        }
        u = analyse([5] * 12 + [9], screen_outliers=False)
        assert u.last.lower_limit == approx(4.421026, abs=1e-6)
        assert u.last.upper_limit == approx(6.194359, abs=1e-6)
        assert specials(u) == {**dict.fromkeys(range(12), "run_below"), 12: "above_upper_limit"}


class TestShortAndFlatSeries:
    def test_empty(self):
        r = analyse([], target=5)
        assert r.points == ()
        assert r.groups == ()
        assert r.last is None
        assert r.variation is None
        assert r.assurance is None
        assert r.provisional is False
        assert r.warnings == ()
        assert len(r) == 0

    def test_one_point(self):
        r = analyse([3])
        p = r.last
        assert (p.value, p.mean, p.lower_limit, p.upper_limit) == (3.0, 3.0, None, None)
        assert p.moving_range is None
        assert p.point_type == "common_cause"
        assert p.provisional is True
        assert r.variation == "common_cause"
        assert r.provisional is True
        assert r.warnings == (
            "Limits for point 0 are provisional: the group has 1 point, fewer than 13, so "
            "these are trial limits that will be revised with each additional point.",
        )

    def test_two_points(self):
        # [3, 5]: mean 4, one MR of 2 (kept: 2 < 6.534), limits 4 -/+ 5.32.
        r = analyse([3, 5])
        assert r.last.mean == 4.0
        assert r.last.lower_limit == approx(-1.32)
        assert r.last.upper_limit == approx(9.32)
        assert [p.provisional for p in r.points] == [True, True]
        assert len(r.warnings) == 1

    def test_twelve_points_are_provisional_thirteen_are_not(self):
        # ptd_add_short_group_warnings: warning_threshold defaults to 13 (n < 13 warns).
        twelve = analyse([1, 3] * 6)
        thirteen = analyse([1, 3] * 6 + [2])
        assert twelve.provisional is True and twelve.last.provisional is True
        assert thirteen.provisional is False and thirteen.last.provisional is False
        assert thirteen.warnings == ()

    def test_short_series_still_applies_rules(self):
        # [2, 4, 2, 4, 2, 4, 20]: MRs five 2s and 16; amr 26/6 = 4.33, threshold 14.16
        # drops 16 -> amr 2.  Mean 38/7 = 5.428571, upper limit 10.748571: 20 is outside.
        # Lower two-sigma 1.881905 < 2, and only six points are below the mean.
        r = analyse([2, 4, 2, 4, 2, 4, 20])
        assert r.last.upper_limit == approx(10.748571, abs=1e-6)
        assert specials(r) == {6: "above_upper_limit"}
        assert r.provisional is True

    @pytest.mark.parametrize("screen", [True, False])
    def test_flat_series_has_limits_equal_to_the_mean(self, screen):
        r = analyse([7] * 15, screen_outliers=screen)
        g = r.groups[0]
        assert g.mean_moving_range == 0.0
        assert g.lower_limit == g.upper_limit == g.mean == 7.0
        assert all(p.relative_to_mean == 0 for p in r.points)
        assert specials(r) == {}
        assert r.variation == "common_cause"

    @pytest.mark.parametrize(("value", "n"), [(Decimal("87.2"), 13), (0.1, 12), (98.6, 24)])
    def test_flat_series_has_no_spurious_run(self, value, n):
        # For these, sum / n in floating point lands 1 ulp away from the value, which would
        # put every point on one side of the mean (a false run).  The mean is corrected
        # as R's mean() does, so it equals the value exactly.
        r = analyse([value] * n)
        assert r.last.mean == float(value)
        assert all(p.relative_to_mean == 0 for p in r.points)
        assert specials(r) == {}

    def test_flat_two_points(self):
        r = analyse([4, 4])
        assert (r.last.lower_limit, r.last.upper_limit) == (4.0, 4.0)
        assert r.last.point_type == "common_cause"


class TestResultHelpers:
    def test_last_and_special_cause_points(self):
        r = analyse(HIGH_LAST)
        assert r.last is r.points[-1]
        assert r.last.index == 12
        assert [p.index for p in r.special_cause_points] == [12]
        assert r.improvement == "increase"

    def test_result_is_frozen(self):
        r = analyse([1, 2, 3])
        with pytest.raises(AttributeError):
            r.variation = "common_cause"
        with pytest.raises(AttributeError):
            r.points[0].value = 9


class TestValidation:
    def test_unknown_improvement(self):
        with pytest.raises(ValueError, match="improvement"):
            analyse([1, 2, 3], improvement="up")

    @pytest.mark.parametrize("bad", [None, "3", True])
    def test_non_numeric_values(self, bad):
        with pytest.raises(TypeError, match=r"values\[1\]"):
            analyse([1, bad, 3])

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN")])
    def test_non_finite_values(self, bad):
        with pytest.raises(ValueError, match="finite"):
            analyse([1, bad, 3])

    def test_non_numeric_target(self):
        with pytest.raises(TypeError, match="target"):
            analyse([1, 2, 3], target="5")

    @pytest.mark.parametrize("bad", [3, -1, 10])
    def test_rebase_index_out_of_range(self, bad):
        with pytest.raises(ValueError, match="rebase_at"):
            analyse([1, 2, 3], rebase_at=[bad])

    def test_rebase_index_must_be_int(self):
        with pytest.raises(TypeError, match="rebase_at"):
            analyse([1, 2, 3], rebase_at=[1.0])
