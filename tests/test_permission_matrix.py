"""Every role × every view and export × own or other organisation, enforced server-side.

A member of another organisation gets 404 for a record (an id in a URL confirms nothing) and
sees none of its rows in lists and exports.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.fy import Quarter
from planning.models import VisionBullet
from tests.factories import (
    KPIFactory,
    MembershipFactory,
    MilestoneFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PlanFactory,
    ProgressUpdateFactory,
    SwotItemFactory,
    reopen_reported_quarters,
)
from workbook.models import PendingImport

ROLES = ["viewer", "contributor", "lead_contributor", "planner", "admin"]
SECRET = "Relocate the secret HQ"


@pytest.fixture
def world(db):
    home = OrganisationFactory(name="Home Trust")
    plan = PlanFactory(organisation=home, title="Home Plan")
    # The posts below report on 2006-Q1, locked long ago (planning.reporting_window): reopened.
    reopen_reported_quarters(plan)
    unit = OrgUnitFactory(organisation=home, name="Estates")
    objective = ObjectiveFactory(plan=plan, text=SECRET, org_unit=unit)
    # An update of this quarter (open to correction) entered by nobody here: only planners
    # may correct or withdraw it.
    quarter = Quarter.containing(timezone.localdate())
    update = ProgressUpdateFactory(
        objective=objective, financial_year=quarter.year, quarter=quarter.number
    )
    milestone = MilestoneFactory(objective=objective)
    kpi = KPIFactory(plan=plan, code="L1")
    bullet = VisionBullet.objects.create(plan=plan, text="A vision", order=1)
    swot_item = SwotItemFactory(plan=plan, quadrant="S")
    away = OrganisationFactory(name="Away Trust")
    uploader = MembershipFactory(organisation=home, role="planner").user
    pending = PendingImport.objects.create(
        organisation=home, user=uploader, name="plan.xlsx", content=b"PK"
    )
    return {
        "pending": pending,
        "home": home,
        "away": away,
        "plan": plan,
        "objective": objective,
        "unit": unit,
        "update": update,
        "milestone": milestone,
        "kpi": kpi,
        "bullet": bullet,
        "swot_item": swot_item,
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
        "version": str(objective.version),  # a fresh milestone's version is 1 too
        "reason": "Mistyped",
        "text": "A milestone",
        "kind": "operational",  # the objective form (planners)
        # The plan-editing pages (planning.editing_views): a SWOT item's quadrant; a move.
        "quadrant": "S",
        "direction": "down",  # moving an item within its list
    }


# view name → (method, url builder, expected status by role for the home organisation)
CAN_UPDATE = {
    "viewer": 403,
    "contributor": 403,
    "lead_contributor": None,
    "planner": None,
    "admin": None,
}
# The reporting calendar: planners and administrators only (Action.EDIT_PLAN).
CAN_EDIT_PLAN = {
    "viewer": 403,
    "contributor": 403,
    "lead_contributor": 403,
    "planner": None,
    "admin": None,
}
# Correcting somebody else's update: planners and administrators only.
CAN_CORRECT_OTHERS = {
    "viewer": 403,
    "contributor": 403,
    "lead_contributor": 403,
    "planner": None,
    "admin": None,
}

# Editing the plan's items: planners and administrators only; a contributor keeps progress
# updates and gains none of these.
CAN_EDIT_PLAN = {
    "viewer": 403,
    "contributor": 403,
    "lead_contributor": 403,
    "planner": None,
    "admin": None,
}


def _get_and_post(name, url, allowed):
    return {
        f"{name}_form": ("get", url, {k: v or 200 for k, v in allowed.items()}),
        f"{name}_post": ("post", url, {k: v or 302 for k, v in allowed.items()}),
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
    **_get_and_post(
        "update_correct",
        lambda w: reverse("objectives:update_correct", args=[w["update"].pk]),
        CAN_CORRECT_OTHERS,
    ),
    **_get_and_post(
        "update_withdraw",
        lambda w: reverse("objectives:update_withdraw", args=[w["update"].pk]),
        CAN_CORRECT_OTHERS,
    ),
    **_get_and_post(
        "milestone_create",
        lambda w: reverse("objectives:milestone_create", args=[w["objective"].pk]),
        CAN_UPDATE,
    ),
    **_get_and_post(
        "milestone_edit",
        lambda w: reverse("objectives:milestone_edit", args=[w["milestone"].pk]),
        CAN_UPDATE,
    ),
    **_get_and_post(
        "objective_create",
        lambda w: reverse("objectives:create", args=[w["plan"].slug]),
        CAN_EDIT_PLAN,
    ),
    **_get_and_post(
        "objective_edit",
        lambda w: reverse("objectives:edit", args=[w["objective"].pk]),
        CAN_EDIT_PLAN,
    ),
    "objective_close_form": (
        "get",
        lambda w: reverse("objectives:close", args=[w["objective"].pk]),
        {k: v or 200 for k, v in CAN_EDIT_PLAN.items()},
    ),
    # The shared data's status (In progress) is not a way to close: past the permission, 400.
    "objective_close_post": (
        "post",
        lambda w: reverse("objectives:close", args=[w["objective"].pk]),
        {k: v or 400 for k, v in CAN_EDIT_PLAN.items()},
    ),
    "objective_move_post": (
        "post",
        lambda w: reverse("objectives:move", args=[w["objective"].pk]),
        {k: v or 302 for k, v in CAN_EDIT_PLAN.items()},
    ),
    "objective_delete_form": (
        "get",
        lambda w: reverse("objectives:delete", args=[w["objective"].pk]),
        {k: v or 200 for k, v in CAN_EDIT_PLAN.items()},
    ),
    # The item has a progress update and a milestone: a planner's delete is refused (400).
    "objective_delete_post": (
        "post",
        lambda w: reverse("objectives:delete", args=[w["objective"].pk]),
        {k: v or 400 for k, v in CAN_EDIT_PLAN.items()},
    ),
    "reporting_calendar": (
        "get",
        lambda w: reverse("planning:reporting_calendar", args=[w["plan"].slug]),
        {k: v or 200 for k, v in CAN_EDIT_PLAN.items()},
    ),
    # 2010-Q1: locked, and not among the quarters the fixture reopened.
    **_get_and_post(
        "quarter_reopen",
        lambda w: reverse("planning:quarter_reopen", args=[w["plan"].slug, "2010-Q1"]),
        CAN_EDIT_PLAN,
    ),
    "quarter_relock_post": (
        "post",
        lambda w: reverse("planning:quarter_relock", args=[w["plan"].slug, "2006-Q1"]),
        {k: v or 302 for k, v in CAN_EDIT_PLAN.items()},
    ),
    "milestone_complete_post": (
        "post",
        lambda w: reverse("objectives:milestone_complete", args=[w["milestone"].pk]),
        {k: v or 302 for k, v in CAN_UPDATE.items()},
    ),
    # The plan's details and lifecycle (planning.views_lifecycle). The posts carry too little to
    # save the details or approve a draft, so those who may get the form back (400).
    "plan_details_form": (
        "get",
        lambda w: reverse("planning:plan_details", args=[w["plan"].slug]),
        {"viewer": 403, "contributor": 403, "lead_contributor": 403},
    ),
    "plan_details_post": (
        "post",
        lambda w: reverse("planning:plan_details", args=[w["plan"].slug]),
        {"viewer": 403, "contributor": 403, "lead_contributor": 403, "planner": 400, "admin": 400},
    ),
    **_get_and_post(
        "plan_submit",
        lambda w: reverse("planning:plan_step", args=[w["plan"].slug, "submit"]),
        {
            "viewer": 403,
            "contributor": 403,
            "lead_contributor": 403,
            "planner": None,
            "admin": None,
        },
    ),
    **{
        f"plan_{step}_{kind}": (
            method,
            lambda w, step=step: reverse("planning:plan_step", args=[w["plan"].slug, step]),
            {"viewer": 403, "contributor": 403, "lead_contributor": 403, "planner": 403}
            | {"admin": 200 if method == "get" else 400},
        )
        for step in ("approve", "ratify", "send_back")
        for kind, method in (("form", "get"), ("post", "post"))
    },
}
# Editing a plan's lists (planning.editing_views): planners and administrators only.
EDITED_LISTS = [
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
]
CAN_EDIT_PLAN = {
    "viewer": 403,
    "contributor": 403,
    "lead_contributor": 403,
    "planner": None,
    "admin": None,
}
# Every list's page; every kind of change on two of them (the views are the same for all).
for _kind in EDITED_LISTS:
    RECORD_VIEWS[f"edit_{_kind}_list"] = (
        "get",
        lambda w, k=_kind: reverse("planning:edit_list", args=[w["plan"].slug, k]),
        {k: v or 200 for k, v in CAN_EDIT_PLAN.items()},
    )
for _kind, _record in (("vision", "bullet"), ("swot", "swot_item")):
    RECORD_VIEWS.update(
        _get_and_post(
            f"edit_{_kind}_add",
            lambda w, k=_kind: reverse("planning:edit_add", args=[w["plan"].slug, k]),
            CAN_EDIT_PLAN,
        )
    )
    for _view in ("edit_item", "edit_delete"):
        RECORD_VIEWS.update(
            _get_and_post(
                f"{_view}_{_kind}",
                lambda w, k=_kind, r=_record, v=_view: reverse(
                    f"planning:{v}", args=[w["plan"].slug, k, w[r].pk]
                ),
                CAN_EDIT_PLAN,
            )
        )
    RECORD_VIEWS[f"edit_{_kind}_move_post"] = (
        "post",
        lambda w, k=_kind, r=_record: reverse(
            "planning:edit_move", args=[w["plan"].slug, k, w[r].pk]
        ),
        {k: v or 302 for k, v in CAN_EDIT_PLAN.items()},
    )

# The plan workbook (workbook/): planners and administrators only (Action.EXCHANGE_WORKBOOK).
RECORD_VIEWS["workbook_download"] = (
    "get",
    lambda w: reverse("workbook:plan_download", args=[w["plan"].slug]),
    {k: v or 200 for k, v in CAN_EDIT_PLAN.items()},
)
RECORD_VIEWS["workbook_import_form"] = (
    "get",
    lambda w: reverse("workbook:import_upload", args=[w["home"].slug]),
    {k: v or 200 for k, v in CAN_EDIT_PLAN.items()},
)
# Posted without a file: past the permission, the form's error (400).
RECORD_VIEWS["workbook_import_post"] = (
    "post",
    lambda w: reverse("workbook:import_upload", args=[w["home"].slug]),
    {k: v or 400 for k, v in CAN_EDIT_PLAN.items()},
)
# Another user's upload: past the permission, not found (an upload is its uploader's only).
for _method in ("get", "post"):
    RECORD_VIEWS[f"workbook_import_preview_{_method}"] = (
        _method,
        lambda w: reverse("workbook:import_preview", args=[w["home"].slug, w["pending"].token]),
        {k: v or 404 for k, v in CAN_EDIT_PLAN.items()},
    )

LIST_VIEWS = {
    "home": (None, "planning:home", {}),
    "my_work": (None, "objectives:my_work", {}),
    "objective_list": (None, "objectives:list", {}),
    # Everyone who may read may export what they read.
    "export_csv": (None, "objectives:export_csv", {}),
    "export_xlsx": (None, "objectives:export_xlsx", {}),
    "audit": (
        None,
        "reporting:audit",
        {"viewer": 403, "contributor": 403, "lead_contributor": 403},
    ),
    # The blank plan workbook: for those who may import a plan somewhere.
    "workbook_template": (
        None,
        "workbook:template",
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
