"""Amounts that are points or low–high ranges, and their totals. Plain Python, no Django.

A partnership's plan prints savings as "£3.4m to £5.4m" and FTE as "35–60", each with how sure
it is (an estimate, a validated figure, or what was delivered). Adding ranges adds lows with
lows and highs with highs. A total never mixes confidences silently: every total here is kept
per confidence, and `total` refuses figures of more than one confidence
(MixedConfidenceError) rather than adding an estimate to a delivered amount.

Totals count each figure in its own financial year; a recurring figure ("each year from this
one on") is not repeated into later years, because the sources do not say for how long it
recurs. The tables mark it instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from planning.money import MINUS, format_money

CONFIDENCES = ("estimate", "validated", "delivered")
PLANNED = ("estimate", "validated")


class RangeError(ValueError):
    """A range whose low is more than its high."""


class MixedConfidenceError(ValueError):
    """Figures of different confidences were about to be added together."""


@dataclass(frozen=True)
class Range:
    low: Decimal
    high: Decimal

    def __post_init__(self):
        if self.low > self.high:
            raise RangeError(f"The low figure ({self.low}) is more than the high ({self.high}).")

    @classmethod
    def of(cls, low: Decimal | None, high: Decimal | None = None) -> Range:
        """A range from a low and a high; one given alone is a point."""
        if low is None and high is None:
            raise RangeError("Enter at least one figure.")
        low = high if low is None else low
        high = low if high is None else high
        return cls(Decimal(low), Decimal(high))

    @classmethod
    def zero(cls) -> Range:
        return cls(Decimal(0), Decimal(0))

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    def __add__(self, other: Range) -> Range:
        if not isinstance(other, Range):
            return NotImplemented
        return Range(self.low + other.low, self.high + other.high)

    def __radd__(self, other):
        if other == 0:  # sum() starts from 0
            return self
        return NotImplemented


@dataclass(frozen=True)
class Figure:
    """One year figure, as the totals need it: which measure, year (None: not stated),
    group (e.g. the programme it counts towards), amount and confidence."""

    measure: str
    year: int | None
    amount: Range
    confidence: str
    group: Hashable = None
    recurring: bool = False


def total(figures: Iterable[Figure]) -> Range:
    """The sum of figures of one confidence; MixedConfidenceError if there are several."""
    figures = list(figures)
    confidences = {f.confidence for f in figures}
    if len(confidences) > 1:
        raise MixedConfidenceError(
            "These figures are of different confidences ("
            + ", ".join(c for c in CONFIDENCES if c in confidences)
            + "): total each confidence on its own."
        )
    return sum((f.amount for f in figures), Range.zero())


def by_confidence(figures: Iterable[Figure]) -> dict[str, Range]:
    """One total per confidence present."""
    found: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures:
        found[figure.confidence].append(figure)
    return {c: total(found[c]) for c in CONFIDENCES if c in found}


@dataclass(frozen=True)
class Row:
    """A table row: its key (a year, a programme) and one total per confidence (absent where
    no figure has that confidence), and whether any of its figures recurs."""

    key: Hashable
    totals: dict[str, Range]
    recurring: bool = False

    def cell(self, confidence: str) -> Range | None:
        return self.totals.get(confidence)


def _rows(figures: Iterable[Figure], key, order) -> list[Row]:
    grouped: dict[Hashable, list[Figure]] = defaultdict(list)
    for figure in figures:
        grouped[key(figure)].append(figure)
    return [
        Row(k, by_confidence(grouped[k]), any(f.recurring for f in grouped[k]))
        for k in order(grouped)
    ]


def _years_in_order(keys) -> list:
    """Financial years in order, "not stated" (None) last."""
    return sorted(keys, key=lambda y: (y is None, y or 0))


def totals_by_year(figures: Iterable[Figure], measure: str) -> list[Row]:
    """One row per financial year (None last: not stated), totals per confidence."""
    return _rows((f for f in figures if f.measure == measure), lambda f: f.year, _years_in_order)


def totals_by_group(figures: Iterable[Figure], measure: str, order: list) -> list[Row]:
    """One row per group (programme) in `order`, totals per confidence. Groups with no
    figure for the measure are left out."""
    return _rows(
        (f for f in figures if f.measure == measure),
        lambda f: f.group,
        lambda found: [g for g in order if g in found],
    )


def grand_total(rows: list[Row]) -> Row:
    """The rows added up, still per confidence."""
    totals: dict[str, Range] = {}
    for row in rows:
        for confidence, amount in row.totals.items():
            totals[confidence] = totals.get(confidence, Range.zero()) + amount
    return Row("total", {c: totals[c] for c in CONFIDENCES if c in totals})


@dataclass(frozen=True)
class PlannedDelivered:
    """One year: what was planned (estimate and validated, each on its own) and delivered."""

    year: int | None
    estimate: Range | None
    validated: Range | None
    delivered: Range | None

    @property
    def shortfall_against_validated(self) -> Range | None:
        """Validated minus delivered (a range: validated's low less delivered's high to
        validated's high less delivered's low), when both are known."""
        if self.validated is None or self.delivered is None:
            return None
        return Range(
            self.validated.low - self.delivered.high, self.validated.high - self.delivered.low
        )


def planned_against_delivered(figures: Iterable[Figure], measure: str) -> list[PlannedDelivered]:
    return [
        PlannedDelivered(
            row.key, row.cell("estimate"), row.cell("validated"), row.cell("delivered")
        )
        for row in totals_by_year(figures, measure)
    ]


# --- printing --------------------------------------------------------------------------------


def money(value: Decimal) -> str:
    """£3.4m when the amount is a whole number of ten-thousands of pounds and at least a
    million (nothing lost in the rounding), else the full figure: £340,000, £1,234,567.89."""
    return format_money(value, millions=True)


def number(value: Decimal) -> str:
    """12.5, 1,200: no trailing zeros (an FTE is not money)."""
    sign = MINUS if value < 0 else ""
    text = f"{abs(value):,.2f}".rstrip("0").rstrip(".")
    return sign + text


def format_range(amount: Range, *, is_money: bool) -> str:
    """'£3.4m–£5.4m', '£340,000', '35–60'; 'to' between the ends when one is negative, so
    the dash is not read as a minus."""
    show = money if is_money else number
    if amount.is_point:
        return show(amount.low)
    joint = " to " if amount.low < 0 or amount.high < 0 else "–"
    return f"{show(amount.low)}{joint}{show(amount.high)}"
