"""The notices' pages: preferences, a plan's reminder settings, publishing a board pack, and an
administrator turning a member's reminders off; the daily schedule in docker-compose."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from notices.models import BoardPackPublication, NoticePreference, NoticeSettings
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.notices.conftest import at

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
class TestPages:
    def test_own_preferences(self, office, client):
        client.force_login(office.planner)
        page = client.get(reverse("notices:preferences"))
        assert page.status_code == 200
        assert "Only an administrator of your organisation can turn these off" in (
            page.content.decode()
        )
        response = client.post(
            reverse("notices:preferences"), {"version": "1", "board_packs": "on"}
        )
        assert response.status_code == 302
        row = NoticePreference.objects.get(user=office.planner)
        assert (row.digests, row.board_packs, row.reminders) == (False, True, True)
        assert row.history.first().history_user == office.planner
        # The same form again (opened at version 1): refused as stale, nothing changed.
        stale = client.post(reverse("notices:preferences"), {"version": "1", "digests": "on"})
        assert stale.status_code == 409
        assert NoticePreference.objects.get(user=office.planner).digests is False

    def test_plan_settings(self, office, client):
        client.force_login(office.planner)
        url = reverse("notices:plan_settings", args=[office.plan.slug])
        bad = client.post(url, {"version": "1", "reminder_days": "ten", "weekly_day": "0"})
        assert bad.status_code == 400
        assert "is not a number of working days" in bad.content.decode()
        ok = client.post(
            url, {"version": "1", "reminder_days": "3,10, 5", "weekly_day": "2", "enabled": "on"}
        )
        assert ok.status_code == 302
        row = NoticeSettings.objects.get(plan=office.plan)
        assert (row.reminder_days, row.weekly_day, row.enabled) == ("10, 5, 3", 2, True)

    def test_publish_the_board_pack(self, office, client):
        client.force_login(office.planner)
        url = reverse("notices:board_pack", args=[office.plan.slug])
        with at(2006, 7, 28):
            assert client.post(url, {"quarter": "2006-Q1"}).status_code == 302
            again = client.post(url, {"quarter": "2006-Q1"})
        assert again.status_code == 400  # no longer offered
        publication = BoardPackPublication.objects.get()
        assert publication.published_by == office.planner
        assert publication.history.count() == 1

    def test_an_administrator_turns_reminders_off(self, office, client):
        admin = UserFactory()
        MembershipFactory(user=admin, organisation=office.organisation, role="admin")
        client.force_login(admin)
        url = reverse("notices:member_reminders", args=[office.lead.pk])
        assert client.post(url, {"version": "1"}).status_code == 302
        assert NoticePreference.objects.get(user=office.lead).reminders is False

    def test_an_administrator_of_another_organisation_gets_404(self, office, client):
        admin = UserFactory()
        MembershipFactory(user=admin, organisation=OrganisationFactory(), role="admin")
        client.force_login(admin)
        url = reverse("notices:member_reminders", args=[office.lead.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"version": "1"}).status_code == 404
        assert not NoticePreference.objects.filter(reminders=False).exists()


class TestSchedule:
    def test_docker_compose_runs_the_sender_daily_through_a_scheduler(self):
        compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
        services = compose["services"]
        assert services["scheduler"]["image"].startswith("mcuadros/ofelia:")
        labels = services["worker"]["labels"]
        assert labels["ofelia.job-exec.send-notices.command"] == "python manage.py send_notices"
        assert labels["ofelia.job-exec.send-notices.schedule"] == "0 0 7 * * *"
