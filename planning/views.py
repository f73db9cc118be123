"""The home page: the plans of the organisations the user may see (planning.permissions)."""

from __future__ import annotations

from django.template.response import TemplateResponse

from planning import permissions
from planning.permissions import Action


def home(request):
    organisations = permissions.organisations_where(request.user, Action.VIEW).with_plans()
    return TemplateResponse(request, "planning/home.html", {"organisations": organisations})
