"""The delivery plan's sheets (issue 15): the hand-made workbook's delivery kinds, partnership
plans (organisations involved, members' bodies), other plans' items, and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q

from delivery.models import (
    Decision,
    DeliveryItem,
    DeliveryUpdate,
    Dependency,
    GovernanceBody,
    Lineage,
    YearFigure,
)
from planning.models import OrganisationKind, PartnershipMember, Plan
from tests.factories import OrganisationFactory, PlanFactory
from tests.workbook.handmade import SHEETS, changed, workbook_bytes
from tests.workbook.helpers import cells
from tests.workbook.test_bad_input import problems_of
from tests.workbook.test_round_trip import empty_like
from workbook.export import plan_workbook
from workbook.importing import import_workbook


def edited(edits: dict[str, list[list]]) -> bytes:
    """The hand-made workbook with some sheets' rows replaced or added (row as written)."""
    return workbook_bytes({**SHEETS, **edits})


def with_rows(sheet: str, *rows: list) -> list[list]:
    return [*SHEETS[sheet], *rows]


@pytest.fixture
def partnership(db):
    """A partnership of two members, and an organisation that is not one of them."""
    partnership = OrganisationFactory(name="Estates Partnership", kind=OrganisationKind.PARTNERSHIP)
    members = [OrganisationFactory(name="North Trust"), OrganisationFactory(name="South Council")]
    for order, member in enumerate(members, start=1):
        PartnershipMember.objects.create(partnership=partnership, member=member, order=order)
    OrganisationFactory(name="Elsewhere Trust")
    return partnership


@pytest.mark.django_db
class TestHandMadeDeliveryPlan:
    def test_every_delivery_kind_is_imported(self, organisation):
        loader = import_workbook("estates.xlsx", workbook_bytes(), organisation)
        assert [str(p) for p in loader.problems] == []
        plan = loader.plan
        items = {i.reference: i for i in DeliveryItem.objects.filter(plan=plan)}
        assert list(items) == ["EP", "EP1", "EP1.1", "EP1.1.1", "EP2"]
        ep, ep1 = items["EP"], items["EP1"]
        assert (ep.level, ep.parent, ep.sro_text, ep.sro_person.name) == (
            "programme",
            None,
            "Director of Estates",
            "Pat Jones",
        )
        assert [r.abbreviation for r in ep.lead_roles.all()] == ["DoE"]
        assert [r.reference for r in ep.risks.all()] == ["EST R1"]
        assert (ep1.parent, ep1.level_label) == (ep, "Stream")
        assert [p.name for p in ep1.lead_people.all()] == ["Pat Jones"]
        # "by March 2025" gives the due date, as the item's page does.
        assert ep1.due_date == dt.date(2025, 3, 31)
        assert items["EP1.1.1"].parent == items["EP1.1"]
        assert items["EP1.1"].due_date == dt.date(2024, 9, 30)
        # The latest update (by As at) is the item's status and RAG.
        assert (ep1.status, ep1.rag) == ("in_progress", "amber")
        assert ep1.latest_update.progress == "Supplier late"
        assert (items["EP1.1.1"].status, items["EP1.1.1"].rag) == ("completed", "blue")
        assert (items["EP2"].status, items["EP2"].rag) == ("not_started", "")
        assert DeliveryUpdate.objects.filter(item__plan=plan).count() == 3
        figures = list(YearFigure.objects.filter(item=ep1).order_by("order"))
        assert [(f.low, f.high, f.confidence) for f in figures] == [
            (Decimal("10000"), Decimal("15000"), "estimate"),
            (Decimal("12000"), Decimal("12000"), "delivered"),
        ]
        fte = YearFigure.objects.get(item=ep)
        assert (fte.financial_year, fte.low, fte.high, fte.recurring) == (
            None,
            Decimal("-2"),
            Decimal("-2"),
            True,
        )
        needs = Dependency.objects.get(item=ep1)
        assert (needs.kind, needs.on_item, needs.status, needs.owner_role.abbreviation) == (
            "needs",
            items["EP2"],
            "at_risk",
            "DoE",
        )
        assert Dependency.objects.get(item=ep).external == "Net zero programme"
        merged = Lineage.objects.get(item=items["EP2"])
        assert (merged.kind, merged.other, merged.date_text) == (
            "merged_into",
            ep1,
            "September 2024",
        )
        board = GovernanceBody.objects.get(
            organisation=organisation, name="Estates Programme Board"
        )
        assert board.parent.name == "Trust Board"
        assert board.chair_role.abbreviation == "DoE"
        assert sorted(r.title for r in board.member_roles.all()) == [
            "Director of Estates",
            "Energy Manager",
        ]
        assert set(board.items.all()) == {ep, ep1}
        assert list(board.plans.all()) == []
        assert list(board.parent.plans.all()) == [plan]
        decision = Decision.objects.get(body=board)
        assert set(decision.items.all()) == {ep1, items["EP1.1"]}

    def test_the_hand_made_plan_exports_in_the_trees_order(self, organisation):
        plan = import_workbook("estates.xlsx", workbook_bytes(), organisation).plan
        exported = cells(plan_workbook(plan))
        assert [r[0] for r in exported["Delivery items"][1:]] == [
            "EP",
            "EP1",
            "EP1.1",
            "EP1.1.1",
            "EP2",
        ]
        # Rows follow their item's place in the tree.
        assert [r[:5] for r in exported["Dependencies"][1:]] == [
            ("EP", "Related to", None, None, "Net zero programme"),
            ("EP1", "Needs", None, "EP2", None),
        ]
        assert exported["Governance bodies"][2][-2:] == ("No", "EP; EP1")

    def test_an_organisations_own_body_is_used_as_it_is(self, organisation):
        board = GovernanceBody.objects.create(
            organisation=organisation, name="Trust Board", kind="committee", chair_text="Ours"
        )
        plan = import_workbook("estates.xlsx", workbook_bytes(), organisation).plan
        board.refresh_from_db()
        assert (board.kind, board.chair_text) == ("committee", "Ours")
        assert list(board.plans.all()) == [plan]
        assert GovernanceBody.objects.filter(organisation=organisation).count() == 2
        assert GovernanceBody.objects.get(name="Estates Programme Board").parent == board


