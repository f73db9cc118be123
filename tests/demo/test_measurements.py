"""The SSP demo's synthetic measurements: reproducible, idempotent, flagged, and shaped so the
SPC charts show special causes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from demo import ccg, measurements, ssp
from kpis import spc
from kpis.models import KPI, KPITarget, Measurement
from planning.fy import Quarter
from planning.models import Plan
from reporting.scorecard import scorecard_for


@pytest.fixture
def ssp_plan(demo):
    return Plan.objects.get(slug=ssp.PLAN_SLUG)


def analysed(plan, code):
    kpi = KPI.objects.get(plan=plan, code=code)
    ms = list(kpi.measurements.order_by("period_start"))
    return ms, spc.analyse(
        [m.value for m in ms],
        improvement=kpi.improvement,
        target=kpi.current_target.target if kpi.current_target else None,
        rebase_at=[i for i, m in enumerate(ms) if i and m.starts_new_limits],
    )


@pytest.mark.django_db
class TestDemoMeasurements:
    def test_loaded_for_ssp_only_and_all_synthetic(self, ssp_plan):
        ms = Measurement.objects.filter(kpi__plan=ssp_plan)
        assert ms.count() == 11 * 12 + 3  # 11 quarterly KPIs × 12 quarters, L4 × 3 years
        assert not ms.filter(synthetic=False).exists()
        first, last = ms.order_by("period_start").first(), ms.order_by("period_start").last()
        assert (first.period_start.isoformat(), last.period_start.isoformat()) == (
            "2005-04-01",
            "2008-01-01",
        )
        assert not Measurement.objects.filter(kpi__plan__slug=ccg.PLAN_SLUG).exists()

    def test_idempotent_and_reproducible(self, ssp_plan):
        values = list(
            Measurement.objects.order_by("kpi__code", "period_start").values_list(
                "kpi__code", "period_start", "value"
            )
        )
        assert measurements.load_demo_measurements(ssp_plan) == 0
        assert Measurement.objects.filter(kpi__plan=ssp_plan).count() == len(values)
        # The same seed gives the same figures on every machine and every load.
        l2 = KPI.objects.get(plan=ssp_plan, code="L2")
        assert [m.value for m in measurements.generate(l2)] == [
            v for c, _, v in values if c == "L2"
        ]
        assert [v for c, _, v in values if c == "L2"][:3] == [D("57.3"), D("52.5"), D("61.4")]

    def test_demo_targets(self, ssp_plan):
        # One target each, in force from the first synthetic figure (2005/06, before the
        # plan's start), so every demo quarter is rated as before targets had dates.
        rows = KPITarget.objects.filter(kpi__plan=ssp_plan, target__isnull=False)
        assert {r.effective_from for r in rows} == {dt.date(2005, 4, 1)}
        targets = {r.kpi.code: (r.target, r.tolerance, r.kpi.polarity) for r in rows}
        assert targets == {
            "F3": (D("200"), D("20"), "higher"),  # the printed target
            "P1": (D("4"), D("0.5"), "lower"),
            "L1": (D("95"), D("5"), "higher"),
            "L2": (D("90"), D("10"), "higher"),
        }

    def test_the_charts_show_special_causes(self, ssp_plan):
        # L2: the PDR action plan from Q2 2006/07 is a sustained improvement.
        ms, result = analysed(ssp_plan, "L2")
        assert result.variation == "improvement_high"
        after = [p for p, m in zip(result.points, ms, strict=True) if m.period_start.year >= 2007]
        assert after and all(p.point_type == "special_cause_improvement" for p in after)
        # P1: the winter outbreak is a concern beyond the upper limit, then a run below the
        # mean once the sickness absence plan works (lower is better: an improvement).
        ms, result = analysed(ssp_plan, "P1")
        outbreak = result.points[3]
        assert ms[3].period_start.isoformat() == "2006-01-01"
        assert (outbreak.special_cause_type, outbreak.point_type) == (
            "above_upper_limit",
            "special_cause_concern",
        )
        assert all(p.point_type == "special_cause_improvement" for p in result.points[5:])
        assert "run_below" in {p.special_cause_type for p in result.points[5:]}
        # C6: the HQ move is a spike that is neither better nor worse.
        _, result = analysed(ssp_plan, "C6")
        assert result.points[6].point_type == "special_cause_neutral_high"
        # C5: the new cost model recalculates the limits.
        _, result = analysed(ssp_plan, "C5")
        assert [g.start for g in result.groups] == [0, 6]
        # L1: the rise shows as a special cause improvement.
        _, result = analysed(ssp_plan, "L1")
        assert result.variation == "improvement_high"

    def test_the_scorecard_reads_the_demo(self, ssp_plan):
        card = scorecard_for(ssp_plan, Quarter(2006, 4))
        assert card.synthetic
        assert {e.reference for e in card.exceptions if e.kind == "KPI"} == {"L1", "L2"}
        assert any(c.what == "Variation" for c in card.changes)
        assert all(e.narrative for e in card.exceptions if e.kind == "KPI")
