"""Making Data Count statistical process control (SPC) engine for XmR charts.

Plain Python (standard library only, no Django).  The logic is a port of the NHS-R
Community's ``NHSRplotthedots`` R package, version 0.2.2 (``ptd_spc_standard``,
``ptd_calculate_point_type``, ``ptd_add_short_group_warnings``,
``ptd_calculate_assurance_type`` and the icon mapping in ``ptd_get_icons``).  No code is
copied; the behaviour, constants and rule precedence follow the package.

Limits
    The series is split into groups at each ``rebase_at`` index.  Within each group the
    mean is the mean of the values and the moving ranges are ``|x[i] - x[i-1]|`` (the first
    point of a group has no moving range).  With ``screen_outliers`` (the default) moving
    ranges that are not strictly below ``3.267`` times the mean moving range are discarded
    and the mean moving range is recomputed.  Process limits are
    ``mean +/- 2.66 * mean moving range``; the "two sigma" lines are
    ``mean +/- (2 * 2.66 / 3) * mean moving range``.  ``fix_after_n_points`` (at least 12,
    as the package requires) computes the mean and moving ranges from only the first
    ``n`` points of each group and holds them for the rest of the group.

Rules (applied within each group; earlier rules take precedence when labelling)
    1. A point outside the process limits (strictly above the upper or below the lower).
    2. A trend: 7 points in a row each strictly higher (or strictly lower) than the one
       before.  Every point of the trend is flagged, and labelled by the direction of
       travel, not by its side of the mean: a point is labelled by the step to the next
       point when that point is also part of a trend, otherwise by the step from the
       previous point (so the peak of a rise-then-fall is labelled as falling).
    3. Two of three consecutive points beyond the two-sigma line (but inside the limits),
       with all three points on the same side of the mean.  Only the points beyond the
       two-sigma line are flagged.
    4. A run: 7 points in a row on the same side of the mean (a point exactly on the mean
       breaks the run).  Every point of the run is flagged.

    Each flagged point's direction (high for "above"/"increasing", low for
    "below"/"decreasing") gives its ``point_type``: improvement or concern according to
    ``improvement``, or neutral high/low when ``improvement="neutral"``.

Variation and assurance
    ``SPCResult.variation`` is the Making Data Count variation icon for the last point.
    ``SPCResult.assurance`` compares ``target`` with the last point's (so the last group's)
    limits: a target beyond the upper limit fails when higher is better and passes when
    lower is better; a target beyond the lower limit is the reverse; anything else is
    "inconsistent".  There is no assurance without a target or for neutral measures.

Provisional limits
    A group of fewer than 13 points has trial limits (the package's
    ``ptd_spc.warning_threshold`` default): its points are marked ``provisional`` and
    ``SPCResult.warnings`` says so.

R package versus NHS England's Excel tool
    Where NHS England's "Making Data Count" Excel tool differs from the R package, this
    module follows the R package.  The documented difference is outlier screening: the
    Excel tool keeps every moving range, so its limits are wider when there are outliers.
    Pass ``screen_outliers=False`` to reproduce the Excel limits.

Deliberate differences from the R package
    * When every moving range in a group is zero (a flat series) the package's screening
      threshold is zero, it discards every moving range and the limits become NaN.  Here
      the zero moving ranges are kept, so the limits collapse onto the mean.
    * Values must all be present (no missing values), rebasing is by 0-based index rather
      than by date, there are no facets (call once per series) and no trajectory.
    * Short-group warnings are returned in ``SPCResult.warnings`` (one per short group)
      rather than raised as an R warning, and assurance is "pass"/"fail" rather than
      "consistent_pass"/"consistent_fail".
    * As in the package, a group with a single point has no limits (``None``) and, with a
      target, assurance is "inconsistent" because nothing lies beyond undefined limits.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

__all__ = [
    "LIMIT_FACTOR",
    "MIN_FIX_AFTER_N_POINTS",
    "RUN_LENGTH",
    "SCREEN_FACTOR",
    "SHORT_GROUP_THRESHOLD",
    "TREND_LENGTH",
    "TWO_SIGMA_FACTOR",
    "Assurance",
    "Improvement",
    "PointType",
    "SPCGroup",
    "SPCPoint",
    "SPCResult",
    "SpecialCauseType",
    "Variation",
    "analyse",
]

Improvement = Literal["increase", "decrease", "neutral"]
PointType = Literal[
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
]
Variation = Literal[
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
]
Assurance = Literal["pass", "fail", "inconsistent"]
# Which rule flagged a point (the package's labels are given alongside).
SpecialCauseType = Literal[
    "above_upper_limit",  # "Above UCL"
    "below_lower_limit",  # "Below LCL"
    "trend_increasing",  # "7 Point Trend (Increasing)"
    "trend_decreasing",  # "7 Point Trend (Decreasing)"
    "two_in_three_above",  # "2 in 3 Above CL"
    "two_in_three_below",  # "2 in 3 Below CL"
    "run_above",  # "7 Points Above CL"
    "run_below",  # "7 Points Below CL"
]

LIMIT_FACTOR = 2.66
TWO_SIGMA_FACTOR = 2 * (LIMIT_FACTOR / 3)
SCREEN_FACTOR = 3.267
TREND_LENGTH = 7
RUN_LENGTH = 7
SHORT_GROUP_THRESHOLD = 13
MIN_FIX_AFTER_N_POINTS = 12

_IMPROVEMENTS: tuple[str, ...] = ("increase", "decrease", "neutral")
_HIGH_TYPES = frozenset(
    {"above_upper_limit", "trend_increasing", "two_in_three_above", "run_above"}
)


@dataclass(frozen=True, slots=True)
class SPCPoint:
    """One point of the series with its group's mean and limits and its rule flags."""

    index: int
    value: float
    group: int
    mean: float
    lower_limit: float | None
    upper_limit: float | None
    moving_range: float | None
    """``|value - previous value|`` within the group (unscreened); None for a group's first."""
    relative_to_mean: int
    """-1, 0 or 1: the sign of ``value - mean``."""
    outside_limits: bool
    close_to_limits: bool
    """Beyond the two-sigma line but inside the limits."""
    special_cause_type: SpecialCauseType | None
    special_cause: bool
    point_type: PointType
    provisional: bool


