"""Which target is in force when: a KPI's targets by effective date. Plain Python, no queries.

A KPI's target and tolerance are kept as ``KPITarget`` rows, each in force from its
``effective_from`` until the next one's. A measurement is rated against the target in force on
the **first day of its period**, so a target that takes effect on 1 October rates October and
Q3 (October to December) by the new figure and leaves September and Q2 as they were. Before
the earliest row there is no target (no RAG).

``Schedule.of(rows)`` takes any objects with ``effective_from``, ``target`` and ``tolerance``
(the prefetched ``kpi.targets.all()``), so the pages read it without a query per KPI.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Target:
    effective_from: dt.date
    target: Decimal | None
    tolerance: Decimal | None


@dataclass(frozen=True)
class Schedule:
    """Targets in date order (one per date)."""

    targets: tuple[Target, ...] = ()
    # The effective dates, for bisect (worked out once: a scorecard asks thousands of times).
    dates: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "dates", tuple(t.effective_from for t in self.targets))

    @classmethod
    def of(cls, rows: Iterable) -> Schedule:
        items = sorted(
            (Target(r.effective_from, r.target, r.tolerance) for r in rows),
            key=lambda t: t.effective_from,
        )
        return cls(tuple(items))

    def in_force(self, day: dt.date) -> Target | None:
        """The target in force on ``day``: the latest that took effect on or before it."""
        index = bisect.bisect_right(self.dates, day)
        return self.targets[index - 1] if index else None

    def target_on(self, day: dt.date) -> Decimal | None:
        found = self.in_force(day)
        return found.target if found else None

    def targets_on(self, days: Iterable[dt.date]) -> tuple[Decimal | None, ...]:
        """``target_on`` of each day, in one pass (a scorecard asks for thousands of days)."""
        dates, targets, find = self.dates, self.targets, bisect.bisect_right
        found = [find(dates, day) for day in days]
        return tuple(targets[i - 1].target if i else None for i in found)
