"""Who may see and change budgets: planning.permissions' rules, plus one for partners.

- A plan's budget summary, monitoring and savings programme: Action.VIEW in the plan's
  organisation (every role). Changing lines, actuals, thresholds or schemes: Action.EDIT_PLAN
  (planners and administrators). As everywhere, an outsider gets 404 and a member without the
  right 403 (planning.permissions.require).
- **Partner view (the one new rule).** A member of an organisation that funds a provider under
  a ClientRelationship (a partner, or another client) sees that provider's income lines whose
  funder is their own organisation, and nothing else of the provider's. A member of the provider
  sees every funder's view. Anybody else gets 404, so the URL confirms nothing.
"""

from __future__ import annotations

from django.http import Http404

from planning import permissions
from planning.models import ClientRelationship, Organisation
from planning.permissions import Action


def require_view(user, plan) -> None:
    permissions.require(user, Action.VIEW, plan.organisation_id)


def require_edit(user, plan) -> None:
    permissions.require(user, Action.EDIT_PLAN, plan.organisation_id)


def can_edit(user, plan) -> bool:
    return permissions.has_permission(user, Action.EDIT_PLAN, plan.organisation_id)


def funders_user_represents(user, provider: Organisation) -> list[Organisation]:
    """The provider's partners and clients in which the user holds a membership that may view."""
    own = [
        org_id
        for org_id in permissions.memberships(user)
        if permissions.has_permission(user, Action.VIEW, org_id)
    ]
    relationships = ClientRelationship.objects.filter(
        provider=provider, client_id__in=own
    ).select_related("client")
    return [r.client for r in relationships.order_by("kind", "order")]


def partner_funders(user, provider: Organisation, *, requested_slug: str = "") -> tuple[bool, list]:
    """(is the user a member of the provider, the funders whose view they may see).

    Raises Http404 unless the user is a member of the provider or of one of its funders, or if
    they ask (`requested_slug`) for a funder whose view they may not see.
    """
    if permissions.has_permission(user, Action.VIEW, provider.pk):
        clients = [
            r.client
            for r in ClientRelationship.objects.filter(provider=provider)
            .select_related("client")
            .order_by("kind", "order")
        ]
        if requested_slug:
            clients = [c for c in clients if c.slug == requested_slug]
            if not clients:
                raise Http404("No such partner.")
        return True, clients
    funders = funders_user_represents(user, provider)
    if requested_slug:
        funders = [f for f in funders if f.slug == requested_slug]
    if not funders:
        raise Http404("No such record.")
    return False, funders
