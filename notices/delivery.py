"""Delivering queued notices: through the task worker (`manage.py db_worker`), with retries.

A notice is marked sent only once the mail server has accepted it. A refusal or a broken
connection leaves it queued: the task tries those again after each of
settings.NOTICE_RETRY_DELAYS (a deferred task, run_after); after the last they are marked
failed, and the next `send_notices` run queues them again (notices.sender.requeue_failed).

Rows are marked sent in small groups as the messages go out: if the worker dies mid-batch, at
most one group of messages already accepted is sent again later; none is ever lost. See
docs/decisions/notices.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import mailers
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from notices import emails
from notices.models import SentNotice, SentState

logger = logging.getLogger(__name__)

TASK_BATCH = 200  # notices per task: one SMTP connection each
MARK_EVERY = 50  # rows marked sent per UPDATE
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class Delivery:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _chunks(ids, size):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _mark_sent(ids: list[int]) -> None:
    if ids:
        SentNotice.objects.filter(pk__in=ids).update(
            state=SentState.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )


def deliver_once(ids: list[int]) -> Delivery:
    """Try once to send the notices `ids` still waiting; mark each sent as the server accepts
    it. Those of deactivated people are dropped (marked failed, never sent)."""
    result = Delivery()
    rows = list(
        SentNotice.objects.filter(pk__in=ids, state__in=[SentState.QUEUED, SentState.RETRYING])
        .select_related("user")
        .order_by("pk")
    )
    inactive = [row.pk for row in rows if not row.user.is_active]
    if inactive:
        SentNotice.objects.filter(pk__in=inactive).update(
            state=SentState.FAILED, last_error="Deactivated before delivery: not sent."
        )
    rows = [row for row in rows if row.user.is_active]
    if not rows:
        return result
    errors: dict[int, str] = {}
    connection = mailers.default
    pending: list[int] = []
    try:
        try:
            connection.open()
        except DELIVERY_ERRORS as error:
            for row in rows:
                errors[row.pk] = f"{type(error).__name__}: {error}"
            rows = []
        for row in rows:
            try:
                sent = connection.send_messages([emails.message(row)])
            except DELIVERY_ERRORS as error:
                errors[row.pk] = f"{type(error).__name__}: {error}"
                # A refused message can leave the SMTP session unusable: start a fresh one.
                try:
                    connection.close()
                    connection.open()
                except DELIVERY_ERRORS:
                    pass
                continue
            if not sent:
                errors[row.pk] = "The mail server did not accept the message."
                continue
            pending.append(row.pk)
            result.sent.append(row.pk)
            if len(pending) >= MARK_EVERY:
                _mark_sent(pending)
                pending = []
    finally:
        _mark_sent(pending)
        with contextlib.suppress(DELIVERY_ERRORS):
            connection.close()
    for pk, error in errors.items():
        SentNotice.objects.filter(pk=pk).update(
            state=SentState.RETRYING, attempts=F("attempts") + 1, last_error=error[:2000]
        )
        result.failed.append(pk)
    if errors:
        logger.warning("%d notices not accepted by the mail server; retrying", len(errors))
    return result


def _give_up(ids: list[int]) -> None:
    SentNotice.objects.filter(pk__in=ids, state=SentState.RETRYING).update(state=SentState.FAILED)


def deliver_with_retries(ids: list[int], *, sleep=time.sleep) -> Delivery:
    """Deliver here and now, retrying refused ones after each NOTICE_RETRY_DELAYS (inline)."""
    total = Delivery()
    waiting = list(ids)
    delays = list(settings.NOTICE_RETRY_DELAYS)
    for attempt in range(len(delays) + 1):
        result = deliver_once(waiting)
        total.sent.extend(result.sent)
        waiting = result.failed
        if not waiting:
            break
        if attempt < len(delays):
            sleep(delays[attempt])
    _give_up(waiting)
    total.failed = waiting
    return total


@task()
def deliver_notices(ids: list[int], attempt: int = 1) -> dict:
    """The worker's task: try to send `ids`; those refused go to a later task (run_after the
    next retry delay) until the delays run out."""
    result = deliver_once(ids)
    delays = list(settings.NOTICE_RETRY_DELAYS)
    if result.failed:
        if attempt <= len(delays):
            later = deliver_notices
            backend = deliver_notices.get_backend()
            delay = delays[attempt - 1]
            if backend.supports_defer and delay:
                later = deliver_notices.using(
                    run_after=timezone.now() + dt.timedelta(seconds=delay)
                )
            later.enqueue(result.failed, attempt + 1)
        else:
            _give_up(result.failed)
    return {"sent": len(result.sent), "failed": len(result.failed), "attempt": attempt}


def enqueue(ids: list[int]) -> int:
    """Hand the notices to the task worker, TASK_BATCH to a task. The number of tasks."""
    count = 0
    for chunk in _chunks(ids, TASK_BATCH):
        deliver_notices.enqueue(chunk, 1)
        count += 1
    return count
