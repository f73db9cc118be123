"""Where a person lands after signing in: the page their role uses most.

- a planner or an administrator: the plan page of their organisation's current plan (which shows
  them what needs attention this quarter);
- a contributor (manager): My work;
- a viewer (board member): the latest scorecard of their organisation's current plan;
- anyone else (a superuser without a membership, or an organisation with no plan): the home
  page's list of plans.

A person with several memberships lands as their strongest role. URL names are strings: the
pages belong to the apps above the core.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone

from planning import fy, permissions
from planning.models import MembershipRole, Plan, PlanStatus

R = MembershipRole
# Strongest first.
ROLE_ORDER = [R.ADMIN, R.PLANNER, R.CONTRIBUTOR, R.VIEWER]


def current_plan(organisation_id: int, today: dt.date | None = None) -> Plan | None:
    """The organisation's plan that covers this financial year, else its latest; a superseded
    plan only when there is no other. One query."""
    year = fy.fy_start_year(today or timezone.localdate())
    return (
        Plan.objects.filter(organisation_id=organisation_id)
        .annotate(
            superseded=Case(
                When(status=PlanStatus.SUPERSEDED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            covers_today=Case(
                When(start_year__lte=year, end_year__gte=year, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("superseded", "covers_today", "-start_year", "title")
        .first()
    )


def landing_url(user, today: dt.date | None = None) -> str:
    """The page to show ``user`` first (see the module docstring)."""
    home = reverse("planning:home")
    held = permissions.memberships(user)
    if not held:
        return home
    membership = min(held.values(), key=lambda m: ROLE_ORDER.index(m.role))
    if membership.role == R.CONTRIBUTOR:
        return reverse("objectives:my_work")
    plan = current_plan(membership.organisation_id, today)
    if plan is None:
        return home
    if membership.role == R.VIEWER:
        return reverse("reporting:scorecard", kwargs={"slug": plan.slug})
    return reverse("reporting:plan_detail", kwargs={"slug": plan.slug})


class LandsByRole:
    """A mixin for Django's LoginView: land by role (landing_url) unless the person was on their
    way to a page. ``?next=/`` counts as no destination: it is what the sign-in redirect adds for
    someone who opened the site's address, and they should land by role, not on the list of
    plans."""

    def get_redirect_url(self, request=None):
        url = super().get_redirect_url(request)
        return "" if url == reverse("planning:home") else url

    def get_default_redirect_url(self):
        return landing_url(self.request.user)
