"""The links pages through their views: the dependency page's diagram and table, governance
pages, the forms' refusals shown next to their field, and a constant number of queries at 1x
and 10x the data (the dependency and governance pages, and the item page's selector)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery import selectors_links
from delivery.models import DeliveryItem, Dependency, Lineage
from tests.delivery.factories_links import (
    DecisionFactory,
    DeliveryItemFactory,
    DependencyFactory,
    GovernanceBodyFactory,
    LineageFactory,
)
from tests.factories import MembershipFactory, PlanFactory, RiskFactory

pytestmark = pytest.mark.django_db


def build(plan, n: int):
    """n programmes, each with a workstream; chains of needs, an external programme, another
    plan's item, lineage, bodies, decisions and risks: everything the pages show, n times."""
    other_plan = PlanFactory(organisation=plan.organisation)
    board = GovernanceBodyFactory(organisation=plan.organisation, name=f"Board {n}")
    board.plans.add(plan)
    previous = None
    for i in range(n):
        programme = DeliveryItemFactory(plan=plan, title=f"Programme {i}")
        workstream = DeliveryItemFactory(plan=plan, parent=programme)
        elsewhere = DeliveryItemFactory(plan=other_plan)
        DependencyFactory(item=workstream, on_item=programme, kind="needs")
        DependencyFactory(item=programme, on_item=None, external=f"External {i}", kind="needs")
        DependencyFactory(item=elsewhere, on_item=workstream, kind="enables", status="at_risk")
        if previous is not None:
            DependencyFactory(item=programme, on_item=previous, kind="related")
        LineageFactory(item=elsewhere, other=programme)
        body = GovernanceBodyFactory(organisation=plan.organisation, parent=board)
        body.items.add(programme)
        DecisionFactory(body=body).items.add(programme, workstream)
        programme.risks.add(RiskFactory(organisation=plan.organisation))
        previous = programme
    return previous


class TestDependencyPage:
    def test_diagram_and_table(self, client, viewer, plan):
        build(plan, 2)
        client.force_login(viewer)
        response = client.get(reverse("delivery:dependencies", args=[plan.slug]))
        assert response.status_code == 200
        html = response.content.decode()
        svg = re.search(r"<svg[^>]*app-dependency-diagram.*?</svg>", html, re.S).group(0)
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        assert "External 1" in svg and "Outside Waymark" in svg
        assert "style=" not in svg
        assert "<caption" in html and "External 0" in html
        assert "At risk" in html  # the status in words, not colour alone
        # A viewer sees no change links.
        assert "dependencies/add" not in html

    def test_an_item_of_a_plan_the_reader_cannot_see_is_not_named(self, client, viewer, plan):
        mine = DeliveryItemFactory(plan=plan)
        secret = DeliveryItemFactory(title="Secret merger", reference="SECRET7")  # elsewhere
        DependencyFactory(item=secret, on_item=mine, kind="needs")
        client.force_login(viewer)
        html = client.get(reverse("delivery:dependencies", args=[plan.slug])).content.decode()
        assert "Secret merger" not in html and "SECRET7" not in html
        assert "a plan you cannot see" in html

    @pytest.mark.parametrize("n", [1, 10])
    def test_constant_queries(self, client, planner, plan, n, django_assert_max_num_queries):
        build(plan, n)
        client.force_login(planner)
        url = reverse("delivery:dependencies", args=[plan.slug])
        client.get(url)  # the session and the cached memberships settle
        with django_assert_max_num_queries(7):
            assert client.get(url).status_code == 200


class TestGovernancePages:
    @pytest.mark.parametrize("n", [1, 10])
    def test_constant_queries(self, client, planner, plan, n, django_assert_max_num_queries):
        build(plan, n)
        client.force_login(planner)
        for url in (
            reverse("delivery:governance", args=[plan.organisation.slug]),
            reverse("delivery:plan_governance", args=[plan.slug]),
        ):
            client.get(url)
            with django_assert_max_num_queries(11):
                response = client.get(url)
            assert response.status_code == 200
            assert "Decisions log" in response.content.decode()

    def test_tree_is_a_nested_list(self, client, viewer, organisation):
        board = GovernanceBodyFactory(organisation=organisation, name="Shared Services Board")
        GovernanceBodyFactory(organisation=organisation, name="Programme Board", parent=board)
        client.force_login(viewer)
        html = client.get(reverse("delivery:governance", args=[organisation.slug])).content.decode()
        outer = html.index("Shared Services Board")
        inner = html.index("Programme Board")
        assert outer < html.index("app-body-tree--nested") < inner
        assert "Add a governance body" not in html  # a viewer may not


