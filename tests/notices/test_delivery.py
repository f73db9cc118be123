"""Delivery through a real SMTP server on loopback (aiosmtpd): retries after a refusal, never
recorded as sent before the server accepts, and the messages read back as sent."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import signing

from notices import links
from notices.models import SentNotice, SentState
from notices.sender import run_pass
from tests.notices.conftest import at


class Mailbox:
    """An SMTP handler that refuses the first `refuse` messages (451, try again later)."""

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.attempts = 0
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.attempts += 1
        if self.attempts <= self.refuse:
            return "451 4.3.0 Try again later"
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=policy.default)
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    servers = []

    def start(refuse=0):
        box = Mailbox(refuse)
        port = free_port()
        controller = Controller(box, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        return box

    yield start
    for controller in servers:
        controller.stop()


@pytest.mark.django_db
class TestThroughRealSMTP:
    def test_messages_read_back(self, office, smtp):
        box = smtp()
        with at(2006, 7, 7):
            run_pass(kinds=["reminder"], inline=True)
        assert {m["To"] for m in box.messages} == {office.lead.email, office.owner.email}
        lena = next(m for m in box.messages if m["To"] == office.lead.email)
        assert lena["Subject"].startswith("SSP: Q1 2006/07 updates due by Friday 21 July 2006")
        assert lena.get_content_type() == "multipart/alternative"
        text = lena.get_body(("plain",)).get_content()
        html = lena.get_body(("html",)).get_content()
        assert "1.1 Move the depot" in text
        assert f"https://waymark.example.nhs.uk/objectives/{office.not_updated.pk}/" in html
        assert "<img" not in html  # no remote images, no tracking pixel
        assert lena["Auto-Submitted"] == "auto-generated"
        assert all(row.state == SentState.SENT for row in SentNotice.objects.all())

    def test_a_refused_delivery_is_retried_through_the_worker(self, office, smtp, settings):
        # The test settings' task backend runs each task at once; a retry is a new task.
        settings.NOTICE_RETRY_DELAYS = [0, 0]
        box = smtp(refuse=1)
        with at(2006, 7, 7):
            run_pass(kinds=["reminder"])
        assert box.attempts == 3  # one refused, then both accepted
        assert len(box.messages) == 2
        rows = list(SentNotice.objects.order_by("pk"))
        assert [row.state for row in rows] == [SentState.SENT, SentState.SENT]
        assert sorted(row.attempts for row in rows) == [1, 2]

    def test_never_recorded_as_sent_while_refused(self, office, smtp, settings):
        settings.NOTICE_RETRY_DELAYS = [0]
        box = smtp(refuse=100)
        with at(2006, 7, 7):
            report = run_pass(kinds=["reminder"], inline=True)
        assert report.delivered == 0 and report.failed == 2
        assert box.messages == []
        for row in SentNotice.objects.all():
            assert row.state == SentState.FAILED
            assert row.sent_at is None
            assert "451" in row.last_error
        # The next day's run queues them again; the server now accepts.
        box.refuse = 0
        with at(2006, 7, 8):
            report = run_pass(kinds=["reminder"], inline=True)
        assert report.requeued == 2 and report.delivered == 2
        assert len(box.messages) == 2
        assert SentNotice.objects.filter(state=SentState.SENT, sent_at__isnull=False).count() == 2

    def test_no_server_at_all(self, office, settings):
        settings.NOTICE_RETRY_DELAYS = []
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
            }
        }
        with at(2006, 7, 7):
            report = run_pass(kinds=["reminder"], inline=True)
        assert report.failed == 2
        assert not SentNotice.objects.filter(state=SentState.SENT).exists()


@pytest.mark.django_db
class TestPreferenceLinks:
    def test_the_link_in_a_digest_turns_digests_off(self, office, client):
        with at(2006, 7, 10):
            run_pass(kinds=["digest"], inline=True)
        row = SentNotice.objects.get()
        path = row.unsubscribe_url.removeprefix("https://waymark.example.nhs.uk")
        page = client.get(path)  # signed out: the link is the authority
        assert page.status_code == 200
        assert "Stop sending the weekly digest" in page.content.decode()
        assert client.post(path).status_code == 200
        office.planner.notice_preference.refresh_from_db()
        assert office.planner.notice_preference.digests is False
        assert office.planner.notice_preference.reminders is True

    def test_a_tampered_link_is_refused(self, office, client):
        token = links.preference_token(office.planner.pk, "digests")
        forged = signing.dumps({"u": office.lead.pk, "p": "digests"}, salt="another salt")
        for bad in (token[:-2] + "xx", forged, "nonsense"):
            page = client.post(f"/notifications/link/{bad}/")
            assert page.status_code == 400
            assert "This link is not valid" in page.content.decode()
        assert not SentNotice.objects.exists()
        from notices.models import NoticePreference

        assert not NoticePreference.objects.filter(digests=False).exists()

    def test_reminders_cannot_be_turned_off_by_the_link(self, office, client):
        token = links.preference_token(office.lead.pk, "reminders")
        page = client.post(f"/notifications/link/{token}/")
        assert page.status_code == 200
        assert "only by an administrator" in page.content.decode()
        from notices.models import NoticePreference

        assert not NoticePreference.objects.filter(reminders=False).exists()


def run_worker():
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


# The worker closes connections it finds inside a transaction: these tests commit for real.
@pytest.mark.django_db(transaction=True)
class TestThroughTheTaskWorker:
    def test_a_refusal_is_retried_later_by_a_deferred_task(self, office, smtp, settings):
        from django_tasks_db.models import DBTaskResult

        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        settings.NOTICE_RETRY_DELAYS = [60]
        box = smtp(refuse=1)
        with at(2006, 7, 7, 7):
            run_pass(kinds=["reminder"])
            assert box.attempts == 0  # queued for the worker, nothing sent by the command
            assert DBTaskResult.objects.count() == 1
            run_worker()
            refused = SentNotice.objects.get(state=SentState.RETRYING)
            assert refused.sent_at is None and "451" in refused.last_error
            assert SentNotice.objects.filter(state=SentState.SENT).count() == 1
            [retry] = [t for t in DBTaskResult.objects.all() if t.args_kwargs["args"][1] == 2]
            assert retry.args_kwargs["args"] == [[refused.pk], 2]
            assert (retry.run_after - retry.enqueued_at).total_seconds() == 60
            run_worker()  # the retry is not due for a minute
            assert len(box.messages) == 1
        with at(2006, 7, 7, 8):
            run_worker()
        assert len(box.messages) == 2
        refused.refresh_from_db()
        assert refused.state == SentState.SENT and refused.attempts == 2
