"""A delivery plan's workbook imported onto the ratified plan as its next version
(workbook.updating with the delivery sheets): export → edit cells → import → exactly the edits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from delivery.models import (
    Confidence,
    Decision,
    DeliveryItem,
    DeliveryUpdate,
    Dependency,
    GovernanceBody,
    Lineage,
    Measure,
    YearFigure,
)
from planning import fy, lifecycle
from planning.models import PartnershipMember, Plan, PlanStatus
from tests.factories import MembershipFactory, UserFactory
from tests.workbook.test_version import cell, comparison_rows, edited, ratified_plan
from workbook import export
from workbook.updating import import_version

SLUGS = ["hssp-shared-services-2009-10", "sel-stp-delivery-plans-2016-21"]


def _user(plan: Plan, role: str):
    """A user of the plan's organisation; of a partnership, one of its members' staff too
    (permissions.honoured)."""
    user = UserFactory()
    MembershipFactory(user=user, organisation=plan.organisation, role=role)
    member = PartnershipMember.objects.filter(partnership=plan.organisation).first()
    if member is not None:
        MembershipFactory(user=user, organisation=member.member, role="viewer")
    return user


def ratified(slug: str) -> tuple[Plan, object]:
    """The demo plan, taken to ratified through the lifecycle's own steps where it is not, and
    its planner."""
    plan = Plan.objects.get(slug=slug)
    planner, admin = _user(plan, "planner"), _user(plan, "admin")
    today = timezone.localdate()
    if plan.status == PlanStatus.DRAFT:
        plan = lifecycle.submit(plan=plan, by=planner, expected_version=plan.version)
    if plan.status == PlanStatus.SUBMITTED:
        plan = lifecycle.approve(
            plan=plan,
            by=admin,
            expected_version=plan.version,
            approved_by="Executive team",
            date_approved=today - dt.timedelta(days=2),
        )
    if plan.status == PlanStatus.APPROVED:
        plan = lifecycle.ratify(
            plan=plan,
            by=admin,
            expected_version=plan.version,
            ratified_by="Partnership Board",
            date_ratified=today - dt.timedelta(days=1),
            board_minute_reference="PB/1",
        )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RATIFIED
    return plan, planner


def delivery_state(plan: Plan) -> dict:
    """Every delivery record of the plan and its links, as comparable values."""
    items = DeliveryItem.objects.filter(plan=plan)
    return {
        "items": sorted(
            items.values_list(
                "pk", "reference", "title", "parent_id", "status", "rag", "latest_update_id"
            )
        ),
        "updates": sorted(
            DeliveryUpdate.objects.filter(item__plan=plan).values_list(
                "pk", "item_id", "as_at", "created_at", "status", "rag", "progress"
            )
        ),
        "figures": sorted(
            YearFigure.objects.filter(item__plan=plan).values_list(
                "pk", "item_id", "measure", "financial_year", "low", "high", "confidence"
            )
        ),
        "dependencies": sorted(
            Dependency.objects.filter(item__plan=plan).values_list(
                "pk", "item_id", "kind", "on_item_id", "external", "status"
            )
        ),
        "lineage": sorted(
            Lineage.objects.filter(item__plan=plan).values_list("pk", "item_id", "other_id")
        ),
        "bodies": sorted(
            GovernanceBody.objects.values_list(
                "pk", "organisation_id", "name", "parent_id", "meeting_frequency"
            )
        ),
        "body links": sorted(
            [
                *GovernanceBody.plans.through.objects.filter(plan=plan).values_list(
                    "governancebody_id", "plan_id"
                ),
                *GovernanceBody.items.through.objects.filter(deliveryitem__plan=plan).values_list(
                    "governancebody_id", "deliveryitem_id"
                ),
            ]
        ),
        "decisions": sorted(
            Decision.objects.values_list("pk", "body_id", "date", "decision", "recommendation")
        ),
        "decision links": sorted(
            Decision.items.through.objects.filter(deliveryitem__plan=plan).values_list(
                "decision_id", "deliveryitem_id"
            )
        ),
        "item links": sorted(
            (name, *link)
            for name, other in (
                ("lead_roles", "role_id"),
                ("lead_people", "person_id"),
                ("organisations", "organisation_id"),
                ("risks", "risk_id"),
            )
            for link in getattr(DeliveryItem, name)
            .through.objects.filter(deliveryitem__plan=plan)
            .values_list("deliveryitem_id", other)
        ),
    }


@pytest.mark.django_db
class TestDeliveryPlanOntoItsNextVersion:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_its_own_workbook_changes_nothing_and_adds_no_update_twice(self, demo, slug):
        plan, planner = ratified(slug)
        before = delivery_state(plan)
        assert before["updates"] and before["items"]
        content = export.plan_workbook(plan)
        loader = import_version("plan.xlsx", content, plan, by=planner)
        assert not loader.problems, [str(p) for p in loader.problems]
        assert loader.changes == []
        assert delivery_state(plan) == before
        # Ratified again and the same workbook once more: still nothing added.
        plan, _ = ratified(slug)
        again = import_version("plan.xlsx", export.plan_workbook(plan), plan, by=planner)
        assert not again.problems, [str(p) for p in again.problems]
        assert again.changes == []
        assert delivery_state(plan) == before

    def test_an_edited_title_and_an_added_figure_are_exactly_the_changes(self, demo):
        plan, planner = ratified(SLUGS[0])
        items = DeliveryItem.objects.filter(plan=plan)
        item = items.order_by("pk").first()
        bare = items.exclude(figures__isnull=False).order_by("pk").first()
        assert bare is not None
        member_body = GovernanceBody.objects.exclude(organisation=plan.organisation).get(
            name="Cabinet"
        )
        before = delivery_state(plan)
        ids = {pk for pk, *_ in before["items"]}

        def edits(book):
            sheet = book["Delivery items"]
            for row in range(2, sheet.max_row + 1):
                if cell(sheet, "Reference", row).value == item.reference:
                    cell(sheet, "Title", row).value = "Retitled in the workbook"
            sheet = book["Year figures"]
            new = sheet.max_row + 1
            cell(sheet, "Item", new).value = bare.reference
            cell(sheet, "Measure", new).value = Measure.SAVINGS.label
            cell(sheet, "Financial year", new).value = fy.fy_label(plan.start_year)
            cell(sheet, "Low", new).value = 1000
            cell(sheet, "Confidence", new).value = Confidence.ESTIMATE.label
            # A member organisation's body is never changed by the import.
            sheet = book["Governance bodies"]
            for row in range(2, sheet.max_row + 1):
                if cell(sheet, "Name", row).value == member_body.name:
                    cell(sheet, "Meets", row).value = "Daily, says the workbook"

        loader = import_version(
            "plan.xlsx", edited(export.plan_workbook(plan), edits), plan, by=planner
        )
        assert not loader.problems, [str(p) for p in loader.problems]
        assert loader.changes == [["delivery items", 0, 1, 0], ["year figures", 1, 0, 0]]
        # The version comparison shows the same two changes (delivery.content), and no other.
        old_title = next(t for pk, _, t, *_ in before["items"] if pk == item.pk)
        figure = f"{bare.reference} {Measure.SAVINGS.label} {fy.fy_label(plan.start_year)}"
        assert {(kind, name, change) for kind, name, change, *_ in comparison_rows(plan)} == {
            ("Delivery items", item.reference, "Changed"),
            ("Money and people by year", figure, "Added"),
        }
        assert (
            "Delivery items",
            item.reference,
            "Changed",
            "Title",
            old_title,
            "Retitled in the workbook",
        ) in comparison_rows(plan)
        after = delivery_state(plan)
        assert {pk for pk, *_ in after["items"]} == ids  # every item kept its identity
        item.refresh_from_db()
        assert item.title == "Retitled in the workbook"
        assert (item.status, item.rag, item.latest_update_id) == next(
            (s, r, u) for pk, _, _, _, s, r, u in before["items"] if pk == item.pk
        )
        added = YearFigure.objects.filter(item=bare).get()
        assert (added.measure, added.financial_year, added.low, added.high) == (
            Measure.SAVINGS,
            plan.start_year,
            Decimal(1000),
            Decimal(1000),
        )
        member_body.refresh_from_db()
        assert member_body.meeting_frequency != "Daily, says the workbook"
        for kind in ("updates", "dependencies", "lineage", "bodies", "decisions"):
            assert after[kind] == before[kind], kind
        assert after["figures"][: len(before["figures"])] == before["figures"]


@pytest.mark.django_db
class TestHandMadeDeliveryOntoItsNextVersion:
    def test_the_plans_own_body_decision_and_links_are_updated(self, organisation, planner):
        plan = ratified_plan(organisation)
        board = GovernanceBody.objects.get(
            organisation=organisation, name="Estates Programme Board"
        )
        decision = Decision.objects.get(body=board)
        ep2 = DeliveryItem.objects.get(plan=plan, reference="EP2")

        def edits(book):
            sheet = book["Governance bodies"]
            for row in range(2, sheet.max_row + 1):
                if cell(sheet, "Name", row).value == board.name:
                    cell(sheet, "Meets", row).value = "Weekly"
                    cell(sheet, "Oversees items", row).value = "EP; EP2"
            sheet = book["Decisions"]
            cell(sheet, "Recommendation", 2).value = "Approve, with a review in a year"

        content = edited(export.plan_workbook(plan), edits)
        loader = import_version("plan.xlsx", content, plan, by=planner)
        assert not loader.problems, [str(p) for p in loader.problems]
        assert loader.changes == [["governance bodies", 0, 1, 0], ["decisions", 0, 1, 0]]
        board.refresh_from_db()
        decision.refresh_from_db()
        assert board.meeting_frequency == "Weekly"
        assert sorted(board.items.values_list("reference", flat=True)) == ["EP", ep2.reference]
        assert decision.recommendation == "Approve, with a review in a year"
        assert GovernanceBody.objects.filter(organisation=organisation).count() == 2
        assert Decision.objects.filter(body=board).get() == decision

    def test_a_body_missing_from_the_workbook_is_a_problem_not_removed(self, organisation, planner):
        plan = ratified_plan(organisation)
        board = GovernanceBody.objects.get(organisation=organisation, name="Trust Board")

        def edits(book):
            sheet = book["Governance bodies"]
            for row in range(sheet.max_row, 1, -1):
                if cell(sheet, "Name", row).value == board.name:
                    sheet.delete_rows(row)
                elif cell(sheet, "Part of", row).value == board.name:
                    cell(sheet, "Part of", row).value = None

        content = edited(export.plan_workbook(plan), edits)
        loader = import_version("plan.xlsx", content, plan, by=planner)
        problems = [str(p) for p in loader.problems]
        assert any(
            p.startswith("sheet “Governance bodies”, column “Name”: ")
            and board.name in p
            and "cannot remove" in p
            for p in problems
        ), problems
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RATIFIED
        assert set(board.plans.all()) == {plan}

    def test_an_item_with_updates_missing_from_the_workbook_is_a_problem(
        self, organisation, planner
    ):
        plan = ratified_plan(organisation)
        before = delivery_state(plan)

        def edits(book):
            for name in ("Delivery items", "Delivery updates", "Year figures", "Dependencies"):
                sheet = book[name]
                heading = "Reference" if name == "Delivery items" else "Item"
                for row in range(sheet.max_row, 1, -1):
                    if cell(sheet, heading, row).value == "EP1.1.1":
                        sheet.delete_rows(row)

        content = edited(export.plan_workbook(plan), edits)
        loader = import_version("plan.xlsx", content, plan, by=planner)
        problems = [str(p) for p in loader.problems]
        assert any(
            p.startswith("sheet “Delivery items”, column “Reference”: ")
            and "EP1.1.1" in p
            and "delivery update" in p
            for p in problems
        ), problems
        assert delivery_state(plan) == before
