"""The home page (the plans of the organisations the user may see, planning.permissions), the
landing page after sign-in (planning.landing). The sign-in view is in planning.session_views."""

from __future__ import annotations

from django.shortcuts import redirect
from django.template.response import TemplateResponse

from planning import landing as landings
from planning import permissions
from planning.models import Organisation
from planning.permissions import Action


def home(request):
    visible = permissions.organisations_for_filter(request.user, Action.VIEW)
    organisations = Organisation.objects.filter(pk__in=visible).with_plans()
    return TemplateResponse(request, "planning/home.html", {"organisations": organisations})


def landing(request):
    """The page the user's role uses most (planning.landing)."""
    return redirect(landings.landing_url(request.user))