class TestItemSelector:
    def test_constant_queries(self, planner, plan):
        counts = []
        for n in (1, 10):
            item = build(plan, n)
            # As the item page has them: the item with its plan, a fresh user each request.
            item = DeliveryItem.objects.select_related("plan__organisation").get(pk=item.pk)
            user = type(planner).objects.get(pk=planner.pk)
            with CaptureQueriesContext(connection) as queries:
                links = selectors_links.item_links(item, user)
                render_to_string(
                    "delivery/links/_item_links.html", {"links": links, "can_edit": True}
                )
            counts.append(len(queries))
        assert counts[0] == counts[1] <= 9, counts


class TestForms:
    def test_a_cycle_is_refused_next_to_the_field(self, client, planner, plan):
        a, b = DeliveryItemFactory(plan=plan, reference="A1"), DeliveryItemFactory(plan=plan)
        DependencyFactory(item=a, on_item=b, kind="needs")
        client.force_login(planner)
        url = reverse("delivery:dependency_create", args=[b.pk])
        page = client.get(url).content.decode()
        token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
        response = client.post(
            url, {"kind": "needs", "on_item": a.pk, "status": "open", "submission_token": token}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html and "would close a cycle" in html
        assert Dependency.objects.count() == 1

    def test_a_lineage_loop_is_refused_next_to_the_field(self, client, planner, plan):
        a = DeliveryItemFactory(plan=plan, reference="A1")
        b = DeliveryItemFactory(plan=plan, reference="B1")
        LineageFactory(item=b, other=a, kind="superseded_by")
        client.force_login(planner)
        url = reverse("delivery:lineage_create", args=[a.pk])
        response = client.post(
            url, {"kind": "merged_into", "other": b.pk, "reason": "One board for both"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html
        assert "A1 merged into B1 and B1 superseded by A1" in html
        assert Lineage.objects.count() == 1

    def test_add_then_see_it_at_both_ends(self, client, planner, plan):
        a, b = DeliveryItemFactory(plan=plan), DeliveryItemFactory(plan=plan)
        client.force_login(planner)
        url = reverse("delivery:lineage_create", args=[a.pk])
        response = client.post(
            url, {"kind": "merged_into", "other": b.pk, "reason": "One board for both"}
        )
        assert response.status_code == 302
        assert Lineage.objects.get().history.first().history_user == planner

    def test_a_stale_edit_is_shown_with_the_other_version(self, client, planner, plan):
        dep = DependencyFactory(item=DeliveryItemFactory(plan=plan), on_item=None, external="X")
        Dependency.objects.filter(pk=dep.pk).update(version=2, note="Theirs")
        client.force_login(planner)
        response = client.post(
            reverse("delivery:dependency_edit", args=[dep.pk]),
            {"kind": "needs", "external": "X", "status": "open", "note": "Mine", "version": 1},
        )
        assert response.status_code == 409
        dep.refresh_from_db()
        assert dep.note == "Theirs"

    def test_another_organisations_item_cannot_be_chosen(self, client, planner, plan):
        item = DeliveryItemFactory(plan=plan)
        foreign = DeliveryItemFactory()
        client.force_login(planner)
        response = client.post(
            reverse("delivery:dependency_create", args=[item.pk]),
            {"kind": "needs", "on_item": foreign.pk, "status": "open"},
        )
        assert response.status_code == 400
        assert not Dependency.objects.exists()

    def test_a_viewer_of_the_other_partnership_cannot_link_to_it(self, client, planner, plan):
        item = DeliveryItemFactory(plan=plan)
        theirs = DeliveryItemFactory()
        MembershipFactory(user=planner, organisation=theirs.plan.organisation, role="viewer")
        client.force_login(planner)
        response = client.post(
            reverse("delivery:dependency_create", args=[item.pk]),
            {"kind": "needs", "on_item": theirs.pk, "status": "open"},
        )
        assert response.status_code == 400
        assert "cannot edit" in response.content.decode()
        assert not Dependency.objects.exists()
