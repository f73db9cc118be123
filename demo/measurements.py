"""Synthetic demo measurements for the SSP Business Plan 2006/07's twelve KPIs.

The plan prints its KPIs but no figures (only F3's target, a 200% return on investment), so the
demo generates them: 2005/06 to 2007/08, a year either side of the plan, 12 quarters for the
quarterly KPIs and 3 years for the annual staff survey (L4). Every measurement is marked
``synthetic`` and the pages say so.

Each KPI's generator is ``random.Random`` seeded by SEED and the KPI's code, so every load gives
the same figures. Each series is a baseline with noise plus, for some, a designed event, so the
charts show what SPC is for:

* L2 PDRs completed: the PDR action plan from Q2 2006/07 lifts completion from about 58% to about
  84%: a shift (a run above the mean, points beyond the limits): special cause improvement.
* P1 sickness rate and P2 sickness cost: a winter outbreak in Q4 2005/06 (an outlier above the
  upper limit: concern), then the sickness absence action plan from Q2 2006/07 brings them
  down: a run below the mean, an improvement.
* L1 mandatory training: a steady rise from Q1 2006/07, a trend.
* C6 helpdesk jobs: a spike when the HQ moved in Q3 2006/07 (neither better nor worse).
* C5 site running cost per m2: the cost model changed in Q3 2006/07 (rates and service charges
  included), so the limits are recalculated from there (a rebase).
* F2, F3, L5, L6, L7: common cause variation only.

Demo targets and tolerances are set where a KPI has a natural one (and none is set already),
in force from the first generated period (kpis.models.KPITarget):
F3 keeps its printed 200% (tolerance 20), P1 sickness 4% (lower is better, tolerance 0.5),
L1 mandatory training 95% (tolerance 5), L2 PDRs 90% (tolerance 10).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from kpis import periods
from kpis.models import KPI, KPITarget, Measurement

SEED = 20060401
FIRST_FY, LAST_FY = 2005, 2007  # 2005/06 to 2007/08


@dataclass(frozen=True)
class Series:
    """How one KPI's figures are made: baseline + noise, then events by period index."""

    mean: float
    noise: float
    places: int = 2
    steps: dict[int, float] = field(default_factory=dict)  # from index i on, add this
    spikes: dict[int, float] = field(default_factory=dict)  # at index i only, add this
    rise: tuple[int, float] | None = None  # from index i, add this much more each period
    rebase_at: int | None = None
    target: Decimal | None = None
    tolerance: Decimal | None = None


# Quarter indices: 0-3 are 2005/06, 4-7 the plan's year 2006/07, 8-11 are 2007/08.
SERIES: dict[str, Series] = {
    "F2": Series(mean=3_150_000, noise=70_000, places=0),
    "F3": Series(mean=204, noise=12, places=1, target=Decimal("200"), tolerance=Decimal("20")),
    "C5": Series(mean=31.5, noise=0.6, steps={6: 3.4}, rebase_at=6),
    "C6": Series(mean=1450, noise=45, places=0, spikes={6: 420}),
    "P1": Series(
        mean=4.7,
        noise=0.12,
        steps={5: -0.75},
        spikes={3: 1.5},
        target=Decimal("4"),
        tolerance=Decimal("0.5"),
    ),
    "P2": Series(mean=64_000, noise=1_800, places=0, steps={5: -10_500}, spikes={3: 21_000}),
    "L1": Series(
        mean=83.5, noise=0.3, places=1, rise=(4, 1.6), target=Decimal("95"), tolerance=Decimal("5")
    ),
    "L2": Series(
        mean=58, noise=2.5, places=1, steps={5: 26}, target=Decimal("90"), tolerance=Decimal("10")
    ),
    "L4": Series(mean=3.45, noise=0.04, steps={1: 0.1, 2: 0.12}),
    "L5": Series(mean=31.5, noise=0.8, places=1),
    "L6": Series(mean=140, noise=11, places=0),
    "L7": Series(mean=9, noise=1.4, places=0),
}

