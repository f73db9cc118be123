"""Each kind of notice with the clock moved around the deadlines, the sent-once rule,
preferences and deactivated people. Sent inline to the in-memory mail backend."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices import services
from notices.models import NoticeKind, SentNotice, SentState
from notices.sender import run_pass
from planning.fy import Quarter
from tests.factories import MembershipFactory, ObjectiveFactory, UserFactory
from tests.notices.conftest import at


def sent_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def send(kind):
    return run_pass(kinds=[kind], inline=True)


@pytest.mark.django_db
class TestReminders:
    def test_nothing_before_the_first_reminder_day(self, office):
        with at(2006, 7, 6):
            send("reminder")
        assert mail.outbox == []

    def test_ten_working_days_before_the_deadline(self, office):
        with at(2006, 7, 7):
            report = send("reminder")
        assert report.kinds["reminder"].queued == 2
        [lena] = sent_to(office.lead)
        assert lena.subject == (
            "SSP: Q1 2006/07 updates due by Friday 21 July 2006 – 1 item to update"
        )
        assert "1.1 Move the depot" in lena.body
        assert "1.2" not in lena.body and "1.3" not in lena.body  # updated; closed
        link = f"https://waymark.example.nhs.uk/objectives/{office.not_updated.pk}/"
        assert link in lena.body
        html = lena.alternatives[0].content
        assert f'href="{link}"' in html and "<img" not in html
        [omar] = sent_to(office.owner)
        assert "1 item and 1 KPI to update" in omar.subject
        assert "F1 Invoices paid in 30 days: no value for Q1 2006/07" in omar.body
        assert sent_to(office.gone) == []  # deactivated: nothing
        assert sent_to(office.viewer) == []

    def test_sent_once_then_the_three_day_reminder(self, office):
        with at(2006, 7, 7):
            send("reminder")
        with at(2006, 7, 10):
            report = send("reminder")
        assert len(mail.outbox) == 2
        assert report.kinds["reminder"].already == 2
        with at(2006, 7, 18):
            send("reminder")
        assert len(mail.outbox) == 4
        assert SentNotice.objects.filter(period="2006-Q1:3", state=SentState.SENT).count() == 2

    def test_a_missed_day_sends_only_the_latest_reminder(self, office):
        with at(2006, 7, 19):
            send("reminder")
        assert set(SentNotice.objects.values_list("period", flat=True)) == {"2006-Q1:3"}

    def test_the_plans_own_days(self, office):
        row = services.settings_for(office.plan)
        services.notice_settings_change(
            plan=office.plan,
            by=office.planner,
            version=row.version,
            reminder_days="5",
            weekly_day=0,
            enabled=True,
        )
        with at(2006, 7, 7):
            send("reminder")
        assert mail.outbox == []
        with at(2006, 7, 14):
            send("reminder")
        assert len(mail.outbox) == 2

    def test_a_plan_switched_off_sends_nothing(self, office):
        row = services.settings_for(office.plan)
        row.enabled = False
        row.save()
        with at(2006, 7, 7):
            run_pass(inline=True)
        assert mail.outbox == []

    def test_reminders_turned_off_by_an_administrator(self, office):
        row = services.preference_for(office.lead)
        services.reminders_change(
            user=office.lead, by=office.planner, version=row.version, reminders=False
        )
        with at(2006, 7, 7):
            report = send("reminder")
        assert sent_to(office.lead) == []
        assert report.kinds["reminder"].switched_off == 1


@pytest.mark.django_db
class TestOverdue:
    def test_nothing_on_the_deadline_day(self, office):
        with at(2006, 7, 21):
            send("overdue")
        assert mail.outbox == []

    def test_the_day_after_the_deadline(self, office):
        with at(2006, 7, 24):
            send("overdue")
        [lena] = sent_to(office.lead)
        assert lena.subject == "SSP: Q1 2006/07 updates overdue – 1 item still to update"
        assert "1.1 Move the depot" in lena.body
        assert "Friday 21 July 2006" in lena.body
        with at(2006, 7, 25):
            send("overdue")
        assert len(sent_to(office.lead)) == 1

    def test_not_after_the_item_is_updated(self, office):
        from tests.factories import ProgressUpdateFactory

        for item in (office.not_updated, office.past_due):
            ProgressUpdateFactory(objective=item, financial_year=2006, quarter=1)
        with at(2006, 7, 24):
            send("overdue")
        assert mail.outbox == []


@pytest.mark.django_db
class TestWeekly:
    def test_past_due_items_weekly(self, office):
        with at(2006, 7, 3):  # a Monday
            send("past_due")
        [omar] = sent_to(office.owner)
        assert "past the due date" in omar.subject and "SSP" in omar.subject
        assert "Q2 2006/07" in omar.subject
        assert "2.1 Agree the budget (due 30 June 2006)" in omar.body
        assert sent_to(office.lead) == []
        with at(2006, 7, 5):
            send("past_due")
        assert len(mail.outbox) == 1
        with at(2006, 7, 10):
            send("past_due")
        assert len(mail.outbox) == 2

    def test_digest_to_planners(self, office):
        with at(2006, 7, 10):
            send("digest")
        [pat] = mail.outbox
        assert pat.to == [office.planner.email]
        assert pat.subject.startswith("SSP: weekly digest for Q1 2006/07 – 2 not updated, ")
        assert "1 Red or Amber, 1 overdue, 1 KPI without a value" in pat.subject
        body = pat.body
        assert body.index("== Estates ==") < body.index("== No department ==")
        assert "Not updated for Q1 2006/07 (1):\n- 1.1 Move the depot" in body
        assert "F1 Invoices paid in 30 days" in body

    def test_digests_turned_off(self, office, client):
        row = services.preference_for(office.planner)
        services.preferences_change(
            user=office.planner,
            by=office.planner,
            version=row.version,
            digests=False,
            board_packs=True,
        )
        with at(2006, 7, 10):
            send("digest")
        assert mail.outbox == []


@pytest.mark.django_db
class TestBoardPack:
    def test_board_members_told_once(self, office):
        with at(2006, 7, 28):
            services.board_pack_publish(
                plan=office.plan,
                quarter=Quarter(2006, 1),
                by=office.planner,
                allowed=[Quarter(2006, 1)],
            )
            send("board_pack")
            send("board_pack")
        [bea] = mail.outbox
        assert bea.to == [office.viewer.email]
        assert bea.subject == "SSP: the Q1 2006/07 board pack is published – please read it"
        assert f"/plans/{office.plan.slug}/export/board-pack.pdf?quarter=2006-Q1" in bea.body
        assert ("List-Unsubscribe",) and bea.extra_headers["List-Unsubscribe"].startswith(
            "<https://waymark.example.nhs.uk/notifications/link/"
        )

    def test_publishing_twice_is_refused(self, office):
        from django.core.exceptions import ValidationError

        with at(2006, 7, 28):
            services.board_pack_publish(
                plan=office.plan,
                quarter=Quarter(2006, 1),
                by=office.planner,
                allowed=[Quarter(2006, 1)],
            )
            with pytest.raises(ValidationError, match="already been published"):
                services.board_pack_publish(
                    plan=office.plan,
                    quarter=Quarter(2006, 1),
                    by=office.planner,
                    allowed=[Quarter(2006, 1)],
                )


@pytest.mark.django_db
class TestQueries:
    """A constant number of queries per kind, whatever the number of people and items."""

    def _grow(self, office, n):
        for _ in range(n):
            user = UserFactory()
            membership = MembershipFactory(
                user=user, organisation=office.organisation, role="contributor"
            )
            membership.org_units.add(office.estates)
            ObjectiveFactory(plan=office.plan, org_unit=office.estates)

    def _count(self, kind, day):
        SentNotice.objects.all().delete()
        with at(*day), CaptureQueriesContext(connection) as queries:
            run_pass(kinds=[kind], inline=True)
        return len(queries)

    @pytest.mark.parametrize(
        ("kind", "day"),
        [
            (NoticeKind.REMINDER, (2006, 7, 7)),
            (NoticeKind.OVERDUE, (2006, 7, 24)),
            (NoticeKind.PAST_DUE, (2006, 7, 3)),
            (NoticeKind.DIGEST, (2006, 7, 3)),
        ],
    )
    def test_constant(self, office, kind, day):
        small = self._count(kind, day)
        self._grow(office, 10)
        assert self._count(kind, day) == small