@pytest.mark.django_db
class TestPartnershipPlans:
    def test_organisations_involved_are_the_partnerships_members(self, partnership):
        content = changed(
            "Delivery items", 2, "Organisations involved", "North Trust; south council"
        )
        loader = import_workbook("plan.xlsx", content, partnership)
        assert [str(p) for p in loader.problems] == []
        item = DeliveryItem.objects.get(plan=loader.plan, reference="EP")
        assert sorted(o.name for o in item.organisations.all()) == ["North Trust", "South Council"]
        exported = cells(plan_workbook(loader.plan))["Delivery items"]
        column = exported[0].index("Organisations involved")
        assert exported[1][column] == "North Trust; South Council"

    def test_an_organisation_outside_the_partnership_is_refused(self, partnership):
        content = changed("Delivery items", 3, "Organisations involved", "Elsewhere Trust")
        assert problems_of(content, partnership) == [
            (
                "Delivery items",
                3,
                "Organisations involved",
                "Elsewhere Trust is not a member of Estates Partnership.",
            )
        ]

    def test_an_unknown_organisation_is_refused(self, partnership):
        content = changed("Delivery items", 2, "Organisations involved", "North Trust; Nowhere")
        assert problems_of(content, partnership) == [
            (
                "Delivery items",
                2,
                "Organisations involved",
                "There is no organisation named “Nowhere”",
            )
        ]

    def test_a_members_body_is_linked_not_created(self, partnership):
        north = PartnershipMember.objects.get(partnership=partnership, order=1).member
        row = ["Cabinet", "North Trust", "Other group"] + [None] * 6 + ["Yes", "EP1"]
        bodies = with_rows("Governance bodies", row)
        decision = ["Cabinet", dt.date(2024, 6, 1), "Noted", None, "EP1"]
        sheets = {"Governance bodies": bodies, "Decisions": with_rows("Decisions", decision)}
        problems = problems_of(edited(sheets), partnership)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Governance bodies", 4, "Name")]
        assert "North Trust has no body named “Cabinet”" in problems[0][3]
        cabinet = GovernanceBody.objects.create(organisation=north, name="Cabinet", kind="other")
        problems = problems_of(edited(sheets), partnership)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Decisions", 3, "Decision")]
        assert "does not add to its log" in problems[0][3]
        noted = Decision.objects.create(body=cabinet, date=dt.date(2024, 6, 1), decision="Noted")
        loader = import_workbook("plan.xlsx", edited(sheets), partnership)
        assert [str(p) for p in loader.problems] == []
        ep1 = DeliveryItem.objects.get(plan=loader.plan, reference="EP1")
        assert list(cabinet.plans.all()) == [loader.plan]
        assert list(cabinet.items.all()) == [ep1]
        assert list(noted.items.all()) == [ep1]
        assert GovernanceBody.objects.filter(organisation=north).count() == 1
        assert Decision.objects.filter(body=cabinet).count() == 1
        exported = cells(plan_workbook(loader.plan))
        assert exported["Governance bodies"][3][:3] == ("Cabinet", "North Trust", "Other group")
        assert exported["Decisions"][-1][:3] == ("Cabinet", dt.datetime(2024, 6, 1), "Noted")

    def test_a_members_body_carries_no_roles_of_the_sheet(self, partnership):
        north = PartnershipMember.objects.get(partnership=partnership, order=1).member
        GovernanceBody.objects.create(organisation=north, name="Cabinet", kind="other")
        row = ["Cabinet", "North Trust", "Other group", None, None, "DoE"] + [None] * 5
        problems = problems_of(
            edited({"Governance bodies": with_rows("Governance bodies", row)}), partnership
        )
        assert [(s, r, c) for s, r, c, _ in problems] == [("Governance bodies", 4, "Chair role")]