COMMENTARY: dict[tuple[str, str], str] = {
    ("L2", "2006-Q1"): "PDR completion still low; the PDR action plan has been agreed by the "
    "management team.",
    ("L2", "2006-Q2"): "PDR action plan launched: managers trained in appraisal and every PDR "
    "booked.",
    ("L2", "2006-Q3"): "Completion sustained above 80%; Estates and Transport still behind.",
    ("L2", "2006-Q4"): "Below the 90% target: new starters' PDRs are due after their probation.",
    ("P1", "2005-Q4"): "Winter norovirus outbreak across the sites: short-term absence doubled.",
    ("P1", "2006-Q2"): "Sickness absence action plan in place: return-to-work interviews for "
    "every absence.",
    ("P1", "2006-Q3"): "Long-term cases managed with occupational health; short-term absence down.",
    ("P1", "2006-Q4"): "Close to the 4% target; two long-term absences continue.",
    ("P2", "2005-Q4"): "Agency cover for the winter outbreak.",
    ("L1", "2006-Q1"): "Mandatory training plan relaunched with e-learning modules.",
    ("L1", "2006-Q4"): "Rising each quarter but short of the 95% target: fire safety sessions "
    "are booked for Q1.",
    ("F3", "2006-Q4"): "Savings on the supplies contracts in line with the plan.",
    ("C5", "2006-Q3"): "New estates cost model: rates and service charges are now included, so "
    "the limits are recalculated from this quarter.",
    ("C6", "2006-Q3"): "HQ relocation: desk moves and new phone lines raised the job count.",
}


def _values(series: Series, count: int, rng: random.Random) -> list[Decimal]:
    values = []
    for i in range(count):
        value = series.mean + rng.gauss(0, series.noise)
        value += sum(delta for start, delta in series.steps.items() if i >= start)
        value += series.spikes.get(i, 0)
        if series.rise and i >= series.rise[0]:
            value += series.rise[1] * (i - series.rise[0] + 1)
        values.append(Decimal(f"{value:.{series.places}f}"))
    return values


def generate(kpi: KPI) -> list[Measurement]:
    """The KPI's synthetic measurements (unsaved), or none if it has no series here. Each KPI
    has its own generator, seeded by SEED and its code, so the figures never depend on which
    other KPIs exist."""
    series = SERIES.get(kpi.code)
    if series is None:
        return []
    rng = random.Random(f"{SEED}-{kpi.code}")  # noqa: S311 - reproducible demo figures
    starts = periods.starts(FIRST_FY, LAST_FY, kpi.frequency)
    values = _values(series, len(starts), rng)
    return [
        Measurement(
            kpi=kpi,
            period_start=start,
            value=value,
            commentary=COMMENTARY.get((kpi.code, periods.key(start, kpi.frequency)), ""),
            starts_new_limits=series.rebase_at == i,
            synthetic=True,
        )
        for i, (start, value) in enumerate(zip(starts, values, strict=True))
    ]


def load_demo_measurements(plan) -> int:
    """Give the SSP plan's KPIs their demo targets and synthetic measurements; return how many
    measurements were created. Does nothing (returns 0) if the plan has any measurement."""
    if Measurement.objects.filter(kpi__plan=plan).exists():
        return 0
    rows: list[Measurement] = []
    for kpi in KPI.objects.filter(plan=plan).select_related("plan").order_by("code"):
        series = SERIES.get(kpi.code)
        if series is None:
            continue
        generated = generate(kpi)
        if series.target is not None:
            _set_demo_target(kpi, series, generated[0].period_start)
        rows.extend(generated)
    bulk_create_with_history(rows, Measurement)
    return len(rows)


def _set_demo_target(kpi, series: Series, first_period) -> None:
    """The demo target, in force from the KPI's first figure (before the plan's start): a
    printed target (F3's) keeps its figure and only gains the demo tolerance."""
    start = min(kpi.existed_from, first_period)
    first = kpi.targets.order_by("effective_from").first()
    if first is None:
        KPITarget.objects.create(
            kpi=kpi, effective_from=start, target=series.target, tolerance=series.tolerance
        )
    elif first.tolerance is None:
        first.effective_from = min(first.effective_from, start)
        first.tolerance = series.tolerance
        first.save(update_fields=["effective_from", "tolerance"])


def report(plan) -> list[str]:
    """load_demo_measurements as a line for load_demo's report."""
    created = load_demo_measurements(plan)
    if not created:
        return []
    return [f"Added {created} synthetic demo measurements to {plan}"]
