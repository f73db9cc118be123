"""The delivery hierarchy's pages: what they show, who may act, stale saves (409), bad input
(400, next to the field, nothing saved), and a constant number of queries at 1x and 10x."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from delivery.models import DeliveryItem, DeliveryUpdate, YearFigure
from planning.models import Membership, PartnershipMember, Person
from tests.delivery.factories_hierarchy import (
    DeliveryItemFactory,
    DeliveryUpdateFactory,
    YearFigureFactory,
    tree_of,
)
from tests.factories import OrganisationFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db
D = Decimal


def token_of(body: str) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', body)[1]


def item_url(item, name="item"):
    return reverse(f"delivery:{name}", args=[item.pk])


def tree_url(plan):
    return reverse("delivery:tree", args=[plan.slug])


class TestReading:
    def test_the_tree_shows_every_level_with_its_facts(self, client, plan, viewer):
        member = OrganisationFactory(name="Lewisham CCG")
        PartnershipMember.objects.create(partnership=plan.organisation, member=member)
        # A partnership role counts while its holder belongs to a member organisation.
        Membership.objects.create(user=viewer, organisation=member, role="viewer")
        programme = DeliveryItemFactory(
            plan=plan,
            reference="CP",
            title="Collaborative Productivity",
            level_label="Programme",
            sro_text="Martin Shaw",
        )
        workstream = DeliveryItemFactory(
            parent=programme,
            reference="CP2",
            title="Estates",
            place="Lewisham",
            timescale_text="by March 2010",
        )
        workstream.organisations.add(member)
        DeliveryUpdateFactory(item=workstream)
        client.force_login(viewer)
        body = client.get(tree_url(plan)).content.decode()
        for text in (
            "Collaborative Productivity",
            "Martin Shaw",
            "CP2",
            "Estates",
            "Lewisham CCG",
            "Lewisham",
            "“by March 2010”",
            "Workstream",
        ):
            assert text in body
        assert "Add a programme or item" not in body  # a viewer edits nothing

    def test_the_item_page_shows_fields_children_history_and_figures(self, client, plan, viewer):
        programme = DeliveryItemFactory(plan=plan, case_for_change="Too many estates")
        child = DeliveryItemFactory(parent=programme, title="Child item")
        DeliveryUpdateFactory(item=programme, progress="Board agreed the case")
        YearFigureFactory(item=programme, low=D("3400000"), high=D("5400000"))
        client.force_login(viewer)
        body = client.get(item_url(programme)).content.decode()
        for text in ("Too many estates", child.title, "Board agreed the case", "£3.4m–£5.4m"):
            assert text in body
        assert "Update progress" not in body

    def test_the_benefits_page_keeps_confidences_apart(self, client, plan, viewer):
        plan.start_year, plan.end_year = 2009, 2011
        plan.save()
        one, two = DeliveryItemFactory(plan=plan, title="Alpha"), DeliveryItemFactory(plan=plan)
        YearFigureFactory(
            item=DeliveryItemFactory(parent=one),
            financial_year=2010,
            low=D("1000000"),
            high=D("2000000"),
        )
        YearFigureFactory(item=one, financial_year=2010, low=D("400000"), high=D("400000"))
        YearFigureFactory(
            item=two,
            financial_year=2010,
            low=D("1500000"),
            high=D("1500000"),
            confidence="delivered",
        )
        YearFigureFactory(item=two, financial_year=None, measure="fte", low=D("35"), high=D("60"))
        client.force_login(viewer)
        body = client.get(reverse("delivery:benefits", args=[plan.slug])).content.decode()
        assert "£1.4m–£2.4m" in body  # estimates: 1m–2m plus 400,000
        assert "£1.5m" in body  # delivered, in its own column
        assert "£2.9m" not in body and "£3.9m" not in body  # never added to the estimates
        assert "35–60" in body and "Year not stated" in body
        assert '<th scope="col" class="nhsuk-table__header">Delivered</th>' in body


class TestQueries:
    @pytest.mark.parametrize("page", ["tree", "item", "benefits"])
    def test_the_same_queries_at_ten_times_the_size(
        self, client, organisation, planner, django_assert_max_num_queries, page
    ):
        from tests.factories import PlanFactory

        def build(size):
            plan = PlanFactory(organisation=organisation)
            items = tree_of(plan, programmes=size, width=2)
            role = RoleFactory(organisation=organisation)
            people = [PersonFactory(organisation=organisation) for _ in range(size)]
            for item in items:
                item.lead_roles.add(role)
                item.lead_people.add(*people)
                item.organisations.add(organisation)
            top = items[0]
            for n in range(size):
                DeliveryItemFactory(parent=top)
                DeliveryUpdateFactory(item=top)
            for year in range(size):
                YearFigureFactory(item=top, financial_year=2006 + year)
                YearFigureFactory(
                    item=items[-1], financial_year=2006 + year, confidence="delivered"
                )
            if page == "tree":
                return tree_url(plan)
            if page == "benefits":
                return reverse("delivery:benefits", args=[plan.slug])
            return item_url(top)

        small, large = build(1), build(10)
        client.force_login(planner)
        client.get(small)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(small).status_code == 200
        with django_assert_max_num_queries(len(captured.captured_queries)):
            assert client.get(large).status_code == 200


class TestProgressPage:
    def post_update(self, client, item, **values):
        body = client.get(item_url(item)).content.decode()
        data = {
            "as_at": "2006-09-30",
            "rag": "green",
            "status": "in_progress",
            "progress": "",
            "next_steps": "",
            "version": str(item.version),
            "submission_token": token_of(body),
        }
        return client.post(item_url(item, "item_update"), data | values)

    def test_a_stale_update_is_refused_with_409_and_shows_theirs(self, client, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        client.force_login(planner)
        stale_form = client.get(item_url(item)).content.decode()
        assert self.post_update(client, item, progress="Theirs").status_code == 302
        response = client.post(
            item_url(item, "item_update"),
            {
                "as_at": "2006-10-01",
                "rag": "red",
                "status": "in_progress",
                "progress": "Mine",
                "version": "1",
                "submission_token": token_of(stale_form),
            },
        )
        assert response.status_code == 409
        body = response.content.decode()
        assert "Somebody else updated this item" in body and "“Theirs”" in body
        assert 'name="version" value="2"' in body  # saving again is a deliberate choice
        assert DeliveryUpdate.objects.count() == 1

    def test_bad_input_is_refused_next_to_the_field(self, client, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        client.force_login(planner)
        response = self.post_update(client, item, rag="red", progress="")
        assert response.status_code == 400
        assert "Explain why the item is Red or Amber" in response.content.decode()
        assert not DeliveryUpdate.objects.exists()

    def test_a_contributor_updates_the_items_they_lead(self, client, plan, contributor):
        led, other = DeliveryItemFactory(plan=plan), DeliveryItemFactory(plan=plan)
        role = RoleFactory(organisation=plan.organisation)
        Person.objects.create(
            organisation=plan.organisation, name="Lead", user=contributor
        ).roles.add(role)
        led.lead_roles.add(role)
        client.force_login(contributor)
        assert self.post_update(client, led).status_code == 302
        assert client.get(item_url(other, "item_update")).status_code == 403
        assert "Update progress" not in client.get(item_url(other)).content.decode()
        sro = DeliveryItemFactory(plan=plan, sro_person=Person.objects.get(user=contributor))
        assert self.post_update(client, sro).status_code == 302


class TestEditing:
    def test_a_planner_adds_an_item_under_its_parent(self, client, plan, planner):
        programme = DeliveryItemFactory(plan=plan)
        client.force_login(planner)
        url = reverse("delivery:item_create", args=[plan.slug]) + f"?parent={programme.pk}"
        body = client.get(url).content.decode()
        response = client.post(
            url,
            {
                "level": "workstream",
                "parent": programme.pk,
                "reference": "W9",
                "title": "Estates",
                "timescale_text": "Oct 2006",
                "submission_token": token_of(body),
            },
        )
        assert response.status_code == 302
        item = DeliveryItem.objects.get(reference="W9")
        assert item.parent == programme and str(item.due_date) == "2006-10-01"

    def test_a_level_in_the_wrong_place_is_refused_next_to_the_field(self, client, plan, planner):
        programme = DeliveryItemFactory(plan=plan)
        client.force_login(planner)
        url = reverse("delivery:item_create", args=[plan.slug])
        response = client.post(
            url, {"level": "milestone", "parent": programme.pk, "reference": "M", "title": "M"}
        )
        assert response.status_code == 400
        assert "A milestone sits under an intervention or project" in response.content.decode()
        assert DeliveryItem.objects.count() == 1

    def test_a_workstream_without_its_programme_is_refused_on_the_field(
        self, client, plan, planner
    ):
        client.force_login(planner)
        url = reverse("delivery:item_create", args=[plan.slug])
        response = client.post(url, {"level": "workstream", "reference": "W", "title": "W"})
        assert response.status_code == 400
        body = response.content.decode()
        assert "Choose the programme this workstream is part of." in body
        assert 'href="#id_parent"' in body  # the error summary points at the field
        assert not DeliveryItem.objects.exists()

    def test_a_ratified_plan_shows_the_lock_and_refuses_edits(self, client, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        plan.status = "ratified"
        plan.save()
        client.force_login(planner)
        assert "its content is locked" in client.get(tree_url(plan)).content.decode()
        body = client.get(item_url(item, "item_edit")).content.decode()
        response = client.post(
            item_url(item, "item_edit"),
            {
                "level": "programme",
                "reference": "X",
                "title": "Changed",
                "version": "1",
                "submission_token": token_of(body),
            },
        )
        assert response.status_code == 400
        item.refresh_from_db()
        assert item.title != "Changed"

    def test_delete_asks_first_and_refuses_an_item_with_children(self, client, plan, planner):
        programme = DeliveryItemFactory(plan=plan)
        DeliveryItemFactory(parent=programme)
        client.force_login(planner)
        response = client.post(item_url(programme, "item_delete"), {"version": "1"})
        assert response.status_code == 400
        assert "cannot be deleted" in response.content.decode()
        bare = DeliveryItemFactory(plan=plan)
        assert "Delete item" in client.get(item_url(bare, "item_delete")).content.decode()
        response = client.post(item_url(bare, "item_delete"), {"version": "1"})
        assert response.status_code == 302
        assert not DeliveryItem.objects.filter(pk=bare.pk).exists()

    def test_move_uses_the_version(self, client, plan, planner):
        first, second = DeliveryItemFactory(plan=plan), DeliveryItemFactory(plan=plan)
        client.force_login(planner)
        client.post(item_url(second, "item_move"), {"version": "1", "direction": "up"})
        assert list(DeliveryItem.objects.filter(plan=plan).order_by("order", "pk")) == [
            second,
            first,
        ]
        response = client.post(
            item_url(second, "item_move"), {"version": "1", "direction": "down"}, follow=True
        )
        assert "Somebody else changed this item" in response.content.decode()

    def test_a_figure_with_its_low_above_its_high_is_refused(self, client, plan, planner):
        item = DeliveryItemFactory(plan=plan)
        client.force_login(planner)
        url = item_url(item, "figure_create")
        body = client.get(url).content.decode()
        data = {
            "measure": "gross_savings",
            "financial_year": "2006",
            "low": "5",
            "high": "3",
            "confidence": "estimate",
            "submission_token": token_of(body),
        }
        response = client.post(url, data)
        assert response.status_code == 400
        assert "The low figure cannot be more than the high figure." in response.content.decode()
        response = client.post(url, data | {"financial_year": "2030"})
        assert response.status_code == 400
        assert "Choose a year of the plan" in response.content.decode()
        assert not YearFigure.objects.exists()
        response = client.post(url, data | {"low": "3400000", "high": ""})
        assert response.status_code == 302
        assert YearFigure.objects.get().high == D("3400000")

    def test_a_stale_figure_edit_is_409(self, client, plan, planner):
        figure = YearFigureFactory(item=DeliveryItemFactory(plan=plan))
        client.force_login(planner)
        data = {
            "measure": "gross_savings",
            "financial_year": "2006",
            "low": "1",
            "high": "2",
            "confidence": "estimate",
            "version": "1",
        }
        assert client.post(item_url(figure, "figure_edit"), data).status_code == 302
        response = client.post(item_url(figure, "figure_edit"), data | {"low": "0"})
        assert response.status_code == 409
        figure.refresh_from_db()
        assert figure.low == D("1")
