"""Rolling forward a 2,000-objective plan (issue 12: target under 5 s)."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal

from benchmarks.harness import bench

ITEMS = 2000
KPIS = 50


def _source(n: int):
    """A plan of ITEMS objectives (one in ten closed), each with two milestones (one done),
    a role and a KPI link; KPIS KPIs with a target and twelve quarterly values."""
    from kpis.models import KPI, KPITarget, Measurement
    from objectives.models import Milestone, Objective
    from planning.fy import Quarter
    from planning.models import Organisation, Plan, Programme, Role, StrategicPriority

    org = Organisation.objects.create(
        name=f"Roll Forward Bench Trust {n}", slug=f"rollforward-bench-{n}", kind="trust"
    )
    plan = Plan.objects.create(
        organisation=org,
        kind="business_plan",
        title="Bench Plan",
        slug=f"rollforward-bench-plan-{n}-2024-25",
        start_year=2024,
        end_year=2024,
    )
    priorities = StrategicPriority.objects.bulk_create(
        [StrategicPriority(plan=plan, number=i + 1, title=f"Priority {i}") for i in range(8)]
    )
    programmes = Programme.objects.bulk_create(
        [Programme(plan=plan, number=i + 1, title=f"Programme {i}") for i in range(10)]
    )
    role = Role.objects.create(organisation=org, title="Director")
    kpis = KPI.objects.bulk_create(
        [KPI(plan=plan, code=f"L{i + 1}", name=f"KPI {i}", perspective="L") for i in range(KPIS)]
    )
    KPITarget.objects.bulk_create(
        [KPITarget(kpi=k, effective_from=dt.date(2024, 4, 1), target=Decimal(50)) for k in kpis]
    )
    quarters = [Quarter(2022, 1)]
    while len(quarters) < 12:
        quarters.append(quarters[-1].next())
    Measurement.objects.bulk_create(
        [
            Measurement(kpi=k, period_start=q.start, value=Decimal(40 + i))
            for k in kpis
            for i, q in enumerate(quarters)
        ]
    )
    items = Objective.objects.bulk_create(
        [
            Objective(
                plan=plan,
                kind="operational",
                text=f"Objective {i}",
                reference=f"B-{i}",
                order=i,
                strategic_priority=priorities[i % 8],
                programme=programmes[i % 10],
                status="completed" if i % 10 == 0 else "in_progress",
                percent_complete=100 if i % 10 == 0 else 40,
            )
            for i in range(ITEMS)
        ]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                objective=o,
                text=f"Milestone {j}",
                order=j,
                completed_on=dt.date(2024, 6, 1) if j == 0 else None,
            )
            for o in items
            for j in range(2)
        ]
    )
    Objective.lead_roles.through.objects.bulk_create(
        [Objective.lead_roles.through(objective=o, role=role) for o in items]
    )
    Objective.kpis.through.objects.bulk_create(
        [Objective.kpis.through(objective=o, kpi=kpis[i % KPIS]) for i, o in enumerate(items)]
    )
    return plan


@bench("rollforward")
def rollforward() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from objectives.models import Objective
    from planning.models import User
    from planning.rollforward import roll_forward

    user = User.objects.create_user("rollforward-bench", is_superuser=True)
    sources = [_source(n) for n in range(3)]
    print(f"{ITEMS:,} objectives (one in ten closed), {2 * ITEMS:,} milestones, {KPIS} KPIs")
    durations, queries = [], 0
    for source in sources:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            made = roll_forward(plan=source, first_year=2025, by=user)
            durations.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
        assert made.created
        carried = Objective.objects.filter(plan=made.plan).count()
        assert carried == ITEMS - ITEMS // 10, carried
    print(
        f"{'roll forward (2,000 objectives)':<38} queries {queries:>3}   "
        f"median {statistics.median(durations) * 1000:8.1f} ms   "
        f"max {max(durations) * 1000:8.1f} ms   (target < 5,000 ms)"
    )
