"""A savings programme's totals: target against delivered, by year and overall. Plain Python.

Every scheme counts, whatever its status: a withdrawn scheme keeps its target in the totals, so
the gap it leaves stays visible rather than vanishing from the programme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from planning import fy

ZERO = Decimal("0")


@dataclass(frozen=True)
class TargetItem:
    """Input: one scheme's target and delivery for one year."""

    financial_year: int
    target: Decimal
    delivered: Decimal


@dataclass(frozen=True)
class Total:
    label: str
    target: Decimal
    delivered: Decimal
    financial_year: int | None = None

    @property
    def difference(self) -> Decimal:
        """Delivered less target: negative is a shortfall."""
        return self.delivered - self.target

    @property
    def percent_delivered(self) -> Decimal | None:
        if self.target == 0:
            return None
        return (self.delivered / self.target * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def is_shortfall(self) -> bool:
        return self.difference < 0


def by_year(items: Iterable[TargetItem], years: Iterable[int] = ()) -> list[Total]:
    """A total per financial year (each of `years`, and any other year an item has)."""
    totals: dict[int, list[Decimal]] = {year: [ZERO, ZERO] for year in years}
    for item in items:
        pair = totals.setdefault(item.financial_year, [ZERO, ZERO])
        pair[0] += item.target
        pair[1] += item.delivered
    return [
        Total(fy.fy_label(year), target, delivered, financial_year=year)
        for year, (target, delivered) in sorted(totals.items())
    ]


def overall(totals: Iterable[Total], label: str = "All years") -> Total:
    totals = list(totals)
    return Total(
        label,
        sum((t.target for t in totals), ZERO),
        sum((t.delivered for t in totals), ZERO),
    )
