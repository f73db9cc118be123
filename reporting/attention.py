"""What needs a planner's attention on the plan page: the items with no progress update for the
quarter being reported, and the KPIs with no value for it. Two queries, whatever the plan's size.

The quarter is the current one, or the plan's last quarter for a plan that has ended (its
final quarter is the one still to be completed); a plan not yet started needs nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from kpis.models import KPI, Frequency, Measurement
from objectives.models import Objective, ProgressStatus, ProgressUpdate
from planning import fy
from planning.fy import Quarter

SHOWN = 10  # items and KPIs listed by name; the rest are counted


@dataclass
class Attention:
    quarter: Quarter
    not_updated: list[Objective]
    kpis_without_value: list[KPI]

    @property
    def empty(self) -> bool:
        return not self.not_updated and not self.kpis_without_value

    @property
    def items_shown(self) -> list[Objective]:
        return self.not_updated[:SHOWN]

    @property
    def items_more(self) -> int:
        return max(len(self.not_updated) - SHOWN, 0)

    @property
    def kpis_shown(self) -> list[KPI]:
        return self.kpis_without_value[:SHOWN]

    @property
    def kpis_more(self) -> int:
        return max(len(self.kpis_without_value) - SHOWN, 0)


def reporting_quarter(plan, today: dt.date | None = None) -> Quarter | None:
    current = Quarter.containing(today or timezone.localdate())
    first, last = Quarter(plan.start_year, 1), Quarter(plan.end_year, 4)
    if current < first:
        return None
    return min(current, last)


def needs_attention(plan, today: dt.date | None = None) -> Attention | None:
    quarter = reporting_quarter(plan, today)
    if quarter is None:
        return None
    updated = ProgressUpdate.objects.filter(
        objective=OuterRef("pk"), financial_year=quarter.year, quarter=quarter.number
    )
    objectives = (
        Objective.objects.filter(plan=plan)
        .exclude(status__in=ProgressStatus.closed_values())
        .exclude(Exists(updated))
        .order_by("order", "pk")
    )
    # A monthly or quarterly KPI owes a value for a period in the quarter; an annual one, for
    # the financial year the quarter belongs to.
    in_quarter = Q(period_start__gte=quarter.start, period_start__lte=quarter.end)
    in_year = Q(period_start__gte=fy.fy_start(quarter.year), period_start__lte=quarter.end)
    measured = Measurement.objects.filter(kpi=OuterRef("pk")).filter(
        (Q(kpi__frequency=Frequency.ANNUAL) & in_year)
        | (~Q(kpi__frequency=Frequency.ANNUAL) & in_quarter)
    )
    kpis = KPI.objects.filter(plan=plan).exclude(Exists(measured)).order_by("code")
    return Attention(quarter=quarter, not_updated=list(objectives), kpis_without_value=list(kpis))
