"""Writes on a partnership's people pages: its member organisations, and the roles people of
those organisations hold in the partnership. Keyword-only; each in one transaction; audited
with the acting user (django-simple-history); revoking version-checked on Membership.version
(planning.concurrency). Changing a partnership role is the member page's ordinary role change
(people.services.change_membership: the same version check and last-administrator rule).

Who may call them is the views' question (Action.MANAGE_MEMBERS on the partnership); these
enforce the rules that hold whoever asks (docs/decisions/permissions.md, "Partnerships"):
- only an organisation of kind partnership has members; a partnership is not a member of
  itself, nor of another partnership (a member is where people work: their home organisation);
- a partnership keeps at least one member organisation: with none recorded it would be an
  ordinary organisation again, and every role in it would count without a home organisation;
- removing a member organisation is allowed, and ends at once the partnership access of the
  people whose only home organisation in the partnership it was (the confirmation page names
  them: `losing_access`);
- a partnership role goes only to a person with an active membership of a member organisation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from people.services import REASON_LENGTH, _keep_an_administrator, _locked_member
from planning import idempotency, partnerships
from planning.models import (
    Membership,
    MembershipRole,
    Organisation,
    PartnershipMember,
    User,
)

NOT_A_PARTNERSHIP = (
    "{organisation} is not a partnership: only a partnership has member organisations."
)
SELF_MEMBER = "A partnership cannot be a member of itself."
PARTNERSHIP_MEMBER = (
    "{organisation} is a partnership: a member organisation is where people work, so choose "
    "one of its own members instead."
)
ALREADY_MEMBER = "{organisation} is already a member of {partnership}."
LAST_MEMBER = (
    "{organisation} is the only member organisation of {partnership}: nothing was changed. Add "
    "another member organisation first (a partnership without members would let every role in "
    "it count without a home organisation)."
)
NO_LONGER_MEMBER = "That organisation is no longer a member of this partnership."
NOT_IN_A_MEMBER = "{person} is not in any member organisation of this partnership."
ALREADY_HOLDS = "{person} already holds a role in {partnership}: change it on their page instead."


def _require_partnership(partnership: Organisation) -> None:
    if not partnerships.is_partnership(partnership):
        raise ValidationError(NOT_A_PARTNERSHIP.format(organisation=partnership.display_name))


def _locked_links(partnership: Organisation) -> list[PartnershipMember]:
    """The partnership's member rows, locked: two administrators changing the members at the
    same moment take turns (the last member stays)."""
    return list(
        PartnershipMember.objects.select_for_update()
        .filter(partnership=partnership)
        .order_by("order", "pk")
    )


@transaction.atomic
def add_member_organisation(
    *,
    partnership: Organisation,
    member: Organisation,
    by: User,
    submission_token: str = "",
) -> PartnershipMember:
    """Record `member` as a member organisation of `partnership`, last in its order. Refused
    (ValidationError, nothing saved): a partnership that is not of kind partnership, itself, a
    partnership as a member, an organisation already a member."""
    _require_partnership(partnership)
    if member.pk == partnership.pk:
        raise ValidationError({"member": SELF_MEMBER})
    if partnerships.is_partnership(member):
        raise ValidationError(
            {"member": PARTNERSHIP_MEMBER.format(organisation=member.display_name)}
        )
    idempotency.consume(submission_token, user=by)
    links = _locked_links(partnership)
    if any(link.member_id == member.pk for link in links):
        raise ValidationError(
            {
                "member": ALREADY_MEMBER.format(
                    organisation=member.display_name, partnership=partnership.display_name
                )
            }
        )
    last = PartnershipMember.objects.filter(partnership=partnership).aggregate(Max("order"))
    link = PartnershipMember(
        partnership=partnership, member=member, order=(last["order__max"] or 0) + 1
    )
    link._history_user = by
    link._change_reason = f"Added {member.display_name}"[:REASON_LENGTH]
    link.save()
    return link


def losing_access(*, partnership: Organisation, link_id: int) -> list[Membership]:
    """The active partnership roles that removing this member organisation would end: held by
    people with no active membership of any other member organisation. Two queries."""
    link = PartnershipMember.objects.filter(partnership=partnership, pk=link_id).first()
    if link is None:
        return []
    others = PartnershipMember.objects.filter(partnership=partnership).exclude(pk=link.pk)
    still_homed = Membership.objects.filter(
        organisation__in=others.values("member"), is_active=True
    ).values("user")
    return list(
        Membership.objects.filter(
            organisation=partnership,
            is_active=True,
            user__memberships__organisation=link.member_id,
            user__memberships__is_active=True,
        )
        .exclude(user__in=still_homed)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


@transaction.atomic
def remove_member_organisation(
    *, partnership: Organisation, link_id: int, by: User
) -> PartnershipMember:
    """Remove a member organisation. Its people's partnership roles stay (with their history)
    but count only through another member organisation: whoever had no other loses access at
    once (planning.permissions reads the members on each request). Refused: the partnership's
    last member organisation; a member already removed."""
    links = _locked_links(partnership)
    link = next((each for each in links if each.pk == link_id), None)
    if link is None:
        raise ValidationError(NO_LONGER_MEMBER)
    if len(links) == 1:
        raise ValidationError(
            LAST_MEMBER.format(
                organisation=link.member.display_name, partnership=partnership.display_name
            ),
            code="last_member",
        )
    link._history_user = by
    link._change_reason = f"Removed {link.member.display_name}"[:REASON_LENGTH]
    link.delete()
    return link


def _homed(partnership: Organisation, user: User) -> bool:
    return Membership.objects.filter(
        user=user,
        is_active=True,
        organisation__in=PartnershipMember.objects.filter(partnership=partnership).values("member"),
    ).exists()


def _check_role(role: str) -> None:
    if role not in MembershipRole.values:
        raise ValidationError({"role": "Choose a role from the list."})


@transaction.atomic
def grant_partnership_role(
    *,
    partnership: Organisation,
    user: User,
    role: str,
    by: User,
    submission_token: str = "",
) -> Membership:
    """Give `user` a role in the partnership: an ordinary Membership of the partnership
    organisation (a deactivated one is reactivated with the new role, keeping its history).
    Refused (ValidationError, nothing saved): not a partnership, a role that does not exist,
    a person with no active membership of a member organisation, a person who already holds
    an active role there."""
    _require_partnership(partnership)
    _check_role(role)
    if not _homed(partnership, user):
        # Named by the address the administrator typed: their name would tell an outsider's.
        raise ValidationError({"email": NOT_IN_A_MEMBER.format(person=user.email or user)})
    idempotency.consume(submission_token, user=by)
    membership = (
        Membership.objects.select_for_update().filter(organisation=partnership, user=user).first()
    )
    if membership is not None and membership.is_active:
        raise ValidationError(
            {"email": ALREADY_HOLDS.format(person=user, partnership=partnership.display_name)}
        )
    if membership is None:
        membership = Membership(user=user, organisation=partnership, role=role)
        membership._change_reason = "Partnership role granted"
    else:
        membership.role = role
        membership.is_active = True
        membership.version += 1
        membership._change_reason = "Partnership role granted again"
    membership._history_user = by
    membership.save()
    return membership


@transaction.atomic
def revoke_partnership_role(
    *, partnership: Organisation, membership_id: int, by: User, expected_version: int
) -> Membership:
    """End a partnership role: the membership and its history stay, granting nothing (as a
    deactivated member's). The person keeps their home organisation's access and their
    sessions. Refused: a stale page, a role already revoked, the last administrator."""
    membership = _locked_member(partnership, membership_id, expected_version)
    if not membership.is_active:
        raise ValidationError(f"{membership.user} no longer holds a role in {partnership}.")
    _keep_an_administrator(partnership, membership)
    membership.is_active = False
    membership._history_user = by
    membership._change_reason = "Partnership role revoked"
    membership.save()
    return membership


__all__ = [
    "add_member_organisation",
    "grant_partnership_role",
    "losing_access",
    "remove_member_organisation",
    "revoke_partnership_role",
]