@dataclass(frozen=True, slots=True)
class SPCGroup:
    """A run of points sharing one mean and one set of limits (split at rebases)."""

    index: int
    start: int
    stop: int
    """Exclusive: the group holds ``points[start:stop]``."""
    mean: float
    mean_moving_range: float | None
    lower_limit: float | None
    upper_limit: float | None
    lower_two_sigma: float | None
    upper_two_sigma: float | None
    basis_points: int
    """How many points the mean and limits were computed from (``fix_after_n_points``)."""
    provisional: bool

    @property
    def n_points(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True, slots=True)
class SPCResult:
    """The analysed series: points, groups and the summary icons for the last point."""

    points: tuple[SPCPoint, ...]
    groups: tuple[SPCGroup, ...]
    improvement: Improvement
    target: float | None
    variation: Variation | None
    assurance: Assurance | None
    provisional: bool
    """True when any group has fewer than 13 points (the package warns in that case)."""
    warnings: tuple[str, ...]

    @property
    def last(self) -> SPCPoint | None:
        return self.points[-1] if self.points else None

    @property
    def special_cause_points(self) -> tuple[SPCPoint, ...]:
        return tuple(p for p in self.points if p.special_cause)

    def __len__(self) -> int:
        return len(self.points)


def analyse(
    values: Iterable[int | float | Decimal],
    *,
    improvement: Improvement = "increase",
    target: int | float | Decimal | None = None,
    rebase_at: Iterable[int] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
) -> SPCResult:
    """Analyse a series with the Making Data Count rules (see the module docstring).

    ``values`` are in time order.  ``rebase_at`` holds 0-based indices that start a new
    limits group (0 is allowed and changes nothing).  ``fix_after_n_points`` must be at
    least 12, as in the R package.
    """
    if improvement not in _IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {_IMPROVEMENTS}, not {improvement!r}")
    ys = [_as_float(v, f"values[{i}]") for i, v in enumerate(values)]
    target_f = None if target is None else _as_float(target, "target")
    if fix_after_n_points is not None and (
        isinstance(fix_after_n_points, bool)
        or not isinstance(fix_after_n_points, int)
        or fix_after_n_points < MIN_FIX_AFTER_N_POINTS
    ):
        raise ValueError(
            f"fix_after_n_points must be an integer >= {MIN_FIX_AFTER_N_POINTS}, "
            f"not {fix_after_n_points!r}"
        )
    starts = _group_starts(len(ys), rebase_at)

    if not ys:
        return SPCResult((), (), improvement, target_f, None, None, False, ())

    direction = {"increase": 1, "decrease": -1, "neutral": 0}[improvement]
    points: list[SPCPoint] = []
    groups: list[SPCGroup] = []
    warnings: list[str] = []
    bounds = list(zip(starts, [*starts[1:], len(ys)], strict=True))
    for g, (start, stop) in enumerate(bounds):
        group = _analyse_group(
            ys[start:stop], g, start, fix_after_n_points, screen_outliers, direction
        )
        groups.append(group[0])
        points.extend(group[1])
        if group[0].provisional:
            warnings.append(_short_group_warning(start, stop))

    last = points[-1]
    return SPCResult(
        points=tuple(points),
        groups=tuple(groups),
        improvement=improvement,
        target=target_f,
        variation=_variation(last.point_type, improvement),
        assurance=_assurance(target_f, last.lower_limit, last.upper_limit, improvement),
        provisional=any(grp.provisional for grp in groups),
        warnings=tuple(warnings),
    )


