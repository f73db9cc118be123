"""delivery.services_links: every refusal of the issue's "bad input" for links, with nothing
saved, and what is allowed; lineage and dependencies shown at both ends (the selector and the
item page's include)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from delivery import selectors_links, services_links
from delivery.models import Decision, Dependency, GovernanceBody, Lineage
from planning.concurrency import StaleEditError
from tests.delivery.factories_links import (
    DecisionFactory,
    DeliveryItemFactory,
    DependencyFactory,
    GovernanceBodyFactory,
    LineageFactory,
)
from tests.factories import MembershipFactory, OrganisationFactory, PlanFactory, RiskFactory

pytestmark = pytest.mark.django_db


def dep_data(on_item=None, kind="needs", external="", **extra):
    return {
        "kind": kind,
        "on_item": on_item,
        "external": external,
        "owner_text": "",
        "owner_role": None,
        "status": "open",
        "note": "",
        **extra,
    }


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def items(plan):
    return [DeliveryItemFactory(plan=plan, reference=f"CP{n}") for n in range(1, 5)]


class TestDependencies:
    def test_on_itself_is_refused(self, planner, items):
        with pytest.raises(ValidationError) as excinfo:
            services_links.dependency_create(item=items[0], by=planner, data=dep_data(items[0]))
        assert errors_of(excinfo)["on_item"] == ["An item cannot depend on itself."]
        assert not Dependency.objects.exists()

    def test_closing_a_cycle_is_refused_and_named(self, planner, items):
        a, b, c, _ = items
        for item, on in ((a, b), (b, c)):
            services_links.dependency_create(item=item, by=planner, data=dep_data(on))
        with pytest.raises(ValidationError) as excinfo:
            services_links.dependency_create(item=c, by=planner, data=dep_data(a))
        message = errors_of(excinfo)["on_item"][0]
        assert "CP3 needs CP1, CP1 needs CP2 and CP2 needs CP3" in message
        assert Dependency.objects.count() == 2

    def test_enables_closes_a_cycle_with_needs(self, planner, items):
        a, b, *_ = items
        services_links.dependency_create(item=a, by=planner, data=dep_data(b))
        with pytest.raises(ValidationError):
            services_links.dependency_create(item=a, by=planner, data=dep_data(b, "enables"))

    def test_related_never_closes_a_cycle(self, planner, items):
        a, b, *_ = items
        services_links.dependency_create(item=a, by=planner, data=dep_data(b))
        services_links.dependency_create(item=b, by=planner, data=dep_data(a, "related"))
        assert Dependency.objects.count() == 2

    def test_changing_a_dependency_into_a_cycle_is_refused(self, planner, items):
        a, b, c, _ = items
        services_links.dependency_create(item=a, by=planner, data=dep_data(b))
        dep = services_links.dependency_create(item=b, by=planner, data=dep_data(c))
        with pytest.raises(ValidationError):
            services_links.dependency_update(
                dependency=dep, by=planner, expected_version=1, data=dep_data(a)
            )
        dep.refresh_from_db()
        assert (dep.on_item_id, dep.version) == (c.pk, 1)

    def test_external_programme(self, planner, items):
        dep = services_links.dependency_create(
            item=items[0], by=planner, data=dep_data(external=" Herefordshire Connects ")
        )
        assert dep.external == "Herefordshire Connects"
        assert dep.history.first().history_user == planner

    def test_neither_or_both_targets_are_refused(self, planner, items):
        with pytest.raises(ValidationError):
            services_links.dependency_create(item=items[0], by=planner, data=dep_data())
        with pytest.raises(ValidationError):
            services_links.dependency_create(
                item=items[0], by=planner, data=dep_data(items[1], external="X")
            )

    def test_another_partnerships_item_needs_the_right_to_edit_its_plan(self, planner, items):
        other_item = DeliveryItemFactory(plan=PlanFactory(organisation=OrganisationFactory()))
        membership = MembershipFactory(
            user=planner, organisation=other_item.plan.organisation, role="viewer"
        )
        with pytest.raises(ValidationError) as excinfo:
            services_links.dependency_create(item=items[0], by=planner, data=dep_data(other_item))
        assert "cannot edit" in errors_of(excinfo)["on_item"][0]
        assert not Dependency.objects.exists()
        membership.role = "planner"
        membership.save()
        del planner._waymark_memberships  # the role changed: read the memberships again
        services_links.dependency_create(item=items[0], by=planner, data=dep_data(other_item))

    def test_an_item_of_a_plan_one_cannot_see_is_refused(self, planner, items):
        hidden = DeliveryItemFactory(plan=PlanFactory(organisation=OrganisationFactory()))
        with pytest.raises(ValidationError) as excinfo:
            services_links.dependency_create(item=items[0], by=planner, data=dep_data(hidden))
        assert errors_of(excinfo)["on_item"] == ["Choose an item of a plan you can see."]

    def test_a_stale_edit_is_refused(self, planner, items):
        dep = DependencyFactory(item=items[0], on_item=items[1])
        services_links.dependency_update(
            dependency=dep, by=planner, expected_version=1, data=dep_data(items[1], note="Mine")
        )
        with pytest.raises(StaleEditError):
            services_links.dependency_update(
                dependency=dep, by=planner, expected_version=1, data=dep_data(items[2])
            )
        with pytest.raises(StaleEditError):
            services_links.dependency_delete(dependency=dep, by=planner, expected_version=1)
        services_links.dependency_delete(dependency=dep, by=planner, expected_version=2)
        assert not Dependency.objects.exists()

    def test_a_ratified_plan_is_locked(self, planner, items, plan):
        plan.status = "ratified"
        plan.save()
        with pytest.raises(ValidationError) as excinfo:
            services_links.dependency_create(item=items[0], by=planner, data=dep_data(items[1]))
        assert excinfo.value.code == "plan_locked"

    def test_shown_at_both_ends(self, planner, items):
        services_links.dependency_create(item=items[0], by=planner, data=dep_data(items[1]))
        here = selectors_links.item_links(items[0], planner)
        there = selectors_links.item_links(items[1], planner)
        assert [d.on_item for d in here.dependencies] == [items[1]]
        assert here.dependents == []
        assert [d.item for d in there.dependents] == [items[0]]


class TestLineage:
    def data(self, other, kind="merged_into"):
        return {"kind": kind, "other": other, "reason": "One board", "date": None, "date_text": ""}

    def test_shown_at_both_ends(self, planner, items, client):
        services_links.lineage_create(item=items[0], by=planner, data=self.data(items[1]))
        merged = selectors_links.item_links(items[0], planner)
        absorbing = selectors_links.item_links(items[1], planner)
        assert [e.other for e in merged.lineage] == [items[1]]
        assert [e.item for e in absorbing.lineage_from] == [items[0]]
        here = render_to_string("delivery/links/_item_links.html", {"links": merged})
        there = render_to_string("delivery/links/_item_links.html", {"links": absorbing})
        assert "Merged into" in here and "CP2" in here
        assert "Absorbed" in there and "CP1" in there

    def test_itself_is_refused(self, planner, items):
        with pytest.raises(ValidationError) as excinfo:
            services_links.lineage_create(item=items[0], by=planner, data=self.data(items[0]))
        assert "itself" in errors_of(excinfo)["other"][0]
        assert not Lineage.objects.exists()

    def test_a_merge_into_a_plan_one_may_not_edit_is_refused(self, planner, items):
        elsewhere = DeliveryItemFactory(plan=PlanFactory(organisation=OrganisationFactory()))
        MembershipFactory(user=planner, organisation=elsewhere.plan.organisation, role="viewer")
        with pytest.raises(ValidationError) as excinfo:
            services_links.lineage_create(item=items[0], by=planner, data=self.data(elsewhere))
        assert "which you cannot edit" in errors_of(excinfo)["other"][0]
        assert not Lineage.objects.exists()

    def test_another_plan_one_may_edit_is_fine(self, planner, items, organisation):
        later = DeliveryItemFactory(plan=PlanFactory(organisation=organisation))
        services_links.lineage_create(
            item=items[0], by=planner, data=self.data(later, "superseded_by")
        )
        links = selectors_links.item_links(later, planner)
        html = render_to_string("delivery/links/_item_links.html", {"links": links})
        assert "Supersedes" in html

    def test_a_loop_is_refused_and_named(self, planner, items):
        a, b, c, _ = items
        services_links.lineage_create(item=a, by=planner, data=self.data(b))
        services_links.lineage_create(item=b, by=planner, data=self.data(c, "superseded_by"))
        with pytest.raises(ValidationError) as excinfo:
            services_links.lineage_create(item=c, by=planner, data=self.data(a))
        assert errors_of(excinfo)["other"] == [
            "This would make CP3 go on as itself: CP3 merged into CP1, CP1 merged into CP2 and "
            "CP2 superseded by CP3. Change or remove one of those records first."
        ]
        assert Lineage.objects.count() == 2

    def test_a_split_back_from_what_it_became_is_refused(self, planner, items):
        services_links.lineage_create(item=items[0], by=planner, data=self.data(items[1]))
        with pytest.raises(ValidationError) as excinfo:
            services_links.lineage_create(
                item=items[0], by=planner, data=self.data(items[1], "split_from")
            )
        assert "go on as itself" in errors_of(excinfo)["other"][0]
        assert Lineage.objects.count() == 1

    def test_changing_an_entry_into_a_loop_is_refused(self, planner, items):
        a, b, c, d = items
        services_links.lineage_create(item=a, by=planner, data=self.data(b))
        entry = services_links.lineage_create(item=b, by=planner, data=self.data(c))
        with pytest.raises(ValidationError):
            services_links.lineage_update(
                lineage=entry, by=planner, expected_version=1, data=self.data(a)
            )
        entry.refresh_from_db()
        assert entry.other == c and entry.version == 1
        # Pointing it elsewhere, away from the loop, is fine (its own old edge does not count).
        services_links.lineage_update(
            lineage=entry, by=planner, expected_version=1, data=self.data(d)
        )

    def test_a_loop_across_plans_is_refused(self, planner, items, organisation):
        later = DeliveryItemFactory(plan=PlanFactory(organisation=organisation))
        services_links.lineage_create(
            item=items[0], by=planner, data=self.data(later, "superseded_by")
        )
        with pytest.raises(ValidationError):
            services_links.lineage_create(item=later, by=planner, data=self.data(items[0]))
        assert Lineage.objects.count() == 1

    def test_a_merge_into_another_organisations_plan_is_refused(self, planner, items):
        elsewhere = DeliveryItemFactory(plan=PlanFactory(organisation=OrganisationFactory()))
        with pytest.raises(ValidationError) as excinfo:
            services_links.lineage_create(item=items[0], by=planner, data=self.data(elsewhere))
        assert "which you cannot edit" in errors_of(excinfo)["other"][0]
        assert not Lineage.objects.exists()

    def test_an_unknown_kind_is_refused_on_its_field(self, planner, items):
        with pytest.raises(ValidationError) as excinfo:
            services_links.lineage_create(
                item=items[0], by=planner, data=self.data(items[1], "renamed")
            )
        assert "kind" in errors_of(excinfo)
        assert not Lineage.objects.exists()

    def test_twice_is_refused(self, planner, items):
        services_links.lineage_create(item=items[0], by=planner, data=self.data(items[1]))
        with pytest.raises(ValidationError):
            services_links.lineage_create(item=items[0], by=planner, data=self.data(items[1]))
        assert Lineage.objects.count() == 1

    def test_edit_is_version_checked(self, planner, items):
        entry = LineageFactory(item=items[0], other=items[1])
        services_links.lineage_update(
            lineage=entry,
            by=planner,
            expected_version=1,
            data={"reason": "Better words"} | {"kind": "merged_into", "other": items[1]},
        )
        with pytest.raises(StaleEditError):
            services_links.lineage_update(
                lineage=entry, by=planner, expected_version=1, data=self.data(items[1])
            )


class TestGovernance:
    def body_data(self, **extra):
        return {"name": "Shared Services Board", "kind": "board", "parent": None} | extra

    def test_a_body_below_itself_is_refused(self, planner, organisation):
        top = services_links.body_create(
            organisation=organisation, by=planner, data=self.body_data()
        )
        mid = services_links.body_create(
            organisation=organisation,
            by=planner,
            data=self.body_data(name="Programme Board", parent=top),
        )
        low = services_links.body_create(
            organisation=organisation,
            by=planner,
            data=self.body_data(name="Workstream group", parent=mid),
        )
        with pytest.raises(ValidationError) as excinfo:
            services_links.body_update(
                body=top, by=planner, expected_version=1, data=self.body_data(parent=low)
            )
        message = errors_of(excinfo)["parent"][0]
        assert (
            "Shared Services Board → Programme Board → Workstream group → Shared Services Board"
            in message
        )
        top.refresh_from_db()
        assert top.parent_id is None and top.version == 1

    def test_a_parent_of_another_organisation_is_refused(self, planner, organisation):
        foreign = GovernanceBodyFactory()
        with pytest.raises(ValidationError):
            services_links.body_create(
                organisation=organisation, by=planner, data=self.body_data(parent=foreign)
            )
        assert not GovernanceBody.objects.filter(organisation=organisation).exists()

    def test_the_tree_and_its_depths(self, organisation, plan):
        board = GovernanceBodyFactory(organisation=organisation, name="Board", order=0)
        prog = GovernanceBodyFactory(organisation=organisation, name="Programme", parent=board)
        clg = GovernanceBodyFactory(organisation=organisation, name="CLG", parent=prog)
        GovernanceBodyFactory(organisation=organisation, name="Audit", parent=board)
        clg.plans.add(plan)
        gov = selectors_links.organisation_governance(organisation)
        (root,) = gov.forest
        assert root.body == board and root.depth == 0
        assert [c.body.name for c in root.children] == ["Audit", "Programme"]
        assert root.children[1].children[0].body == clg
        assert root.children[1].children[0].depth == 2
        # A plan's page keeps the bodies overseeing it and those above them.
        (proot,) = selectors_links.plan_governance(plan).forest
        assert [c.body.name for c in proot.children] == ["Programme"]
        assert proot.children[0].children[0].highlighted

    def test_delete_is_refused_while_it_has_children_or_decisions(self, planner, organisation):
        board = GovernanceBodyFactory(organisation=organisation)
        GovernanceBodyFactory(organisation=organisation, parent=board)
        with pytest.raises(ValidationError):
            services_links.body_delete(body=board, by=planner, expected_version=1)
        lone = GovernanceBodyFactory(organisation=organisation)
        DecisionFactory(body=lone)
        assert "decisions" in services_links.body_delete_refusal(lone)

    def test_decision_items_of_another_organisation_are_refused(self, planner, organisation):
        body = GovernanceBodyFactory(organisation=organisation)
        foreign = DeliveryItemFactory()
        data = {"date": "2009-07-14", "decision": "Merge", "recommendation": "", "items": [foreign]}
        with pytest.raises(ValidationError):
            services_links.decision_create(body=body, by=planner, data=data)
        assert not Decision.objects.exists()


class TestRisks:
    def test_only_the_organisations_risks(self, planner, items, organisation):
        own = RiskFactory(organisation=organisation)
        foreign = RiskFactory()
        with pytest.raises(ValidationError):
            services_links.item_risks_set(
                item=items[0], by=planner, expected_version=1, risks=[own, foreign]
            )
        assert not items[0].risks.exists()
        services_links.item_risks_set(item=items[0], by=planner, expected_version=1, risks=[own])
        links = selectors_links.item_links(items[0], planner)
        html = render_to_string("delivery/links/_item_links.html", {"links": links})
        assert "12 High" in html  # assurance's score and band (3 × 4 in the default bands)
        with pytest.raises(StaleEditError):
            services_links.item_risks_set(item=items[0], by=planner, expected_version=1, risks=[])


class TestOversight:
    """Which body oversees which plan or programme: plans, programmes and workstreams of the
    body's organisation, or of a partnership it is a member of where the person may edit that
    partnership's plans; nothing else, and nothing the person may not change is dropped."""

    @pytest.fixture
    def world(self):
        from tests.partnerships.factories import build_partnership_world

        world = build_partnership_world()
        # A planner of the council who also plans in the partnership, and one who does not.
        world["both"] = MembershipFactory(organisation=world["council"], role="planner").user
        MembershipFactory(user=world["both"], organisation=world["partnership"], role="planner")
        world["council_only"] = MembershipFactory(
            organisation=world["council"], role="planner"
        ).user
        world["cabinet"] = GovernanceBodyFactory(organisation=world["council"], name="Cabinet")
        programme = DeliveryItemFactory(plan=world["p_plan"], reference="SS")
        world["programme"] = programme
        world["workstream"] = DeliveryItemFactory(
            plan=world["p_plan"], parent=programme, reference="SS3"
        )
        world["intervention"] = DeliveryItemFactory(
            plan=world["p_plan"], parent=world["workstream"], reference="SS3.1"
        )
        return world

    def update(self, world, by, **data):
        cabinet = world["cabinet"]
        cabinet.refresh_from_db()
        base = {"name": "Cabinet", "kind": "other", "parent": None}
        return services_links.body_update(
            body=cabinet, by=by, expected_version=cabinet.version, data=base | data
        )

    def test_a_members_body_oversees_the_partnerships_plan_and_workstream(self, world):
        self.update(world, world["both"], plans=[world["p_plan"]], items=[world["workstream"]])
        cabinet = world["cabinet"]
        assert list(cabinet.plans.all()) == [world["p_plan"]]
        assert list(cabinet.items.all()) == [world["workstream"]]

    def test_not_without_the_right_to_edit_the_partnerships_plans(self, world):
        with pytest.raises(ValidationError) as excinfo:
            self.update(world, world["council_only"], plans=[world["p_plan"]])
        assert "partnership it is a member of" in errors_of(excinfo)["plans"][0]
        assert not world["cabinet"].plans.exists()

    def test_not_a_plan_of_an_organisation_outside_it(self, world, organisation):
        foreign = PlanFactory(organisation=world["elsewhere"])
        MembershipFactory(user=world["both"], organisation=world["elsewhere"], role="planner")
        with pytest.raises(ValidationError) as excinfo:
            self.update(world, world["both"], plans=[foreign])
        assert "plans" in errors_of(excinfo)
        assert not world["cabinet"].plans.exists()

    def test_an_intervention_is_overseen_through_its_workstream(self, world):
        with pytest.raises(ValidationError) as excinfo:
            self.update(world, world["both"], items=[world["programme"], world["intervention"]])
        message = errors_of(excinfo)["items"][0]
        assert "SS3.1 is intervention or project" in message
        assert not world["cabinet"].items.exists()

    def test_links_the_person_may_not_change_are_kept(self, world):
        self.update(world, world["both"], plans=[world["p_plan"]], items=[world["programme"]])
        own = PlanFactory(organisation=world["council"])
        # The council-only planner is not offered the partnership's plan: saving keeps it.
        self.update(world, world["council_only"], plans=[own], items=[])
        cabinet = world["cabinet"]
        assert set(cabinet.plans.all()) == {own, world["p_plan"]}
        assert list(cabinet.items.all()) == [world["programme"]]
        # Whoever may edit the partnership's plans may remove them.
        self.update(world, world["both"], plans=[own], items=[])
        assert list(cabinet.plans.all()) == [own]
        assert not cabinet.items.exists()

    def test_the_form_offers_what_the_service_allows(self, world):
        from delivery.forms_links import BodyForm

        both = BodyForm(organisation=world["council"], user=world["both"])
        alone = BodyForm(organisation=world["council"], user=world["council_only"])
        assert world["p_plan"] in both.fields["plans"].queryset
        assert world["p_plan"] not in alone.fields["plans"].queryset
        offered = set(both.fields["items"].queryset)
        assert offered == {world["programme"], world["workstream"]}

    def test_shown_on_the_partnerships_plan_and_hidden_from_who_may_not_see_it(self, world):
        self.update(world, world["both"], plans=[world["p_plan"]], items=[world["programme"]])
        DecisionFactory(body=world["cabinet"]).items.add(world["programme"])
        gov = selectors_links.plan_governance(world["p_plan"], world["p_planner"])
        assert [node.body for node in gov.forest] == [world["cabinet"]]
        assert [d.body for d in gov.decisions] == [world["cabinet"]]
        # On the council's page, a council person outside the partnership sees it counted,
        # never named.
        council = selectors_links.organisation_governance(world["council"], world["member_only"])
        (body,) = council.bodies
        assert body.shown_plans == [] and body.shown_items == [] and body.hidden == 2
        (decision,) = council.decisions
        assert decision.shown_items == [] and decision.hidden == 1
        seen = selectors_links.organisation_governance(world["council"], world["both"])
        assert seen.bodies[0].shown_plans == [world["p_plan"]] and seen.bodies[0].hidden == 0

    def test_the_partnership_plans_page_names_the_members_body_without_change_links(
        self, world, client
    ):
        from django.urls import reverse

        self.update(world, world["both"], plans=[world["p_plan"]])
        client.force_login(world["p_planner"])
        url = reverse("delivery:plan_governance", args=[world["p_plan"].slug])
        html = client.get(url).content.decode()
        assert "Cabinet" in html and "Shire Council" in html
        assert reverse("delivery:body_edit", args=[world["cabinet"].pk]) not in html
