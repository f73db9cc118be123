"""PDF exports: the SSP plan and a synthetic plan of 1,000 objectives and 200 KPIs.

For each document: pages, the time of our whole path with an empty cache (fingerprint, the
selectors' reads, the template, the render in a child process under limits), split into
assembly (records to HTML) and render, and pages per second; beside it the same HTML rendered by
bare WeasyPrint in this process (HTML(string=...).write_pdf(), no fetcher, limits or child
process; once with WeasyPrint's defaults and once tagged PDF/UA-1 as ours), so the overhead of
our assembly shows as a ratio. Then the time of a cached request (fingerprint + file lookup).
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from benchmarks.harness import bench, record

REPEAT = 3


def _median_time(func, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def _line(label: str, seconds: float, pages: int | None = None, extra: str = "") -> str:
    rate = f"{pages / seconds:6.1f} pages/s" if pages and seconds else " " * 13
    count = f"{pages:4d} pages" if pages else " " * 10
    return f"  {label:<44} {seconds * 1000:9.0f} ms  {count}  {rate}  {extra}"


def measure(title: str, spec, repeat: int = REPEAT) -> None:
    import logging

    from weasyprint import HTML

    from reporting.documents import assemble, exports, render
    from reporting.documents.fingerprint import fingerprint

    logging.getLogger("reporting.documents").setLevel(logging.WARNING)
    print(title)
    media = Path(tempfile.mkdtemp(prefix="bench-pdf-"))

    def ours():
        for old in media.glob("exports/*.pdf"):
            old.unlink()
        return exports.get_or_render(spec)

    from django.test import override_settings

    with override_settings(MEDIA_ROOT=media, PDF_RENDER_TIMEOUT=600):
        total, export = _median_time(ours, repeat)
        pages = export.result.pages
        assembly, html = _median_time(lambda: assemble.html_for(spec), repeat)
        fp_time, _ = _median_time(lambda: fingerprint(spec), repeat)
        child, _ = _median_time(lambda: exports.render_to("exports/child.pdf", html), repeat)
        cached, _ = _median_time(lambda: exports.get_or_render(spec), repeat)

    base_url = assemble.base_url()
    bare, _ = _median_time(lambda: HTML(string=html, base_url=base_url).write_pdf(), repeat)
    bare_ua, _ = _median_time(
        lambda: HTML(string=html, base_url=base_url).write_pdf(**render.pdf_options()), repeat
    )
    print(
        _line("ours: export with an empty cache (total)", total, pages, f"x{total / bare:.2f} bare")
    )
    print(_line("  fingerprint (cache key)", fp_time))
    print(
        _line(
            "  assembly: selectors + template -> HTML",
            assembly,
            None,
            f"{len(html) // 1024} KB HTML",
        )
    )
    print(_line("  render: child process, limits, PDF/UA", child, pages))
    print(_line("bare WeasyPrint, same HTML, defaults", bare, pages))
    print(
        _line(
            "bare WeasyPrint, same HTML, PDF/UA-1", bare_ua, pages, f"ours x{total / bare_ua:.2f}"
        )
    )
    print(_line("ours: unchanged, served from the cache", cached))
    record(
        title,
        pages=pages,
        total_ms=round(total * 1000, 1),
        fingerprint_ms=round(fp_time * 1000, 1),
        assembly_ms=round(assembly * 1000, 1),
        render_ms=round(child * 1000, 1),
        bare_ms=round(bare * 1000, 1),
        bare_pdfua_ms=round(bare_ua * 1000, 1),
        cached_ms=round(cached * 1000, 2),
        html_kb=len(html) // 1024,
        # For docs/capacity.md (python -m loadtest.capacity): what a render costs a task worker.
        render_s=round(total, 3),
    )


def synthetic_plan(objectives: int = 1000, kpis: int = 200):
    from kpis.models import KPI, KPITarget, Measurement
    from objectives.models import Objective
    from planning.models import (
        Organisation,
        OrgUnit,
        Plan,
        PlanSection,
        StrategicObjective,
        StrategicPriority,
    )

    org = Organisation.objects.create(name="Bench Trust", slug="bench-trust", kind="trust")
    plan = Plan.objects.create(
        organisation=org,
        kind="business_plan",
        title="Bench Plan",
        slug="bench-plan",
        start_year=2025,
        end_year=2025,
    )
    words = "to deliver the service to partners on time within budget and to standard " * 2
    PlanSection.objects.bulk_create(
        PlanSection(
            plan=plan, kind="other", title=f"{n}. Section {n}", body=(words + "\n\n") * 8, order=n
        )
        for n in range(1, 13)
    )
    priorities = StrategicPriority.objects.bulk_create(
        StrategicPriority(plan=plan, number=n, title=f"Priority {n} {words[:60]}")
        for n in range(1, 8)
    )
    short_term = StrategicObjective.objects.bulk_create(
        StrategicObjective(plan=plan, number=n, text=f"Objective {n} {words[:80]}")
        for n in range(1, 14)
    )
    units = OrgUnit.objects.bulk_create(
        OrgUnit(organisation=org, name=f"Department {n}", kind="department", order=n)
        for n in range(1, 21)
    )
    indicators = KPI.objects.bulk_create(
        KPI(
            plan=plan,
            code=f"{'FCPL'[n % 4]}{n}",
            name=f"Indicator {n}",
            perspective="FCPL"[n % 4],
            unit="%",
        )
        for n in range(1, kpis + 1)
    )
    KPITarget.objects.bulk_create(
        KPITarget(kpi=kpi, effective_from=dt.date(2025, 4, 1), target=Decimal(90))
        for kpi in indicators
    )
    Measurement.objects.bulk_create(
        Measurement(kpi=kpi, period_start=dt.date(2025, month, 1), value=Decimal(80 + month % 7))
        for kpi in indicators
        for month in range(4, 13)
    )
    rows = Objective.objects.bulk_create(
        Objective(
            plan=plan,
            kind="operational",
            org_unit=units[i % len(units)],
            reference=f"B-{i}",
            text=f"Objective {i}: {words[: 40 + i % 80]}",
            measure=f"Progress against plan - {'FCPL'[i % 4]}{i % kpis + 1}",
            due_text="Mar 26",
            strategic_priority=priorities[i % 7] if i % 3 else None,
            strategic_objective=short_term[i % 13] if i % 2 else None,
            order=i,
        )
        for i in range(objectives)
    )
    Link = Objective.kpis.through
    Link.objects.bulk_create(
        Link(objective=o, kpi=indicators[n % kpis]) for n, o in enumerate(rows)
    )
    return plan


@bench("pdf")
def pdf_exports() -> None:
    from demo.loader import load_demo
    from planning.models import Plan
    from reporting.documents.spec import DocumentSpec, Kind

    load_demo()
    ssp = Plan.objects.get(slug="ssp-business-plan-2006-07")
    measure("SSP Business Plan 2006/07 (annual plan)", DocumentSpec(Kind.PLAN, plan_id=ssp.pk))
    measure(
        "SSP board pack Q3 2006/07 (scorecard, charts)",
        DocumentSpec(Kind.SCORECARD, plan_id=ssp.pk, quarter="2006-Q3"),
    )
    plan = synthetic_plan()
    print("synthetic plan: 1,000 objectives in 20 departments, 200 KPIs")
    measure("synthetic annual plan", DocumentSpec(Kind.PLAN, plan_id=plan.pk), repeat=2)
    measure(
        "synthetic action plan (all 1,000 rows)",
        DocumentSpec(
            Kind.ACTIONS,
            plan_id=plan.pk,
            query=f"plan={plan.pk}",
            org_ids=(plan.organisation_id,),
        ),
        repeat=2,
    )
