"""The cache key: equal for equal records, different as soon as a shown record changes."""

from __future__ import annotations

import datetime as dt

import pytest

from reporting.documents import fingerprint as fingerprints
from reporting.documents.fingerprint import fingerprint
from reporting.documents.spec import DocumentSpec, Kind
from tests.factories import (
    IncomeLineFactory,
    KPIFactory,
    MeasurementFactory,
    ObjectiveFactory,
    ProgressUpdateFactory,
    SwotItemFactory,
)

pytestmark = pytest.mark.django_db


def plan_spec(plan, **kwargs):
    return DocumentSpec(Kind.PLAN, plan_id=plan.pk, **kwargs)


class TestFingerprint:
    def test_stable_and_independent_of_who_asks(self, plan):
        ObjectiveFactory(plan=plan)
        assert fingerprint(plan_spec(plan, user_id=1)) == fingerprint(plan_spec(plan, user_id=2))

    @pytest.mark.parametrize(
        "change",
        [
            lambda plan: SwotItemFactory(plan=plan),
            lambda plan: IncomeLineFactory(plan=plan),
            lambda plan: KPIFactory(plan=plan),
            lambda plan: plan.organisation.save(),
            lambda plan: plan.save(),
        ],
    )
    def test_the_plan_changes_with_any_record_it_shows(self, plan, change):
        before = fingerprint(plan_spec(plan))
        change(plan)
        assert fingerprint(plan_spec(plan)) != before

    def test_the_scorecard_changes_with_a_measurement_or_its_quarter(self, plan):
        kpi = KPIFactory(plan=plan)
        spec = DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter="2006-Q1")
        before = fingerprint(spec)
        measurement = MeasurementFactory(kpi=kpi, period_start=dt.date(2006, 4, 1))
        after = fingerprint(spec)
        assert after != before
        measurement.value = 99
        measurement.save()
        assert fingerprint(spec) != after
        other = DocumentSpec(Kind.SCORECARD, plan_id=plan.pk, quarter="2006-Q2")
        assert fingerprint(other) != fingerprint(spec)

    def test_the_action_plan_changes_with_progress_and_filters(self, plan):
        objective = ObjectiveFactory(plan=plan)
        spec = DocumentSpec(Kind.ACTIONS, org_ids=(plan.organisation_id,), query="rag=red")
        before = fingerprint(spec)
        ProgressUpdateFactory(objective=objective)
        assert fingerprint(spec) != before
        other = DocumentSpec(Kind.ACTIONS, org_ids=(plan.organisation_id,), query="rag=green")
        assert fingerprint(other) != fingerprint(spec)

    def test_a_new_layout_is_never_served_from_an_old_cache(self, plan, tmp_path, monkeypatch):
        stylesheet = tmp_path / "pdf.css"
        stylesheet.write_text("body { color: black }")
        monkeypatch.setattr(fingerprints, "STYLESHEETS", [stylesheet])
        before = fingerprint(plan_spec(plan))
        stylesheet.write_text("body { color: navy }")
        assert fingerprint(plan_spec(plan)) != before
