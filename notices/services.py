"""Writes of the notices app: a plan's reminder settings (planners), a person's preferences
(themselves; reminders only an administrator), and publishing a quarter's board pack. Each in
one transaction, version-checked where a form was opened at a version, audited through
django-simple-history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from notices import rules
from notices.models import BoardPackPublication, NoticePreference, NoticeSettings
from planning import idempotency
from planning.concurrency import lock_at_version
from planning.fy import Quarter

STALE = (
    "Somebody else changed these settings after you opened the page. Nothing was saved: "
    "read the settings as they are now, then make your change again."
)


def current_settings(plan) -> NoticeSettings:
    """The plan's settings as they stand, unsaved defaults if it has none (a page shown
    writes nothing)."""
    return NoticeSettings.objects.filter(plan=plan).first() or NoticeSettings(plan=plan)


def current_preference(user) -> NoticePreference:
    return NoticePreference.objects.filter(user=user).first() or NoticePreference(user=user)


def settings_for(plan) -> NoticeSettings:
    """The plan's settings row, made with the defaults if it has none yet."""
    found, _ = NoticeSettings.objects.get_or_create(plan=plan)
    return found


def preference_for(user) -> NoticePreference:
    found, _ = NoticePreference.objects.get_or_create(user=user)
    return found


@transaction.atomic
def notice_settings_change(
    *,
    plan,
    by,
    version: int,
    reminder_days: str,
    weekly_day: int,
    enabled: bool,
    submission_token: str = "",
) -> NoticeSettings:
    try:
        days = rules.parse_reminder_days(reminder_days)
    except ValueError as error:
        raise ValidationError({"reminder_days": str(error)}) from None
    settings_for(plan)
    row = lock_at_version(
        NoticeSettings.objects.all(), expected_version=version, stale_message=STALE, plan=plan
    )
    idempotency.consume(submission_token, user=by)
    row.reminder_days = ", ".join(str(d) for d in days)
    row.weekly_day = weekly_day
    row.enabled = enabled
    row._history_user = by
    row._change_reason = "Reminder settings changed"
    row.save()
    return row


@transaction.atomic
def preferences_change(
    *, user, by, version: int, digests: bool, board_packs: bool, submission_token: str = ""
) -> NoticePreference:
    """A person's own choices: the digest and board-pack notices."""
    preference_for(user)
    row = lock_at_version(
        NoticePreference.objects.all(), expected_version=version, stale_message=STALE, user=user
    )
    idempotency.consume(submission_token, user=by)
    row.digests = digests
    row.board_packs = board_packs
    row._history_user = by
    row._change_reason = "Notification settings changed"
    row.save()
    return row


@transaction.atomic
def reminders_change(
    *, user, by, version: int, reminders: bool, submission_token: str = ""
) -> NoticePreference:
    """Reminders about a person's own items: an administrator's decision (the view checks
    Action.MANAGE_MEMBERS in an organisation of theirs)."""
    preference_for(user)
    row = lock_at_version(
        NoticePreference.objects.all(), expected_version=version, stale_message=STALE, user=user
    )
    idempotency.consume(submission_token, user=by)
    row.reminders = reminders
    row._history_user = by
    row._change_reason = (
        "Reminders turned " + ("on" if reminders else "off") + " by an administrator"
    )
    row.save()
    return row


REMINDERS_ARE_ADMINS = (
    "Reminders about the items you lead can be turned off only by an administrator of your "
    "organisation: ask them if you should not receive them."
)


@transaction.atomic
def preference_switch_off(*, user, preference: str) -> NoticePreference:
    """The signed one-click link: turn one preference off (reminders: refused)."""
    if preference == "reminders":
        raise PermissionDenied(REMINDERS_ARE_ADMINS)
    preference_for(user)
    row = NoticePreference.objects.select_for_update().get(user=user)
    if getattr(row, preference):
        setattr(row, preference, False)
        row.version += 1
        row._history_user = user
        row._change_reason = "Turned off from the link in an e-mail"
        row.save()
    return row


@transaction.atomic
def board_pack_publish(
    *, plan, quarter: Quarter, by, allowed: list[Quarter], submission_token: str = ""
) -> BoardPackPublication:
    """Record that the quarter's board pack is published: board members are told by the next
    run of the sender. Refused for a quarter the scorecard cannot show, or one already
    published."""
    if quarter not in allowed:
        raise ValidationError({"quarter": "Choose a quarter the scorecard shows."})
    if quarter.start > timezone.localdate():
        raise ValidationError({"quarter": f"{quarter} has not started yet."})
    idempotency.consume(submission_token, user=by)
    publication = BoardPackPublication(
        plan=plan,
        financial_year=quarter.year,
        quarter=quarter.number,
        published_by=by,
        published_at=timezone.now(),
    )
    publication._history_user = by
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError:
        raise ValidationError(
            {"quarter": f"The board pack for {quarter} has already been published."}
        ) from None
    return publication
