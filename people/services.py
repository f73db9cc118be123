"""Writes on the people pages: invitations, and changes to a member's role, units, linked
records and access. Keyword-only; each in one transaction; version-checked where a page was
opened first (planning.concurrency); audited with the acting user (django-simple-history).

Who may call them is the views' question (planning.permissions, Action.MANAGE_MEMBERS); these
enforce the rules that hold whoever asks: one organisation's records only, the last
administrator stays, an address joins an organisation once, a link works once and for seven
days. See docs/decisions/people.md.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from people import tokens
from people.models import INVITATION_LIFETIME, Invitation
from planning import idempotency, partnerships
from planning.concurrency import lock_at_version
from planning.models import Membership, MembershipRole, Organisation, Person, User

STALE = (
    "Somebody else changed this member after you opened the page, so nothing was saved. "
    "The page now shows their access as it is: make your change again if it is still needed."
)
LAST_ADMIN = (
    "{name} is the only administrator of {organisation}: nothing was changed. Make somebody "
    "else an administrator first."
)
PARTNERSHIP_INVITE = (
    "People of {organisation} belong to its member organisations: invite them to their own "
    "organisation, then give them a role here (Give a member organisation's person a role)."
)
# History change reasons are stored in 100 characters.
REASON_LENGTH = 100


class InvitationRefused(Exception):
    """The link cannot be used (not valid, expired, used, withdrawn): the message says why."""


# --- invitations -------------------------------------------------------------------------------


def _normalised(email: str) -> str:
    return email.strip().lower()


def invite(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    org_units=(),
    by,
    submission_token: str = "",
) -> Invitation:
    """Invite `email` to join `organisation` and e-mail them the link. Refused (ValidationError,
    nothing saved or sent): a role that does not exist, another organisation's unit, an address
    already a member. A newer invitation to the same address replaces any still waiting (their
    links stop working). If the e-mail cannot be handed to the mail server, nothing is saved."""
    email = _normalised(email)
    if role not in MembershipRole.values:
        raise ValidationError({"role": "Choose a role from the list."})
    if partnerships.member_ids(organisation):
        # A role in a partnership with members counts only for people of a member organisation
        # (planning.permissions): an invitation here would give a newcomer nothing.
        raise ValidationError({"email": PARTNERSHIP_INVITE.format(organisation=organisation)})
    units = list(org_units)
    if any(unit.organisation_id != organisation.pk for unit in units):
        raise ValidationError({"org_units": "Choose units of this organisation."})
    with transaction.atomic():
        idempotency.consume(submission_token, user=by)
        existing = (
            Membership.objects.filter(organisation=organisation, user__email__iexact=email)
            .select_related("user")
            .first()
        )
        if existing is not None:
            state = "" if existing.is_active else " (deactivated: reactivate them instead)"
            raise ValidationError(
                {"email": f"{email} is already a member of {organisation}{state}."}
            )
        now = timezone.now()
        for older in Invitation.objects.pending(now).filter(organisation=organisation, email=email):
            older.revoked_at = now
            older._history_user = by
            older._change_reason = "Replaced by a newer invitation"
            older.save(update_fields=["revoked_at"])
        token = tokens.new_token()
        invitation = Invitation(
            organisation=organisation,
            email=email,
            role=role,
            invited_by=by,
            token_hash=tokens.token_hash(token),
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
        invitation._history_user = by
        invitation.save()
        invitation.org_units.set(units)
        # Inside the transaction: if the mail server refuses, the invitation is not saved and
        # the administrator is told to try again, rather than left with a link nobody received.
        send_invitation(invitation, token)
    return invitation


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("people:accept", args=[token])


def send_invitation(invitation: Invitation, token: str) -> None:
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "inviter": inviter.get_full_name() or inviter.username if inviter else "An administrator",
        "role": invitation.get_role_display(),
        "url": invitation_url(token),
        "expires_at": timezone.localtime(invitation.expires_at),
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=(
            f"{invitation.organisation.display_name}: you are invited to join Waymark "
            "(accept within 7 days)"
        ),
        body=render_to_string("people/email/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("people/email/invitation.html", context), "text/html"
    )
    message.send()


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The usable invitation this link's secret opens, or InvitationRefused saying why not."""
    if not tokens.looks_like_token(token):
        raise InvitationRefused(NOT_VALID)
    queryset = Invitation.objects.select_related("organisation")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=tokens.token_hash(token)).first()
    if invitation is None:
        raise InvitationRefused(NOT_VALID)
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            "This invitation has already been used: each link works once. Sign in with the "
            "account it created, or reset your password if you have forgotten it."
        )
    if invitation.revoked_at is not None:
        raise InvitationRefused(
            "This invitation was withdrawn or replaced by a newer one. Use the link in the "
            f"latest e-mail, or ask an administrator of {invitation.organisation} to invite "
            "you again."
        )
    if invitation.is_expired(timezone.now()):
        expired = timezone.localtime(invitation.expires_at)
        raise InvitationRefused(
            f"This invitation expired on {expired:%-d %B %Y}: links work for 7 days. Ask an "
            f"administrator of {invitation.organisation} to invite you again."
        )
    return invitation


