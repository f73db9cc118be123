"""The delivery links rows of tests/test_permission_matrix.py (and of
tests/test_contributor_rights.py): every view, every role, own and other organisation. The
records are built on first use in the matrix's ``world`` (a dict), as tests/frameworks does."""

from __future__ import annotations

from django.urls import reverse

from tests.delivery.factories_links import (
    DecisionFactory,
    DeliveryItemFactory,
    DependencyFactory,
    GovernanceBodyFactory,
    LineageFactory,
)


def records(w: dict) -> dict:
    """Two items of the home plan, a dependency and a lineage between them, a body with a
    decision, and a body with nothing (so a permitted delete goes through)."""
    if "links" not in w:
        programme = DeliveryItemFactory(plan=w["plan"], title="Shared services programme")
        workstream = DeliveryItemFactory(plan=w["plan"], parent=programme)
        body = GovernanceBodyFactory(organisation=w["home"], name="Shared Services Board")
        body.plans.add(w["plan"])
        w["links"] = {
            "item": programme,
            "other": workstream,
            "dependency": DependencyFactory(item=workstream, on_item=programme),
            "lineage": LineageFactory(item=workstream, other=programme),
            "body": body,
            "spare_body": GovernanceBodyFactory(organisation=w["home"], name="Old board"),
            "decision": DecisionFactory(body=body),
        }
    return w["links"]


def _url(name: str, record: str | None = None, *, slug: str | None = None):
    def build(w):
        found = records(w)  # the page has something to show (and to keep from others)
        if slug == "organisation":
            return reverse(f"delivery:{name}", args=[w["home"].slug])
        if slug == "plan":
            return reverse(f"delivery:{name}", args=[w["plan"].slug])
        return reverse(f"delivery:{name}", args=[found[record].pk])

    return build


ROLES = ("viewer", "contributor", "lead_contributor", "planner", "admin")
EDITORS = {"viewer": 403, "contributor": 403, "lead_contributor": 403}


def _get_post(name, build, *, posted=400, data=None):
    """The form (GET) and a post of it: incomplete (400 for those who may: nothing saved), or
    `data` that saves (302)."""
    get = {role: EDITORS.get(role, 200) for role in ROLES}
    post = {role: EDITORS.get(role, posted) for role in ROLES}
    rows = {f"links_{name}_form": ("get", build, get)}
    rows[f"links_{name}_post"] = ("post", build, post) + ((data,) if data else ())
    return rows


def _version(w):
    return {"version": "1"}


LINKS_VIEWS = {
    "links_dependencies": ("get", _url("dependencies", slug="plan"), {}),
    "links_plan_governance": ("get", _url("plan_governance", slug="plan"), {}),
    "links_governance": ("get", _url("governance", slug="organisation"), {}),
    **_get_post("dependency_create", _url("dependency_create", "item")),
    **_get_post("dependency_edit", _url("dependency_edit", "dependency")),
    **_get_post("dependency_delete", _url("dependency_delete", "dependency"), posted=302),
    **_get_post("lineage_create", _url("lineage_create", "item")),
    **_get_post("lineage_edit", _url("lineage_edit", "lineage")),
    **_get_post("lineage_delete", _url("lineage_delete", "lineage"), posted=302),
    # Posting the version and no risk: unlinks nothing, saves (302).
    **_get_post("item_risks", _url("item_risks", "item"), posted=302, data=_version),
    **_get_post("body_create", _url("body_create", slug="organisation")),
    **_get_post("body_edit", _url("body_edit", "body")),
    **_get_post("body_delete", _url("body_delete", "spare_body"), posted=302),
    # The body with a decision: refused past the permission (400), nothing deleted.
    **_get_post("body_delete_in_use", _url("body_delete", "body")),
    **_get_post("decision_create", _url("decision_create", "body")),
    **_get_post("decision_edit", _url("decision_edit", "decision")),
    **_get_post("decision_delete", _url("decision_delete", "decision"), posted=302),
}
