"""The home page and the plan page. Reads come from planning.selectors; access from
planning.permissions.organisations_where(), so a plan of another organisation is simply not
found (404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from planning import permissions, selectors
from planning.audit import recent_changes
from planning.models import Plan
from planning.permissions import Action


def home(request):
    organisations = permissions.organisations_where(request.user, Action.VIEW).with_plans()
    return TemplateResponse(request, "planning/home.html", {"organisations": organisations})


def plan_detail(request, slug):
    visible = permissions.organisations_where(request.user, Action.VIEW)
    plan = get_object_or_404(Plan.objects.in_organisations(visible).with_structure(), slug=slug)
    return TemplateResponse(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "page": selectors.plan_page(plan),
            "breadcrumbs": [{"text": "Home", "href": reverse("planning:home")}],
        },
    )


def audit(request):
    """Recent changes to plan records in the organisations where the user may audit."""
    org_ids = permissions.organisation_ids_where(request.user, Action.VIEW_AUDIT)
    if not org_ids:
        raise PermissionDenied("Only planners and administrators can see the audit trail.")
    return TemplateResponse(
        request,
        "planning/audit.html",
        {
            "changes": recent_changes(org_ids, limit=100),
            "breadcrumbs": [{"text": "Home", "href": reverse("planning:home")}],
        },
    )
