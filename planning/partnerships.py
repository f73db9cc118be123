"""A partnership's member organisations: plain reads, and the checks other apps make with them.

A partnership (an organisation of kind partnership: an STP, an ICS, a shared-services
partnership) has member organisations (`PartnershipMember`). Who may act on its plans is
planning.permissions' question (the partnership rule); this module only says who the members
are, and refuses input that names an organisation outside the partnership or a plan of
another partnership, with a message for the field (django ValidationError), so a form or a
service shows it next to the field and saves nothing. Every function is one query at most.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q

from planning.models import Organisation, OrganisationKind, PartnershipMember, Plan

NOT_A_MEMBER = "{organisation} is not a member of {partnership}."
OTHER_PLAN = "{plan} belongs to {owner}, not to {partnership}: choose a plan of {partnership}."


def _pk(organisation: Organisation | int) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def is_partnership(organisation: Organisation) -> bool:
    """May this organisation have member organisations? Only a partnership may."""
    return organisation.kind == OrganisationKind.PARTNERSHIP


def member_ids(partnership: Organisation | int) -> set[int]:
    """The ids of the partnership's member organisations (empty for any other organisation)."""
    return set(
        PartnershipMember.objects.filter(partnership=_pk(partnership)).values_list(
            "member_id", flat=True
        )
    )


def members_of(partnership: Organisation | int):
    """The partnership's member organisations, in the partnership's order (a queryset)."""
    return Organisation.objects.filter(partnership_links__partnership=_pk(partnership)).order_by(
        "partnership_links__order", "name"
    )


def links_of(partnership: Organisation | int):
    """The partnership's PartnershipMember rows with their member organisation, in order."""
    return (
        PartnershipMember.objects.filter(partnership=_pk(partnership))
        .select_related("member")
        .order_by("order", "member__name")
    )


def partnerships_of(organisation: Organisation | int):
    """The partnerships this organisation is a member of (a queryset)."""
    return Organisation.objects.filter(member_links__member=_pk(organisation)).order_by("name")


def honoured(user, organisation: str = "organisation") -> Q:
    """The partnership rule, the one place it is written: a membership counts when its
    organisation is not a partnership with member organisations recorded, or its user also
    holds an active membership of one of those members (their home organisation).

    A condition on rows that lead to a membership's organisation by the path `organisation`
    ("organisation" on Membership, "pk" on Organisation). `user` is one user (or id), as
    planning.permissions reads one person's memberships; or an expression such as
    OuterRef("user") for a queryset of many people's memberships (`honoured_memberships`).
    One SQL condition: no extra query."""
    gated = PartnershipMember.objects.filter(partnership=OuterRef(organisation))
    through_home = gated.filter(member__memberships__user=user, member__memberships__is_active=True)
    return ~Exists(gated) | Exists(through_home)


def honoured_memberships() -> Q:
    """`honoured` for a queryset of Membership rows of many people (each row's own user): so
    that whatever reads everyone's memberships at once (the notices) follows the same rule as
    the permission checks."""
    return honoured(OuterRef("user"), "organisation")


def validate_members(
    partnership: Organisation,
    organisations: Iterable[Organisation],
    *,
    field: str | None = None,
) -> None:
    """Refuse any organisation that is neither the partnership itself nor one of its members:
    "X is not a member of <partnership>." (ValidationError, on `field` when given). An
    organisation that is not a partnership accepts only itself. One query."""
    allowed = member_ids(partnership) | {partnership.pk}
    outside = sorted(
        (o for o in organisations if o.pk not in allowed), key=lambda o: o.display_name
    )
    if not outside:
        return
    messages = [
        NOT_A_MEMBER.format(organisation=o.display_name, partnership=partnership.display_name)
        for o in outside
    ]
    raise ValidationError({field: messages} if field else messages, code="not_a_member")


def validate_member(
    partnership: Organisation, organisation: Organisation, *, field: str | None = None
) -> None:
    """validate_members() for one organisation."""
    validate_members(partnership, [organisation], field=field)


def validate_same_plan_owner(plan: Plan, other: Plan, *, field: str | None = None) -> None:
    """Refuse linking `plan`'s records to `other`, a plan of another organisation (for a
    partnership's plan: another partnership's plan), with a message saying whose it is. No
    query when both plans' organisations are selected."""
    if other.organisation_id == plan.organisation_id:
        return
    message = OTHER_PLAN.format(
        plan=other,
        owner=other.organisation.display_name,
        partnership=plan.organisation.display_name,
    )
    raise ValidationError({field: [message]} if field else message, code="other_partnership")
