"""A ratified (or superseded) plan's content is locked in the SERVICE layer, for every service
that changes it: each refuses with the message that says how to go on (start a refresh), and
writes nothing. Delivery carries on: completing a milestone, a progress update, closing an item.

Budget lines, thresholds and savings schemes: tests/budgets/test_plan_lock.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from kpis import services as kpi_services
from objectives import editing
from objectives import services as objective_services
from objectives.models import ProgressStatus
from planning import ordering, plan_details
from planning import services as list_services
from planning.fy import Quarter
from planning.models import OrgUnit, PlanStatus, VisionBullet
from swot import services as swot_services
from tests.factories import (
    KPIFactory,
    MilestoneFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    PestelDriverFactory,
    PlanFactory,
    SwotItemFactory,
    reopen_reported_quarters,
)

pytestmark = pytest.mark.django_db
HOW_TO_GO_ON = "its content is locked. Start a refresh to make a new draft version"


def audited_rows() -> int:
    """Every history row of the project: an audited write of any record adds one."""
    return sum(
        model._default_manager.count()
        for model in apps.get_models()
        if model._meta.model_name.startswith("historical")
    )


class World:
    def __init__(self, organisation, planner, status):
        self.planner = planner
        self.plan = PlanFactory(organisation=organisation)
        self.bullet = VisionBullet.objects.create(plan=self.plan, text="A", order=1)
        VisionBullet.objects.create(plan=self.plan, text="B", order=2)
        self.unit = OrgUnitFactory(organisation=organisation, name="Estates", order=1)
        OrgUnitFactory(organisation=organisation, name="Finance", order=2)
        self.swot = SwotItemFactory(plan=self.plan, quadrant="S", order=1)
        SwotItemFactory(plan=self.plan, quadrant="S", order=2)
        self.pestel = PestelDriverFactory(plan=self.plan, category="legal", order=1)
        self.objective = ObjectiveFactory(plan=self.plan, org_unit=self.unit, order=1)
        ObjectiveFactory(plan=self.plan, org_unit=self.unit, order=2)
        self.bare = ObjectiveFactory(plan=self.plan, org_unit=self.unit, order=3)
        self.milestone = MilestoneFactory(objective=self.objective)
        self.kpi = KPIFactory(plan=self.plan, code="L1")
        self.plan.status = status
        self.plan.save()


@pytest.fixture(params=[PlanStatus.RATIFIED, PlanStatus.SUPERSEDED])
def world(request, organisation, planner):
    return World(organisation, planner, request.param)


def _list(key, world, action):
    spec = ordering.spec_for(key)
    plan, by = world.plan, world.planner
    item = {"vision": world.bullet, "departments": world.unit, "swot": world.swot}.get(key)
    if action == "create":
        return list_services.list_item_create(spec=spec, plan=plan, by=by, data={})
    common = {"spec": spec, "plan": plan, "pk": item.pk, "by": by, "expected_version": 1}
    if action == "update":
        return list_services.list_item_update(**common, data={"name": "x", "text": "x"})
    if action == "move":
        return list_services.list_item_move(**common, direction=ordering.DOWN)
    return list_services.list_item_delete(**common)


# Every content-changing service, called as its page would call it on a locked plan.
CONTENT_SERVICES = {
    **{
        f"list_item_create[{key}]": lambda w, key=key: _list(key, w, "create")
        for key in (
            "sections",
            "vision",
            "values",
            "priorities",
            "objectives",
            "programmes",
            "goals",
            "departments",
            "swot",
            "pestel",
        )
    },
    **{
        f"list_item_{action}[{key}]": lambda w, key=key, action=action: _list(key, w, action)
        for key in ("vision", "departments", "swot")
        for action in ("update", "move", "delete")
    },
    "swot_item_move": lambda w: swot_services.swot_item_move(
        plan=w.plan, pk=w.swot.pk, direction="down", by=w.planner, expected_version=1
    ),
    "pestel_driver_update": lambda w: swot_services.pestel_driver_update(
        plan=w.plan,
        pk=w.pestel.pk,
        by=w.planner,
        expected_version=1,
        data={"category": "legal", "text": "Changed"},
    ),
    "objective_create": lambda w: editing.objective_create(
        plan=w.plan, by=w.planner, data={"kind": "operational", "text": "New"}
    ),
    "objective_update": lambda w: editing.objective_update(
        objective=w.objective, by=w.planner, expected_version=1, data={"text": "Changed"}
    ),
    "objective_move": lambda w: editing.objective_move(
        objective=w.objective, by=w.planner, expected_version=1, up=False
    ),
    "objective_delete": lambda w: editing.objective_delete(
        objective=w.bare, by=w.planner, expected_version=1
    ),
    "milestone_create": lambda w: objective_services.milestone_create(
        objective=w.objective, by=w.planner, text="Business case approved"
    ),
    "milestone_update": lambda w: objective_services.milestone_update(
        milestone=w.milestone, by=w.planner, expected_version=1, text="Changed"
    ),
    "kpi_create": lambda w: kpi_services.kpi_create(
        plan=w.plan,
        by=w.planner,
        data={"code": "L9", "name": "Turnover", "perspective": "L"},
        target=Decimal("90"),
        tolerance=Decimal("5"),
    ),
    "kpi_update": lambda w: kpi_services.kpi_update(
        kpi=w.kpi, by=w.planner, expected_version=1, data={"name": "Renamed"}
    ),
    "kpi_target_change": lambda w: kpi_services.kpi_target_change(
        kpi=w.kpi,
        by=w.planner,
        expected_version=1,
        effective_from=Quarter.containing(dt.date.today()).start,
        target=Decimal("95"),
        tolerance=Decimal("2"),
    ),
    "plan_details_update": lambda w: plan_details.plan_details_update(
        plan=w.plan, by=w.planner, expected_version=w.plan.version, data={"title": "Renamed"}
    ),
}


class TestRatifiedContentIsRefusedByEveryService:
    @pytest.mark.parametrize("service", CONTENT_SERVICES)
    def test_refused_with_the_way_on_and_nothing_written(self, world, service):
        before = audited_rows()
        with pytest.raises(ValidationError) as refused:
            CONTENT_SERVICES[service](world)
        assert HOW_TO_GO_ON in " ".join(refused.value.messages)
        assert audited_rows() == before
        assert VisionBullet.objects.get(pk=world.bullet.pk).order == 1
        assert OrgUnit.objects.get(pk=world.unit.pk).name == "Estates"

    def test_every_registered_list_is_covered(self):
        """A list registered later (planning.ordering) is in this test without naming it."""
        covered = {name.split("[")[1].rstrip("]") for name in CONTENT_SERVICES if "[" in name}
        assert set(ordering.SPECS) <= covered


class TestDeliveryCarriesOn:
    """Progress is not content: it goes on while the plan is ratified."""

    def test_a_milestone_is_completed(self, world):
        done = objective_services.milestone_set_completed(
            milestone=world.milestone, by=world.planner, expected_version=1, completed=True
        )
        assert done.completed_on is not None

    def test_an_item_is_cancelled_with_a_reason(self, world):
        reopen_reported_quarters(world.plan)
        update = editing.objective_close(
            objective=world.bare,
            by=world.planner,
            expected_version=1,
            status=ProgressStatus.CANCELLED,
            reason="No longer funded",
            today=dt.date(2007, 6, 1),
        )
        assert update.narrative == "No longer funded"
