"""Roll forward on the loaded SSP demo (issue 12's figures): 2006/07 → 2007/08."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo import ssp
from kpis import lineage
from kpis.models import KPI, Measurement
from objectives.editing import closing_quarter, objective_close
from objectives.models import Milestone, Objective, ProgressStatus
from planning import reporting_window
from planning.models import Plan, PlanStatus


def _row_counts() -> dict[str, int]:
    """Every table of the project's apps, counted (a second run must change none)."""
    counts = {}
    for label in ("planning", "objectives", "kpis", "budgets", "swot"):
        for model in apps.get_app_config(label).get_models():
            manager = getattr(model, "all_objects", model._base_manager)
            counts[model._meta.label] = manager.count()
    return counts


@pytest.mark.django_db
class TestSSPDemoRollForward:
    def test_2007_08_holds_the_open_items_and_the_kpis_with_their_history(self, demo, capsys):
        source = Plan.objects.get(slug=ssp.PLAN_SLUG)
        items = list(Objective.objects.filter(plan=source))
        open_items = [i for i in items if not i.is_closed]
        closed = [i for i in items if i.is_closed]
        # The figure, computed from the data rather than trusted. (The demo records
        # no closed item: the next test closes two and shows they stay behind.)
        assert len(open_items) == 63

        call_command("roll_forward", plan=source.slug, year=2007)
        slug = capsys.readouterr().out.strip()
        new = Plan.objects.get(slug=slug)
        assert (new.start_year, new.end_year) == (2007, 2007)
        assert new.status == PlanStatus.DRAFT
        assert new.rolled_forward_from == source
        assert new.organisation_id == source.organisation_id and new.kind == source.kind

        carried = list(Objective.objects.filter(plan=new))
        assert sorted(i.carried_from_id for i in carried) == sorted(i.pk for i in open_items)
        assert {i.reference for i in carried} == {i.reference for i in open_items}
        assert not set(i.carried_from_id for i in carried) & {i.pk for i in closed}
        open_milestones = Milestone.objects.filter(
            objective__in=open_items, completed_on__isnull=True
        ).count()
        assert Milestone.objects.filter(objective__plan=new).count() == open_milestones

        old_kpis = list(KPI.objects.filter(plan=source))
        new_kpis = list(KPI.objects.filter(plan=new))
        assert len(old_kpis) == len(new_kpis) == 12
        assert {k.carried_from_id for k in new_kpis} == {k.pk for k in old_kpis}
        # The history continues through the lineage: as many values as the source had, none
        # copied.
        history = lineage.measurements(new_kpis)
        assert sum(len(rows) for rows in history.values()) == (
            Measurement.objects.filter(kpi__plan=source).count()
        )
        assert not Measurement.objects.filter(kpi__plan=new).exists()

    def test_closed_items_stay_behind(self, demo, capsys):
        source = Plan.objects.get(slug=ssp.PLAN_SLUG)
        planner = get_user_model().objects.get(username="ssp-planner")
        quarter = closing_quarter(source, dt.date.today())
        reporting_window.quarter_reopen(
            plan=source, quarter=quarter, by=planner, reason="Closing two items late"
        )
        first, second = Objective.objects.filter(plan=source).order_by("order")[:2]
        for item, outcome in (
            (first, ProgressStatus.COMPLETED),
            (second, ProgressStatus.CANCELLED),
        ):
            objective_close(
                objective=item,
                by=planner,
                expected_version=item.version,
                status=outcome,
                reason="Done with in 2006/07",
            )
        call_command("roll_forward", plan=source.slug, year=2007, by="ssp-planner")
        new = Plan.objects.get(slug=capsys.readouterr().out.strip())
        carried = set(Objective.objects.filter(plan=new).values_list("carried_from_id", flat=True))
        assert len(carried) == 61
        assert first.pk not in carried and second.pk not in carried
        # Who rolled it forward is in the history of what was made.
        assert new.history.get().history_user == planner
        assert {h.history_user_id for h in Objective.history.filter(plan=new)} == {planner.pk}

    def test_a_second_run_changes_nothing(self, demo, capsys):
        source = Plan.objects.get(slug=ssp.PLAN_SLUG)
        call_command("roll_forward", plan=source.slug, year=2007)
        first = capsys.readouterr().out.strip()
        before = _row_counts()
        call_command("roll_forward", plan=source.slug, year=2007)
        assert capsys.readouterr().out.strip() == first
        assert _row_counts() == before
