"""Landing by role after sign-in (planning.landing, planning.views.SignInView)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from planning.landing import current_plan, landing_url
from tests.factories import MembershipFactory, PlanFactory, UserFactory

LOGIN = reverse("login")
TODAY = dt.date(2026, 11, 26)  # 2026/27


def sign_in(client, user, next_url=None):
    data = {"username": user.username, "password": "password"}
    url = LOGIN + (f"?next={next_url}" if next_url is not None else "")
    if next_url is not None:
        data["next"] = next_url
    return client.post(url, data)


@pytest.mark.django_db
class TestLandingAfterSignIn:
    def test_manager_lands_on_my_work(self, client, contributor, plan):
        assert sign_in(client, contributor)["Location"] == reverse("objectives:my_work")

    def test_board_member_lands_on_the_latest_scorecard(self, client, viewer, plan):
        expected = reverse("reporting:scorecard", args=[plan.slug])
        assert sign_in(client, viewer)["Location"] == expected

    @pytest.mark.parametrize("role", ["planner", "org_admin"])
    def test_planner_and_administrator_land_on_the_plan_page(self, client, request, role, plan):
        user = request.getfixturevalue(role)
        assert sign_in(client, user)["Location"] == plan.get_absolute_url()

    def test_an_explicit_next_is_respected(self, client, viewer, plan):
        kpis = reverse("kpis:list", args=[plan.slug])
        assert sign_in(client, viewer, kpis)["Location"] == kpis

    def test_next_home_is_what_opening_the_site_adds_so_lands_by_role(
        self, client, contributor, plan
    ):
        opened = client.get("/")
        assert opened["Location"] == f"{LOGIN}?next=/"
        assert sign_in(client, contributor, "/")["Location"] == reverse("objectives:my_work")

    def test_an_unsafe_next_is_ignored(self, client, contributor, plan):
        response = sign_in(client, contributor, "https://evil.example/")
        assert response["Location"] == reverse("objectives:my_work")

    def test_no_membership_lands_on_the_list_of_plans(self, client):
        user = UserFactory()
        assert sign_in(client, user)["Location"] == reverse("planning:home")

    def test_the_landing_url_redirects_by_role(self, client, contributor, plan):
        client.force_login(contributor)
        response = client.get(reverse("planning:landing"))
        assert response["Location"] == reverse("objectives:my_work")

    def test_the_list_of_plans_is_still_there(self, client, viewer, plan):
        client.force_login(viewer)
        response = client.get(reverse("planning:home"))
        assert response.status_code == 200
        assert plan.get_absolute_url() in response.text


@pytest.mark.django_db
class TestStrongestRoleAndCurrentPlan:
    def test_strongest_membership_decides(self, organisation, other_organisation):
        plan = PlanFactory(organisation=other_organisation)
        user = MembershipFactory(organisation=organisation, role="viewer").user
        MembershipFactory(user=user, organisation=other_organisation, role="planner")
        assert landing_url(user, TODAY) == plan.get_absolute_url()

    def test_current_plan_covers_this_year_else_latest_not_superseded(self, organisation):
        old = PlanFactory(organisation=organisation, start_year=2020, end_year=2022)
        latest = PlanFactory(
            organisation=organisation, start_year=2027, end_year=2027, status="draft"
        )
        assert current_plan(organisation.pk, TODAY) == latest
        covering = PlanFactory(organisation=organisation, start_year=2025, end_year=2027)
        assert current_plan(organisation.pk, TODAY) == covering
        covering.status = "superseded"
        covering.save()
        assert current_plan(organisation.pk, TODAY) == latest
        assert old != current_plan(organisation.pk, TODAY)

    def test_an_organisation_without_a_plan(self, organisation):
        user = MembershipFactory(organisation=organisation, role="viewer").user
        assert landing_url(user, TODAY) == reverse("planning:home")


@pytest.mark.django_db
class TestMenu:
    def test_board_members_do_not_see_my_work(self, client, viewer, plan):
        client.force_login(viewer)
        assert reverse("objectives:my_work") not in client.get(reverse("planning:home")).text
        # …but the page itself still answers, as before.
        assert client.get(reverse("objectives:my_work")).status_code == 200

    @pytest.mark.parametrize("role", ["contributor", "planner", "org_admin"])
    def test_those_who_update_see_my_work(self, client, request, role, plan):
        client.force_login(request.getfixturevalue(role))
        assert reverse("objectives:my_work") in client.get(reverse("planning:home")).text
