"""Roll forward (planning.rollforward): the service, its refusals, the preview page, and the
KPI lineage that continues a carried KPI's history (kpis.lineage) in constant queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from budgets.models import ExpenditureLine, IncomeLine
from kpis import lineage
from kpis.models import KPI, KPITarget
from kpis.selectors import kpi_list, kpi_page
from objectives.models import Milestone, Objective
from planning import idempotency
from planning.concurrency import StaleEditError
from planning.fy import Quarter
from planning.models import Plan, PlanSection, PlanStatus, StrategicPriority
from planning.rollforward import preview, roll_forward
from reporting.scorecard import scorecard_for
from swot.models import SwotItem
from tests.factories import (
    ExpenditureLineFactory,
    GoalFactory,
    IncomeLineFactory,
    KPIFactory,
    MeasurementFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
    ProgrammeFactory,
    ServiceLineFactory,
    StrategicPriorityFactory,
    SwotItemFactory,
)


def _measure(kpi, year: int, values: list[int]) -> None:
    for n, value in enumerate(values):
        MeasurementFactory(kpi=kpi, period_start=Quarter(year, n + 1).start, value=value)


@pytest.fixture
def source(plan):
    """A plan with something of everything: open and closed items, milestones, KPIs with
    targets and values, budget lines, a SWOT item, narrative."""
    plan.slug = "home-business-plan-2006-07"
    plan.save()
    priority = StrategicPriorityFactory(plan=plan, number=1, title="Quality")
    programme = ProgrammeFactory(plan=plan, number=1)
    goal = GoalFactory(plan=plan, programme=programme)
    kpi = KPIFactory(plan=plan, code="L1", target=Decimal("90"), tolerance=Decimal("5"))
    _measure(kpi, 2006, [80, 85, 88, 91])
    open_item = ObjectiveFactory(
        plan=plan, reference="1.1", strategic_priority=priority, goal=goal, status="in_progress"
    )
    open_item.kpis.add(kpi)
    MilestoneFactory(objective=open_item, text="Open milestone")
    MilestoneFactory(objective=open_item, text="Done", completed_on=dt.date(2006, 6, 1))
    ObjectiveFactory(plan=plan, reference="1.2", status="completed", rag="blue")
    ObjectiveFactory(plan=plan, reference="1.3", status="cancelled")
    PlanSection.objects.create(plan=plan, kind="introduction", title="Introduction", body="Hi")
    service = ServiceLineFactory(plan=plan)
    IncomeLineFactory(plan=plan, service_line=service, financial_year=2006)
    ExpenditureLineFactory(plan=plan, financial_year=2006)
    SwotItemFactory(plan=plan, quadrant="S")
    return plan


@pytest.mark.django_db
class TestRollForwardService:
    def test_makes_a_draft_for_the_year_with_what_is_open(self, source, planner):
        made = roll_forward(plan=source, first_year=2007, by=planner)
        assert made.created
        new = made.plan
        assert new.slug == "home-business-plan-2007-08"
        assert (new.start_year, new.end_year, new.status) == (2007, 2007, PlanStatus.DRAFT)
        assert new.rolled_forward_from == source
        items = list(Objective.objects.filter(plan=new))
        assert [i.reference for i in items] == ["1.1"]
        item = items[0]
        assert item.carried_from.reference == "1.1" and item.carried_from.plan == source
        # Its links point at the new plan's copies, never last year's records.
        assert item.strategic_priority.plan == new and item.goal.plan == new
        assert item.goal.programme.plan == new
        assert [k.plan for k in item.kpis.all()] == [new]
        assert [m.text for m in Milestone.objects.filter(objective=item)] == ["Open milestone"]
        assert StrategicPriority.objects.get(plan=new).title == "Quality"
        assert PlanSection.objects.get(plan=new).body == "Hi"
        assert SwotItem.objects.filter(plan=new).count() == 1
        assert IncomeLine.objects.get(plan=new).financial_year == 2007
        assert ExpenditureLine.objects.get(plan=new).financial_year == 2007
        kpi = KPI.objects.get(plan=new)
        assert kpi.lineage_depth == 1 and kpi.lineage_key == kpi.carried_from_id
        assert KPITarget.objects.get(kpi=kpi).target == Decimal("90")
        # The source is unchanged.
        assert Objective.objects.filter(plan=source).count() == 3

    def test_twice_makes_one_plan(self, source, planner):
        first = roll_forward(plan=source, first_year=2007, by=planner)
        counts = (Plan.objects.count(), Objective.objects.count(), KPI.objects.count())
        again = roll_forward(plan=source, first_year=2007, by=planner)
        assert not again.created and again.plan == first.plan
        assert (Plan.objects.count(), Objective.objects.count(), KPI.objects.count()) == counts

    def test_refuses_a_year_already_planned(self, source, planner):
        PlanFactory(organisation=source.organisation, start_year=2007, end_year=2007)
        before = Plan.objects.count()
        with pytest.raises(ValidationError, match="already has a business plan for 2007/08"):
            roll_forward(plan=source, first_year=2007, by=planner)
        assert Plan.objects.count() == before

    def test_a_plan_of_another_kind_is_no_clash(self, source, planner):
        PlanFactory(
            organisation=source.organisation, kind="od_plan", start_year=2007, end_year=2007
        )
        assert roll_forward(plan=source, first_year=2007, by=planner).created

    @pytest.mark.parametrize("year", [2006, 2005])
    def test_refuses_a_year_not_after_the_first(self, source, planner, year):
        with pytest.raises(ValidationError, match="Choose a year after 2006/07"):
            roll_forward(plan=source, first_year=year, by=planner)

    def test_refuses_another_year_once_rolled_forward(self, source, planner):
        roll_forward(plan=source, first_year=2007, by=planner)
        with pytest.raises(ValidationError, match="already been rolled forward"):
            roll_forward(plan=source, first_year=2008, by=planner)

    def test_refuses_a_role_without_the_right(self, source, contributor):
        with pytest.raises(PermissionDenied):
            roll_forward(plan=source, first_year=2007, by=contributor)
        assert not Plan.objects.filter(rolled_forward_from=source).exists()

    def test_refuses_a_stale_version(self, source, planner):
        with pytest.raises(StaleEditError):
            roll_forward(plan=source, first_year=2007, by=planner, expected_version=99)

    def test_a_token_used_twice_makes_one_plan(self, source, planner):
        token = idempotency.new_token()
        roll_forward(plan=source, first_year=2007, by=planner, submission_token=token)
        assert idempotency.already_used(token, user=planner)

    def test_a_multi_year_plan_keeps_its_length(self, organisation, planner):
        plan = PlanFactory(organisation=organisation, start_year=2018, end_year=2020)
        new = roll_forward(plan=plan, first_year=2021, by=planner).plan
        assert (new.start_year, new.end_year) == (2021, 2023)

    def test_preview_lists_carried_and_closed(self, source):
        groups = {g.key: g for g in preview(source)}
        objectives = groups["objectives"]
        assert [r.reference for r in objectives.carried] == ["1.1"]
        assert sorted(r.reference for r in objectives.not_carried) == ["1.2", "1.3"]
        assert groups["kpis"].carried_count == 1
        assert groups["budget"].carried_count == 2


@pytest.mark.django_db
class TestCommand:
    def test_prints_only_the_slug(self, source, capsys):
        call_command("roll_forward", plan=source.slug, year=2007)
        out = capsys.readouterr().out
        assert out == "home-business-plan-2007-08\n"

    def test_refusal_is_a_command_error(self, source):
        with pytest.raises(CommandError, match="Choose a year after"):
            call_command("roll_forward", plan=source.slug, year=2006)

    def test_unknown_plan(self, db):
        with pytest.raises(CommandError, match="No plan"):
            call_command("roll_forward", plan="nope", year=2007)


@pytest.mark.django_db
class TestLineage:
    def test_history_continues_and_successors_stay_out(self, source, planner):
        old = KPI.objects.get(plan=source)
        new_plan = roll_forward(plan=source, first_year=2007, by=planner).plan
        new = KPI.objects.get(plan=new_plan)
        _measure(new, 2007, [93, 95])
        rows = lineage.measurements([new, old])
        assert [r[3] for r in rows[new.pk]] == [80, 85, 88, 91, 93, 95]
        assert [r[3] for r in rows[old.pk]] == [80, 85, 88, 91]  # not next year's
        # The latest of each, read on its own (the KPI list), is the last of those rows.
        assert lineage.latest([new, old]) == {new.pk: rows[new.pk][-1], old.pk: rows[old.pk][-1]}
        assert len(kpi_page(new).status.points) == 6
        assert len(kpi_page(old).status.points) == 4
        # The list shows the latest value of the line, never a successor's.
        assert kpi_list(new_plan)[0].latest.value == 95
        assert kpi_list(source)[0].latest.value == 91
        card = scorecard_for(new_plan, Quarter(2007, 2))
        status = card.perspectives[-1].kpis[0]
        assert [p.value for p in status.points] == [80, 85, 88, 91, 93, 95]
        assert status.rag == "green"  # 95 against the carried target of 90

    def test_the_later_value_of_a_period_counts(self, source, planner):
        new_plan = roll_forward(plan=source, first_year=2007, by=planner).plan
        new = KPI.objects.get(plan=new_plan)
        MeasurementFactory(kpi=new, period_start=dt.date(2007, 1, 1), value=99)
        assert [r[3] for r in lineage.measurements([new])[new.pk]] == [80, 85, 88, 99]
        assert lineage.latest([new])[new.pk][3] == 99
        assert kpi_list(new_plan)[0].latest.value == 99

    @pytest.mark.parametrize("generations", [1, 3])
    def test_scorecard_and_kpi_pages_in_constant_queries(
        self, organisation, planner, generations, django_assert_max_num_queries
    ):
        plan = PlanFactory(organisation=organisation, start_year=2006, end_year=2006)
        for n in range(10 * generations):
            kpi = KPIFactory(plan=plan, code=f"L{n + 1}", target=Decimal("50"))
            _measure(kpi, 2006, [40, 50, 60, 70])
        for year in range(2007, 2007 + generations):
            plan = roll_forward(plan=plan, first_year=year, by=planner).plan
        kpi = KPI.objects.select_related("plan").filter(plan=plan).first()
        with django_assert_max_num_queries(7):
            scorecard_for(plan, Quarter(plan.start_year, 4))
        with django_assert_max_num_queries(3):
            kpi_list(plan)
        with django_assert_max_num_queries(4):
            assert len(kpi_page(kpi).status.points) == 4


@pytest.mark.django_db
class TestPreviewPage:
    def test_preview_then_confirm_then_again(self, client, source, planner):
        client.force_login(planner)
        url = reverse("planning:roll_forward", args=[source.slug])
        page = client.get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert "Objectives and actions" in body and "Not carried (closed): 2" in body
        token = page.context["form"].initial["submission_token"]
        data = {"version": source.version, "first_year": 2007, "submission_token": token}
        response = client.post(url, data)
        new = Plan.objects.get(rolled_forward_from=source)
        assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
        again = client.post(url, data)  # the same form posted twice
        assert again["Location"] == new.get_absolute_url()
        assert Plan.objects.filter(rolled_forward_from=source).count() == 1
        assert "already been rolled forward" in client.get(url).content.decode()

    def test_a_refused_year_is_on_the_form(self, client, source, planner):
        client.force_login(planner)
        url = reverse("planning:roll_forward", args=[source.slug])
        response = client.post(url, {"version": source.version, "first_year": 2005})
        assert response.status_code == 400
        assert "Choose a year after 2006/07" in response.content.decode()
        assert not Plan.objects.filter(rolled_forward_from=source).exists()

    def test_the_plan_page_offers_it_to_planners(self, client, source, planner, viewer):
        client.force_login(planner)
        link = reverse("planning:roll_forward", args=[source.slug])
        assert link in client.get(source.get_absolute_url()).content.decode()
        client.force_login(viewer)
        assert link not in client.get(source.get_absolute_url()).content.decode()

    def test_the_new_item_links_to_its_predecessor(self, client, source, planner):
        new_plan = roll_forward(plan=source, first_year=2007, by=planner).plan
        item = Objective.objects.get(plan=new_plan)
        client.force_login(planner)
        body = client.get(item.get_absolute_url()).content.decode()
        assert "Carried forward from" in body
        assert item.carried_from.get_absolute_url() in body


@pytest.mark.django_db
class TestCachedDocuments:
    def test_last_years_value_changes_the_new_plans_scorecard_pdf(self, source, planner):
        from reporting.documents.fingerprint import fingerprint
        from reporting.documents.spec import DocumentSpec, Kind

        new_plan = roll_forward(plan=source, first_year=2007, by=planner).plan
        spec = DocumentSpec(Kind.SCORECARD, plan_id=new_plan.pk, quarter="2007-Q1")
        before = fingerprint(spec)
        old = KPI.objects.get(plan=source)
        MeasurementFactory(kpi=old, period_start=Quarter(2005, 4).start, value=70)
        assert fingerprint(spec) != before
