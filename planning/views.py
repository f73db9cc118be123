"""The home page and the plan page. Reads come from planning.selectors; access from the
QuerySets' for_user(), so a plan of another organisation is simply not found (404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from planning import permissions, selectors
from planning.audit import recent_changes
from planning.models import Organisation, Plan
from planning.permissions import Action


def home(request):
    organisations = Organisation.objects.for_user(request.user).with_plans()
    return TemplateResponse(request, "planning/home.html", {"organisations": organisations})


def plan_detail(request, slug):
    plan = get_object_or_404(Plan.objects.for_user(request.user).with_structure(), slug=slug)
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
    org_ids = [
        org_id
        for org_id in permissions.memberships(request.user)
        if permissions.has_permission(request.user, Action.VIEW_AUDIT, org_id)
    ]
    if request.user.is_superuser:
        org_ids = list(Organisation.objects.values_list("pk", flat=True))
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
