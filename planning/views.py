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
    if request.user.is_superuser:
        organisations = permissions.organisations_where(request.user, Action.VIEW)
    else:
        # The same organisations as ids from the memberships every page reads: an IN list is
        # quicker to compile than the permission subquery (the superuser's would cost a query).
        ids = permissions.organisation_ids_where(request.user, Action.VIEW)
        organisations = Organisation.objects.filter(pk__in=ids)
    organisations = organisations.with_plans()
    return TemplateResponse(request, "planning/home.html", {"organisations": organisations})


def landing(request):
    """The page the user's role uses most (planning.landing)."""
    return redirect(landings.landing_url(request.user))