# --- internals -------------------------------------------------------------------------


def _as_float(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"{what} must be a number, not {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{what} must be finite, not {value!r}")
    return result


def _short_group_warning(start: int, stop: int) -> str:
    n = stop - start
    where = f"point {start}" if n == 1 else f"points {start}-{stop - 1}"
    return (
        f"Limits for {where} are provisional: the group has {n} point{'s' if n > 1 else ''}, "
        f"fewer than {SHORT_GROUP_THRESHOLD}, so these are trial limits that will be revised "
        "with each additional point."
    )


def _group_starts(n: int, rebase_at: Iterable[int]) -> list[int]:
    starts = {0}
    for index in rebase_at:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"rebase_at must hold integer indices, not {index!r}")
        if not 0 <= index < n:
            raise ValueError(f"rebase_at index {index} is outside 0..{n - 1}")
        starts.add(index)
    return sorted(starts)


def _mean(xs: Sequence[float]) -> float:
    """Mean with a correction pass (as R's ``mean``), so a flat series has its exact value."""
    n = len(xs)
    m = math.fsum(xs) / n
    return m + math.fsum(x - m for x in xs) / n


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _limits_basis(
    ys: Sequence[float], fix_after_n_points: int | None, screen_outliers: bool
) -> tuple[float, float | None]:
    """Mean and (screened) mean moving range of one group."""
    basis = ys[:fix_after_n_points] if fix_after_n_points is not None else ys
    mean = _mean(basis)
    moving_ranges = [abs(b - a) for a, b in zip(basis, basis[1:], strict=False)]
    if not moving_ranges:
        return mean, None
    amr = _mean(moving_ranges)
    # Deliberate difference: with amr == 0 the package screens out every (zero) moving
    # range and gets NaN limits; keeping them gives limits equal to the mean instead.
    if screen_outliers and amr > 0:
        kept = [mr for mr in moving_ranges if mr < SCREEN_FACTOR * amr]
        amr = _mean(kept)  # never empty: the smallest range is at most the mean
    return mean, amr


def _seven_point_trend(ys: Sequence[float]) -> list[int]:
    """1 / -1 at the last point of each 7-point strictly rising / falling trend, else 0."""
    flags = [0] * len(ys)
    for i in range(TREND_LENGTH - 1, len(ys)):
        steps = [_sign(ys[k] - ys[k - 1]) for k in range(i - TREND_LENGTH + 2, i + 1)]
        if all(s == 1 for s in steps):
            flags[i] = 1
        elif all(s == -1 for s in steps):
            flags[i] = -1
    return flags


def _seven_point_one_side_mean(relative_to_mean: Sequence[int]) -> list[int]:
    """1 at the last point of each run of 7 points on the same side of the mean, else 0."""
    flags = [0] * len(relative_to_mean)
    for i in range(RUN_LENGTH - 1, len(relative_to_mean)):
        side = relative_to_mean[i]
        window = relative_to_mean[i - RUN_LENGTH + 1 : i]
        if side != 0 and all(r == side for r in window):
            flags[i] = 1
    return flags


def _part_of_seven(flags: Sequence[int]) -> list[bool]:
    """Spread end-of-pattern flags back over the 7 points the pattern covers."""
    n = len(flags)
    return [any(flags[j] != 0 for j in range(i, min(n, i + 7))) for i in range(n)]


def _two_in_three(close: Sequence[bool], relative_to_mean: Sequence[int]) -> list[bool]:
    """True for points in a 3-point window with 2+ points beyond two sigma, all one side."""
    n = len(close)
    hits = [False] * n
    for s in range(n - 2):
        if sum(close[s : s + 3]) >= 2 and abs(sum(relative_to_mean[s : s + 3])) == 3:
            hits[s] = hits[s + 1] = hits[s + 2] = True
    return hits


