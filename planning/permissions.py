"""Who may do what: the one place where roles turn into permissions.

Every view asks here. A record of an organisation the user does not belong to is reported as
not found (404), so an id in a URL never confirms that a record exists; a member whose role does
not allow the action gets 403.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from planning.models import Membership, MembershipRole


class Action(StrEnum):
    VIEW = "view"
    UPDATE_PROGRESS = "update_progress"
    EDIT_PLAN = "edit_plan"
    EXPORT = "export"
    VIEW_AUDIT = "view_audit"
    MANAGE_MEMBERS = "manage_members"


R = MembershipRole
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    R.VIEWER: frozenset({Action.VIEW, Action.EXPORT}),
    # A contributor may update only the items they lead or that sit in their units:
    # can_update_objective() narrows this further.
    R.CONTRIBUTOR: frozenset({Action.VIEW, Action.UPDATE_PROGRESS}),
    R.PLANNER: frozenset(
        {Action.VIEW, Action.UPDATE_PROGRESS, Action.EDIT_PLAN, Action.EXPORT, Action.VIEW_AUDIT}
    ),
    R.ADMIN: frozenset(Action),
}

_CACHE_ATTR = "_waymark_memberships"


def memberships(user) -> dict[int, Membership]:
    """The user's memberships by organisation id, fetched once per request (user object)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {
            m.organisation_id: m
            for m in Membership.objects.filter(user=user).prefetch_related("org_units")
        }
        setattr(user, _CACHE_ATTR, cached)
    return cached


def role_in(user, organisation_id: int) -> str | None:
    if user.is_authenticated and user.is_superuser:
        return R.ADMIN
    membership = memberships(user).get(organisation_id)
    return membership.role if membership else None


def is_member(user, organisation_id: int) -> bool:
    return role_in(user, organisation_id) is not None


def has_permission(user, action: Action, organisation_id: int) -> bool:
    role = role_in(user, organisation_id)
    return role is not None and action in ROLE_ACTIONS[role]


def leads(user, objective) -> bool:
    """Does the user lead this item, or does it sit in one of their org units?

    Expects `objective.lead_roles` / `sro_roles` prefetched where called in a loop.
    """
    membership = memberships(user).get(objective.plan.organisation_id)
    if membership is None:
        return False
    unit_ids = {unit.pk for unit in membership.org_units.all()}
    if objective.org_unit_id and objective.org_unit_id in unit_ids:
        return True
    role_ids = user_role_ids(user)
    item_roles = {r.pk for r in objective.lead_roles.all()} | {
        r.pk for r in objective.sro_roles.all()
    }
    return bool(role_ids & item_roles)


def user_role_ids(user) -> set[int]:
    """Ids of the plan roles (AO, ADA, …) held by the people this user is."""
    cached = getattr(user, "_waymark_role_ids", None)
    if cached is None:
        from planning.models import Role

        cached = set(Role.objects.filter(holders__user=user).values_list("pk", flat=True))
        user._waymark_role_ids = cached
    return cached


def can_update_objective(user, objective) -> bool:
    role = role_in(user, objective.plan.organisation_id)
    if role is None or Action.UPDATE_PROGRESS not in ROLE_ACTIONS[role]:
        return False
    if role == R.CONTRIBUTOR:
        return leads(user, objective)
    return True


def require(user, action: Action, organisation_id: int) -> None:
    """404 for an outsider, 403 for a member without the permission."""
    if not is_member(user, organisation_id):
        raise Http404("No such record.")
    if not has_permission(user, action, organisation_id):
        raise PermissionDenied("Your role does not allow this.")


def require_objective_update(user, objective) -> None:
    require(user, Action.VIEW, objective.plan.organisation_id)
    if not can_update_objective(user, objective):
        raise PermissionDenied("You can update only the items you lead or that your units own.")