NOT_VALID = (
    "This invitation link is not valid. Check that you opened the whole link from the e-mail "
    "(some mail programs split long links), or ask your administrator to invite you again."
)


def existing_account(email: str) -> User | None:
    """The account that already uses this address as its e-mail or user name, if any."""
    email = _normalised(email)
    return (
        User.objects.filter(email__iexact=email).order_by("pk").first()
        or User.objects.filter(username__iexact=email).first()
    )


def _join(invitation: Invitation, user) -> Membership:
    if Membership.objects.filter(organisation=invitation.organisation, user=user).exists():
        raise InvitationRefused(f"You are already a member of {invitation.organisation}.")
    membership = Membership(user=user, organisation=invitation.organisation, role=invitation.role)
    membership._history_user = user
    membership._change_reason = f"Accepted an invitation to {invitation.email}"[:REASON_LENGTH]
    membership.save()
    membership.org_units.set(invitation.org_units.all())
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation._history_user = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def accept_invitation(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """Create the invitee's account with the password they chose and their membership, in one
    transaction; mark the invitation used. Refused (InvitationRefused, nothing saved): see
    invitation_for_token(), and an address that already has an account (they join with it
    instead: join_with_account). The password is checked by the form (Django's validators)."""
    invitation = invitation_for_token(token, lock=True)
    if existing_account(invitation.email) is not None:
        raise InvitationRefused(
            "There is already a Waymark account for this address. Sign in with it, then open "
            "the link again to join."
        )
    user = User(
        username=invitation.email,
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same address accepted twice at the same moment
        raise InvitationRefused("This invitation has already been used.") from error
    _join(invitation, user)
    return user


@transaction.atomic
def join_with_account(*, token: str, user) -> Membership:
    """The signed-in `user`, whose account uses the invited address, joins the organisation."""
    invitation = invitation_for_token(token, lock=True)
    if _normalised(user.email) != invitation.email and _normalised(user.username) != (
        invitation.email
    ):
        raise InvitationRefused(
            f"This invitation is for {invitation.email}, and you are signed in as somebody "
            "else. Sign out, then open the link again."
        )
    return _join(invitation, user)


@transaction.atomic
def withdraw_invitation(*, organisation: Organisation, invitation_id: int, by) -> Invitation:
    invitation = (
        Invitation.objects.pending(timezone.now())
        .select_for_update()
        .filter(organisation=organisation, pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise ValidationError(
            "That invitation is no longer waiting: it was accepted, withdrawn or has expired."
        )
    invitation.revoked_at = timezone.now()
    invitation._history_user = by
    invitation._change_reason = "Withdrawn"
    invitation.save(update_fields=["revoked_at"])
    return invitation


# --- members -----------------------------------------------------------------------------------


def _locked_member(organisation, membership_id, expected_version) -> Membership:
    return lock_at_version(
        Membership.objects.select_related("user"),
        expected_version=expected_version,
        stale_message=STALE,
        pk=membership_id,
        organisation=organisation,
    )


def _keep_an_administrator(organisation, membership: Membership) -> None:
    """Refuse a change that would leave the organisation without an active administrator."""
    if membership.role != MembershipRole.ADMIN or not membership.is_active:
        return
    # Locking every active administrator serialises two administrators demoting each other.
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=MembershipRole.ADMIN, is_active=True)
        .values_list("pk", flat=True)
    )
    if admins == [membership.pk]:
        raise ValidationError(
            LAST_ADMIN.format(name=membership.user, organisation=organisation), code="last_admin"
        )


def _units_reason(units) -> str:
    names = ", ".join(sorted(unit.name for unit in units)) or "none"
    return f"Units: {names}"[:REASON_LENGTH]


@transaction.atomic
def change_membership(
    *,
    organisation: Organisation,
    membership_id: int,
    role: str,
    org_units,
    by,
    expected_version: int,
    submission_token: str = "",
) -> Membership:
    """Change a member's role and units. Refused: a stale page (StaleEditError), a role that
    does not exist, another organisation's unit, demoting the last administrator."""
    if role not in MembershipRole.values:
        raise ValidationError({"role": "Choose a role from the list."})
    units = list(org_units)
    if any(unit.organisation_id != organisation.pk for unit in units):
        raise ValidationError({"org_units": "Choose units of this organisation."})
    idempotency.consume(submission_token, user=by)
    membership = _locked_member(organisation, membership_id, expected_version)
    if role != membership.role:
        _keep_an_administrator(organisation, membership)
    membership.role = role
    membership._history_user = by
    # Simple-history does not record the units (a many-to-many): the reason says them.
    membership._change_reason = _units_reason(units)
    membership.save()
    membership.org_units.set(units)
    return membership


@transaction.atomic
def link_people(
    *,
    organisation: Organisation,
    membership_id: int,
    people,
    by,
    expected_version: int,
    submission_token: str = "",
) -> Membership:
    """Make the member the person behind these plan records (Person.user), and no longer
    behind the ones not chosen. A record linked to somebody else moves to this member."""
    people = list(people)
    if any(person.organisation_id != organisation.pk for person in people):
        raise ValidationError({"people": "Choose people of this organisation."})
    idempotency.consume(submission_token, user=by)
    membership = _locked_member(organisation, membership_id, expected_version)
    user = membership.user
    chosen = {person.pk for person in people}
    changed = []
    for person in Person.objects.select_for_update().filter(organisation=organisation, user=user):
        if person.pk not in chosen:
            person.user = None
            changed.append(person)
    for person in Person.objects.select_for_update().filter(pk__in=chosen):
        if person.user_id != user.pk:
            person.user = user
            changed.append(person)
    for person in changed:
        person._history_user = by
        person.save(update_fields=["user"])
    names = ", ".join(sorted(p.name for p in people)) or "none"
    membership._history_user = by
    membership._change_reason = f"Plan records: {names}"[:REASON_LENGTH]
    membership.save()
    return membership


def _deactivatable(organisation, membership) -> None:
    if not membership.is_active:
        raise ValidationError(f"{membership.user} is already deactivated.")
    _keep_an_administrator(organisation, membership)


@transaction.atomic
def deactivate(
    *, organisation: Organisation, membership_id: int, by, expected_version: int
) -> Membership:
    """End a member's access: the membership stays, with its history, but grants nothing; with
    no other active membership they cannot sign in (User.is_active); every session they have
    open ends now. Refused: the last administrator, a stale page."""
    membership = _locked_member(organisation, membership_id, expected_version)
    _deactivatable(organisation, membership)
    membership.is_active = False
    membership._history_user = by
    membership._change_reason = "Deactivated"
    membership.save()
    user = membership.user
    if not user.is_superuser and not user.memberships.filter(is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
    end_sessions(user)
    return membership


@transaction.atomic
def reactivate(
    *, organisation: Organisation, membership_id: int, by, expected_version: int
) -> Membership:
    membership = _locked_member(organisation, membership_id, expected_version)
    if membership.is_active:
        raise ValidationError(f"{membership.user} is already active.")
    membership.is_active = True
    membership._history_user = by
    membership._change_reason = "Reactivated"
    membership.save()
    user = membership.user
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return membership


def end_sessions(user) -> int:
    """Delete every stored session signed in as `user`; the number ended.

    Django keeps no index of sessions by user, so each unexpired session is decoded: a few
    thousand rows for an organisation's staff, once per deactivation. Works with the database
    session engines (Django's default; cached_db when REDIS_URL is set)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()
    ended = []
    for key, data in model.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    ):
        if store().decode(data).get(SESSION_KEY) == str(user.pk):
            ended.append(key)
    model.objects.filter(session_key__in=ended).delete()
    if ended and hasattr(store, "cache_key_prefix"):
        # cached_db (with REDIS_URL) reads a session from the cache first: end it there too.
        caches[settings.SESSION_CACHE_ALIAS].delete_many(
            [store.cache_key_prefix + key for key in ended]
        )
    return len(ended)