def _special_cause_types(
    ys: Sequence[float],
    relative_to_mean: Sequence[int],
    close: Sequence[bool],
    outside: Sequence[bool],
) -> list[SpecialCauseType | None]:
    n = len(ys)
    trend = _part_of_seven(_seven_point_trend(ys))
    two_in_three = [
        hit and c for hit, c in zip(_two_in_three(close, relative_to_mean), close, strict=True)
    ]
    run = _part_of_seven(_seven_point_one_side_mean(relative_to_mean))
    types: list[SpecialCauseType | None] = []
    for i in range(n):
        above = relative_to_mean[i] > 0
        if outside[i]:
            types.append("above_upper_limit" if relative_to_mean[i] == 1 else "below_lower_limit")
        elif trend[i]:
            # Label by the step to the next point if that point is also in a trend,
            # otherwise by the step from the previous point.
            if i + 1 < n and trend[i + 1]:
                step = _sign(ys[i + 1] - ys[i])
            else:
                step = _sign(ys[i] - ys[i - 1]) if i > 0 else 0
            types.append("trend_increasing" if step == 1 else "trend_decreasing")
        elif two_in_three[i]:
            types.append("two_in_three_above" if above else "two_in_three_below")
        elif run[i]:
            types.append("run_above" if above else "run_below")
        else:
            types.append(None)
    return types


def _point_type(special_cause_type: SpecialCauseType | None, direction: int) -> PointType:
    if special_cause_type is None:
        return "common_cause"
    high = special_cause_type in _HIGH_TYPES
    if direction == 0:
        return "special_cause_neutral_high" if high else "special_cause_neutral_low"
    if (1 if high else -1) * direction > 0:
        return "special_cause_improvement"
    return "special_cause_concern"


def _analyse_group(
    ys: Sequence[float],
    group_index: int,
    offset: int,
    fix_after_n_points: int | None,
    screen_outliers: bool,
    direction: int,
) -> tuple[SPCGroup, list[SPCPoint]]:
    mean, amr = _limits_basis(ys, fix_after_n_points, screen_outliers)
    if amr is None:
        lpl = upl = nlpl = nupl = None
    else:
        lpl, upl = mean - LIMIT_FACTOR * amr, mean + LIMIT_FACTOR * amr
        nlpl, nupl = mean - TWO_SIGMA_FACTOR * amr, mean + TWO_SIGMA_FACTOR * amr
    provisional = len(ys) < SHORT_GROUP_THRESHOLD

    relative = [_sign(y - mean) for y in ys]
    if lpl is None or upl is None or nlpl is None or nupl is None:
        outside = [False] * len(ys)
        close = [False] * len(ys)
    else:
        outside = [y > upl or y < lpl for y in ys]
        close = [not o and (y < nlpl or y > nupl) for y, o in zip(ys, outside, strict=True)]
    types = _special_cause_types(ys, relative, close, outside)

    points = [
        SPCPoint(
            index=offset + i,
            value=y,
            group=group_index,
            mean=mean,
            lower_limit=lpl,
            upper_limit=upl,
            moving_range=abs(y - ys[i - 1]) if i > 0 else None,
            relative_to_mean=relative[i],
            outside_limits=outside[i],
            close_to_limits=close[i],
            special_cause_type=types[i],
            special_cause=types[i] is not None,
            point_type=_point_type(types[i], direction),
            provisional=provisional,
        )
        for i, y in enumerate(ys)
    ]
    group = SPCGroup(
        index=group_index,
        start=offset,
        stop=offset + len(ys),
        mean=mean,
        mean_moving_range=amr,
        lower_limit=lpl,
        upper_limit=upl,
        lower_two_sigma=nlpl,
        upper_two_sigma=nupl,
        basis_points=min(len(ys), fix_after_n_points or len(ys)),
        provisional=provisional,
    )
    return group, points


def _variation(point_type: PointType, improvement: Improvement) -> Variation:
    """The package's variation icon for a point type (``ptd_get_icons``)."""
    if point_type == "special_cause_improvement":
        return "improvement_high" if improvement == "increase" else "improvement_low"
    if point_type == "special_cause_concern":
        return "concern_low" if improvement == "increase" else "concern_high"
    if point_type == "special_cause_neutral_high":
        return "neutral_high"
    if point_type == "special_cause_neutral_low":
        return "neutral_low"
    return "common_cause"


def _assurance(
    target: float | None,
    lower_limit: float | None,
    upper_limit: float | None,
    improvement: Improvement,
) -> Assurance | None:
    """Target against the last point's limits (``ptd_calculate_assurance_type``)."""
    if target is None or improvement == "neutral":
        return None
    increasing = improvement == "increase"
    if upper_limit is not None and target > upper_limit:
        return "fail" if increasing else "pass"
    if lower_limit is not None and target < lower_limit:
        return "pass" if increasing else "fail"
    return "inconsistent"