@pytest.mark.django_db
class TestOtherPlansItems:
    def test_an_item_of_another_plan_of_the_organisation_is_named_by_its_slug(self, organisation):
        other = PlanFactory(organisation=organisation, slug="estates-strategy")
        target = DeliveryItem.objects.create(
            plan=other, level="programme", reference="ES", title="Strategy"
        )
        row = ["EP2", "Needs", "estates-strategy", "ES", None, None, None, None, None]
        content = edited({"Dependencies": with_rows("Dependencies", row)})
        loader = import_workbook("plan.xlsx", content, organisation)
        assert [str(p) for p in loader.problems] == []
        dependency = Dependency.objects.get(item__plan=loader.plan, on_item=target)
        assert dependency.item.reference == "EP2"
        exported = cells(plan_workbook(loader.plan))["Dependencies"]
        assert exported[-1][:4] == ("EP2", "Needs", "estates-strategy", "ES")

    def test_another_organisations_plan_is_refused(self, organisation, other_organisation):
        other = PlanFactory(organisation=other_organisation, slug="their-plan")
        DeliveryItem.objects.create(plan=other, level="programme", reference="T", title="Theirs")
        row = ["EP2", "Superseded by", "their-plan", "T", "Replaced", None, None]
        problems = problems_of(edited({"Lineage": with_rows("Lineage", row)}), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Lineage", 3, "Other plan")]
        assert "an import links only your organisation's plans" in problems[0][3]

    def test_an_unknown_plan_or_item_is_refused(self, organisation):
        PlanFactory(organisation=organisation, slug="estates-strategy")
        rows = [
            ["EP2", "Needs", "no-such-plan", "ES", None, None, None, None, None],
            ["EP2", "Enables", "estates-strategy", "ZZ", None, None, None, None, None],
        ]
        problems = problems_of(
            edited({"Dependencies": with_rows("Dependencies", *rows)}), organisation
        )
        assert problems == [
            ("Dependencies", 4, "On plan", "There is no plan “no-such-plan”"),
            ("Dependencies", 5, "On item", "There is no item “ZZ” in estates-strategy"),
        ]


@pytest.mark.django_db
class TestDeliveryBadInput:
    def test_a_range_whose_low_is_above_its_high(self, organisation):
        problems = problems_of(changed("Year figures", 2, "Low", 20000), organisation)
        assert problems == [
            ("Year figures", 2, "Low", "The low figure cannot be more than the high figure.")
        ]

    def test_a_year_outside_the_plan(self, organisation):
        problems = problems_of(
            changed("Year figures", 3, "Financial year", "2030/31"), organisation
        )
        assert [(s, r, c) for s, r, c, _ in problems] == [("Year figures", 3, "Financial year")]
        assert "Choose a year of the plan, 2024/25 to 2025/26" in problems[0][3]

    def test_two_figures_for_the_same_year_measure_and_confidence(self, organisation):
        problems = problems_of(changed("Year figures", 3, "Confidence", "Estimate"), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Year figures", 3, "Financial year")]
        assert "Row 2 has this item's figure" in problems[0][3]

    def test_a_self_dependency(self, organisation):
        problems = problems_of(changed("Dependencies", 2, "On item", "EP1"), organisation)
        assert problems == [("Dependencies", 2, "On item", "An item cannot depend on itself.")]

    def test_a_dependency_cycle_is_named(self, organisation):
        rows = [
            ["EP2", "Needs", None, "EP1.1", None, None, None, None, None],
            ["EP1", "Enables", None, "EP1.1", None, None, None, None, None],
        ]
        content = edited({"Dependencies": with_rows("Dependencies", *rows)})
        problems = problems_of(content, organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Dependencies", 5, "On item")]
        assert problems[0][3].startswith("This would close a cycle: EP1 enables EP1.1, ")
        assert "EP1 needs EP2" in problems[0][3] and "EP2 needs EP1.1" in problems[0][3]

    def test_an_item_and_an_external_programme_together(self, organisation):
        problems = problems_of(changed("Dependencies", 2, "External programme", "X"), organisation)
        assert problems == [
            (
                "Dependencies",
                2,
                "External programme",
                "Name either an item or an external programme, not both.",
            )
        ]

    def test_unknown_references(self, organisation):
        content = edited(
            {
                "Delivery updates": [
                    SHEETS["Delivery updates"][0],
                    ["EP9", dt.date(2024, 7, 1), None, "In progress", None, None, None],
                ],
                "Dependencies": [
                    SHEETS["Dependencies"][0],
                    ["EP1", "Needs", None, "EP9", None, None, None, None, None],
                ],
            }
        )
        assert problems_of(content, organisation) == [
            ("Delivery updates", 2, "Item", "“EP9” is not a row of the sheet “Delivery items”"),
            ("Dependencies", 2, "On item", "“EP9” is not a row of the sheet “Delivery items”"),
        ]

    def test_a_level_under_the_wrong_parent(self, organisation):
        problems = problems_of(changed("Delivery items", 5, "Part of", "EP"), organisation)
        assert problems == [
            (
                "Delivery items",
                5,
                "Part of",
                "A milestone sits under an intervention or project; EP is a programme.",
            )
        ]

    def test_a_programme_with_a_parent(self, organisation):
        problems = problems_of(changed("Delivery items", 2, "Part of", "EP2"), organisation)
        assert problems == [
            ("Delivery items", 2, "Part of", "A programme is at the top: it has no parent.")
        ]

    def test_dates_that_contradict_the_timescale(self, organisation):
        problems = problems_of(changed("Delivery items", 3, "Due date", "2025-01-31"), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Delivery items", 3, "Due date")]
        assert "The timescale “by March 2025” gives 31 March 2025" in problems[0][3]

    def test_duplicate_item_references(self, organisation):
        problems = problems_of(changed("Delivery items", 6, "Reference", "EP1"), organisation)
        assert ("Delivery items", 6, "Reference") in [(s, r, c) for s, r, c, _ in problems]

    def test_a_completed_update_that_is_not_blue(self, organisation):
        problems = problems_of(changed("Delivery updates", 4, "RAG", "Green"), organisation)
        assert problems == [("Delivery updates", 4, "RAG", "A completed item is Blue.")]

    def test_an_update_before_the_plan_starts(self, organisation):
        problems = problems_of(changed("Delivery updates", 2, "As at", "2020-01-01"), organisation)
        assert problems == [
            (
                "Delivery updates",
                2,
                "As at",
                "The date cannot be before the plan starts (1 April 2024).",
            )
        ]

    def test_a_body_loop(self, organisation):
        problems = problems_of(
            changed("Governance bodies", 2, "Part of", "Estates Programme Board"), organisation
        )
        assert [(s, r, c) for s, r, c, _ in problems] == [
            ("Governance bodies", 2, "Part of"),
            ("Governance bodies", 3, "Part of"),
        ]
        assert "Trust Board → Estates Programme Board → Trust Board" in problems[0][3]

    def test_a_lineage_to_itself(self, organisation):
        problems = problems_of(changed("Lineage", 2, "Other item", "EP2"), organisation)
        assert problems == [
            (
                "Lineage",
                2,
                "Other item",
                "An item cannot be merged into, split from or superseded by itself.",
            )
        ]

    def test_a_lineage_loop(self, organisation):
        # Row 2 has EP2 merged into EP1; EP1 superseded by EP2 would make EP2 go on as itself.
        row = ["EP1", "Superseded by", None, "EP2", "Replaced", None, None]
        problems = problems_of(edited({"Lineage": with_rows("Lineage", row)}), organisation)
        assert [(s, r, c) for s, r, c, _ in problems] == [("Lineage", 3, "Other item")]
        assert "go on as itself" in problems[0][3]
        assert "EP2 merged into EP1" in problems[0][3]


@pytest.mark.django_db
class TestDemoDeliveryPlans:
    def test_herefordshire_round_trip_reuses_the_councils_cabinet(self, demo):
        plan = Plan.objects.get(slug="hssp-shared-services-2009-10")
        cabinet = GovernanceBody.objects.get(name="Cabinet")
        empty = empty_like(plan.organisation)
        copy = import_workbook("plan.xlsx", plan_workbook(plan), empty).plan
        assert GovernanceBody.objects.filter(name="Cabinet").count() == 1
        assert set(cabinet.plans.all()) == {plan, copy}
        decision = Decision.objects.get(body=cabinet)
        assert sorted((i.plan.slug, i.reference) for i in decision.items.all()) == sorted(
            [(plan.slug, "SS"), (plan.slug, "SS2.1"), (copy.slug, "SS"), (copy.slug, "SS2.1")]
        )
        board = GovernanceBody.objects.get(organisation=empty)
        assert board.name == "Business Transformation Board"
        assert (
            DeliveryItem.objects.filter(plan=copy).count()
            == DeliveryItem.objects.filter(plan=plan).count()
        )

    def test_a_partnership_plan_needs_the_same_members(self, demo):
        plan = Plan.objects.get(slug="hssp-shared-services-2009-10")
        bare = OrganisationFactory(kind=OrganisationKind.PARTNERSHIP)
        problems = problems_of(plan_workbook(plan), bare)
        assert {(s, c) for s, _, c, _ in problems} == {
            ("Delivery items", "Organisations involved"),
            ("Governance bodies", "Organisation"),
        }
        assert all("is not a member of" in reason for *_, reason in problems)

    @pytest.mark.parametrize(
        "slug", ["hssp-shared-services-2009-10", "sel-stp-delivery-plans-2016-21"]
    )
    def test_every_delivery_record_of_the_demo_is_exported(self, demo, slug):
        plan = Plan.objects.get(slug=slug)
        exported = cells(plan_workbook(plan))
        counts = {
            "Delivery items": DeliveryItem.objects.filter(plan=plan).count(),
            "Delivery updates": DeliveryUpdate.objects.filter(item__plan=plan).count(),
            "Year figures": YearFigure.objects.filter(item__plan=plan).count(),
            "Dependencies": Dependency.objects.filter(item__plan=plan).count(),
            "Lineage": Lineage.objects.filter(item__plan=plan).count(),
            "Decisions": Decision.objects.filter(items__plan=plan).distinct().count(),
        }
        assert counts["Delivery items"] > 0 and counts["Year figures"] > 0
        assert {sheet: len(exported[sheet]) - 1 for sheet in counts} == counts
        overseeing = GovernanceBody.objects.filter(Q(plans=plan) | Q(items__plan=plan)).distinct()
        assert {row[0] for row in exported["Governance bodies"][1:]} == {b.name for b in overseeing}
