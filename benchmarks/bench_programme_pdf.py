"""The programme report PDF (issue 15) of a SYNTHETIC delivery plan of 300 interventions.

Five programmes of two workstreams each; the interventions dealt round the ten workstreams,
each with a milestone, a progress update, three years of savings ranges and an FTE change,
and a "needs" dependency on the intervention before it in its workstream; twenty risks of the
register at programme level; a board over five programme boards, with a decisions log. All of
it made up (every title says "Synthetic"), only for timing. Same measure() as bench_pdf: our
whole path with an empty cache, split into assembly and render, against bare WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from benchmarks.harness import bench

WORDS = "to deliver the service to partners on time within budget and to standard "


def synthetic_programme(interventions: int = 300, *, slug: str = "bench-programme"):
    """A synthetic partnership's delivery plan with `interventions` interventions."""
    from assurance.models import Control, ControlKind, Risk
    from delivery.models import (
        BodyKind,
        Confidence,
        Decision,
        DeliveryItem,
        DeliveryUpdate,
        Dependency,
        DependencyKind,
        GovernanceBody,
        Level,
        Measure,
        YearFigure,
    )
    from objectives.models import ProgressStatus
    from planning.models import Organisation, PartnershipMember, Plan

    partnership = Organisation.objects.create(
        name=f"Synthetic partnership {slug}", slug=f"{slug}-org", kind="partnership"
    )
    members = [
        Organisation.objects.create(
            name=f"Synthetic trust {n} {slug}", slug=f"{slug}-m{n}", kind="trust"
        )
        for n in range(1, 4)
    ]
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, member=m, order=n)
        for n, m in enumerate(members, start=1)
    )
    plan = Plan.objects.create(
        organisation=partnership,
        kind="delivery_plan",
        title="Synthetic delivery plan",
        slug=slug,
        start_year=2025,
        end_year=2027,
        core_purpose="Synthetic: " + WORDS * 3,
    )
    order = 0

    def item(**fields):
        nonlocal order
        order += 1
        return DeliveryItem(plan=plan, order=order, description=f"Synthetic. {WORDS * 2}", **fields)

    programmes = DeliveryItem.objects.bulk_create(
        item(level=Level.PROGRAMME, reference=f"P{p}", title=f"Synthetic programme {p}",
             scope=WORDS, outcomes=WORDS, sro_text=f"Synthetic SRO {p}")
        for p in range(1, 6)
    )  # fmt: skip
    workstreams = DeliveryItem.objects.bulk_create(
        item(level=Level.WORKSTREAM, parent=programme, reference=f"{programme.reference}.{w}",
             title=f"Synthetic workstream {programme.reference}.{w}")
        for programme in programmes
        for w in (1, 2)
    )  # fmt: skip
    rows = DeliveryItem.objects.bulk_create(
        item(level=Level.INTERVENTION, parent=workstreams[i % 10],
             reference=f"{workstreams[i % 10].reference}.{i // 10 + 1}",
             title=f"Synthetic intervention {i + 1}", timescale_text="within 3 months",
             due_date=dt.date(2025, 6, 30), status=ProgressStatus.IN_PROGRESS)
        for i in range(interventions)
    )  # fmt: skip
    milestones = DeliveryItem.objects.bulk_create(
        item(level=Level.MILESTONE, parent=row, reference=f"{row.reference}.M",
             title=f"Synthetic milestone of {row.title}", due_date=dt.date(2026, 3, 31))
        for row in rows
    )  # fmt: skip
    updates = DeliveryUpdate.objects.bulk_create(
        DeliveryUpdate(item=row, as_at=dt.date(2025, 9, 30), status=ProgressStatus.IN_PROGRESS,
                       rag="amber", progress=f"Synthetic progress. {WORDS}",
                       next_steps=f"Synthetic next step. {WORDS}")
        for row in rows
    )  # fmt: skip
    for row, update in zip(rows, updates, strict=True):
        row.latest_update = update
    DeliveryItem.objects.bulk_update(rows, ["latest_update"])
    YearFigure.objects.bulk_create(
        YearFigure(item=row, measure=measure, financial_year=year, low=Decimal(low),
                   high=Decimal(high), confidence=Confidence.ESTIMATE, note="Synthetic")
        for n, row in enumerate(rows)
        for measure, year, low, high in (
            (Measure.GROSS_SAVINGS, 2025, 1000 + n, 2000 + n),
            (Measure.GROSS_SAVINGS, 2026, 2000 + n, 4000 + n),
            (Measure.GROSS_SAVINGS, 2027, 3000 + n, 3000 + n),
            (Measure.FTE, 2026, -2, -1),
        )
    )  # fmt: skip
    Dependency.objects.bulk_create(
        Dependency(item=row, kind=DependencyKind.NEEDS, on_item=rows[n - 10], note="Synthetic")
        for n, row in enumerate(rows)
        if n >= 10
    )
    through = DeliveryItem.organisations.through
    through.objects.bulk_create(
        through(deliveryitem_id=row.pk, organisation_id=members[n % 3].pk)
        for n, row in enumerate([*rows, *milestones])
    )
    risks = Risk.objects.bulk_create(
        Risk(organisation=partnership, reference=f"SYN {n}", title=f"Synthetic risk {n}",
             event=WORDS, synthetic=True)
        for n in range(1, 21)
    )  # fmt: skip
    Control.objects.bulk_create(
        Control(risk=r, kind=ControlKind.CONTROL, description="Synthetic control", order=1)
        for r in risks
    )
    links = DeliveryItem.risks.through
    links.objects.bulk_create(
        links(deliveryitem_id=programmes[n % 5].pk, risk_id=r.pk) for n, r in enumerate(risks)
    )
    board = GovernanceBody.objects.create(
        organisation=partnership, name="Synthetic board", kind=BodyKind.BOARD
    )
    board.plans.add(plan)
    for programme in programmes:
        body = GovernanceBody.objects.create(
            organisation=partnership,
            parent=board,
            name=f"Synthetic board of {programme.reference}",
            kind=BodyKind.PROGRAMME_BOARD,
            meeting_frequency="Monthly",
        )
        body.items.add(programme)
        decision = Decision.objects.create(
            body=body, date=dt.date(2025, 10, 1), decision=f"Synthetic decision. {WORDS}"
        )
        decision.items.add(programme)
    return plan


@bench("programme-pdf")
def programme_pdf() -> None:
    from benchmarks.bench_pdf import measure
    from reporting.documents.spec import DocumentSpec, Kind

    plan = synthetic_programme(300)
    print("synthetic delivery plan: 5 programmes, 10 workstreams, 300 interventions + milestones")
    measure(
        "synthetic programme report (300 interventions)",
        DocumentSpec(Kind.PROGRAMME, plan_id=plan.pk),
        repeat=2,
    )
