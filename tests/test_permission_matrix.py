"""Every role × every view and export × own or other organisation, enforced server-side.

A member of another organisation gets 404 for a record (an id in a URL confirms nothing) and
sees none of its rows in lists and exports.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import (
    KPIFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PlanFactory,
)

ROLES = ["viewer", "contributor", "lead_contributor", "planner", "admin"]
SECRET = "Relocate the secret HQ"


@pytest.fixture
def world(db):
    home = OrganisationFactory(name="Home Trust")
    plan = PlanFactory(organisation=home, title="Home Plan")
    unit = OrgUnitFactory(organisation=home, name="Estates")
    objective = ObjectiveFactory(plan=plan, text=SECRET, org_unit=unit)
    kpi = KPIFactory(plan=plan, code="L1")
    away = OrganisationFactory(name="Away Trust")
    return {
        "home": home,
        "away": away,
        "plan": plan,
        "objective": objective,
        "unit": unit,
        "kpi": kpi,
    }


def user_for(world, role: str, where: str):
    org = world[where]
    membership = MembershipFactory(
        organisation=org, role="contributor" if role == "lead_contributor" else role
    )
    if role == "lead_contributor" and where == "home":
        membership.org_units.add(world["unit"])
    return membership.user


def update_data(objective):
    return {
        "period": "2006-Q1",
        "rag": "green",
        "status": "in_progress",
        "percent_complete": "10",
        "version": str(objective.version),
    }


# view name → (method, url builder, expected status by role for the home organisation)
CAN_UPDATE = {
    "viewer": 403,
    "contributor": 403,
    "lead_contributor": None,
    "planner": None,
    "admin": None,
}
RECORD_VIEWS = {
    "plan_detail": ("get", lambda w: reverse("reporting:plan_detail", args=[w["plan"].slug]), {}),
    "objective_detail": (
        "get",
        lambda w: reverse("objectives:detail", args=[w["objective"].pk]),
        {},
    ),
    "objective_update_form": (
        "get",
        lambda w: reverse("objectives:update", args=[w["objective"].pk]),
        {k: v or 200 for k, v in CAN_UPDATE.items()},
    ),
    "kpi_target_change": (
        "get",
        lambda w: reverse("kpis:target_change", args=[w["kpi"].pk]),
        {"viewer": 403, "contributor": 403, "lead_contributor": 403},
    ),
    "objective_update_post": (
        "post",
        lambda w: reverse("objectives:update", args=[w["objective"].pk]),
        {k: v or 302 for k, v in CAN_UPDATE.items()},
    ),
}
LIST_VIEWS = {
    "home": (None, "planning:home", {}),
    "my_work": (None, "objectives:my_work", {}),
    "objective_list": (None, "objectives:list", {}),
    "export_csv": (None, "objectives:export_csv", {"contributor": 403, "lead_contributor": 403}),
    "export_xlsx": (None, "objectives:export_xlsx", {"contributor": 403, "lead_contributor": 403}),
    "audit": (
        None,
        "reporting:audit",
        {"viewer": 403, "contributor": 403, "lead_contributor": 403},
    ),
}


@pytest.mark.django_db
class TestPermissionMatrix:
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("view", RECORD_VIEWS)
    def test_record_views_own_organisation(self, client, world, role, view):
        method, url, expected = RECORD_VIEWS[view]
        client.force_login(user_for(world, role, "home"))
        data = update_data(world["objective"]) if method == "post" else None
        response = getattr(client, method)(url(world), data)
        assert response.status_code == expected.get(role, 200)

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("view", RECORD_VIEWS)
    def test_record_views_other_organisation_is_404(self, client, world, role, view):
        method, url, _ = RECORD_VIEWS[view]
        client.force_login(user_for(world, role, "away"))
        data = update_data(world["objective"]) if method == "post" else None
        assert getattr(client, method)(url(world), data).status_code == 404

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("view", LIST_VIEWS)
    def test_list_views_own_organisation(self, client, world, role, view):
        _, name, expected = LIST_VIEWS[view]
        client.force_login(user_for(world, role, "home"))
        response = client.get(reverse(name))
        assert response.status_code == expected.get(role, 200)

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("view", LIST_VIEWS)
    def test_list_views_other_organisation_show_nothing_of_ours(self, client, world, role, view):
        _, name, expected = LIST_VIEWS[view]
        client.force_login(user_for(world, role, "away"))
        response = client.get(reverse(name))
        assert response.status_code == expected.get(role, 200)
        body = response.content.decode(errors="replace")
        assert SECRET not in body
        assert "Home Plan" not in body

    @pytest.mark.parametrize("view", [*LIST_VIEWS, *RECORD_VIEWS])
    def test_anonymous_is_sent_to_sign_in(self, client, world, view):
        url = reverse(LIST_VIEWS[view][1]) if view in LIST_VIEWS else RECORD_VIEWS[view][1](world)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
