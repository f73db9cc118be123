"""Milestones in the app: add, change, complete and reopen; overdue ones on My work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from objectives import selectors, services
from objectives.models import Milestone
from planning import idempotency
from planning.concurrency import StaleEditError
from tests.factories import MembershipFactory, MilestoneFactory, ObjectiveFactory, OrgUnitFactory

TODAY = timezone.localdate()


@pytest.fixture
def unit(organisation):
    return OrgUnitFactory(organisation=organisation, name="Estates")


@pytest.fixture
def item(plan, unit):
    return ObjectiveFactory(plan=plan, org_unit=unit)


@pytest.fixture
def lead(organisation, unit):
    membership = MembershipFactory(organisation=organisation, role="contributor")
    membership.org_units.add(unit)
    return membership.user


@pytest.mark.django_db
class TestMilestoneServices:
    def test_create_appends_and_records_who(self, item, lead):
        first = services.milestone_create(objective=item, by=lead, text="Survey the sites")
        second = services.milestone_create(
            objective=item, by=lead, text=" Appoint a contractor ", due_date=dt.date(2027, 1, 31)
        )
        assert [m.text for m in item.milestones.all()] == [
            "Survey the sites",
            "Appoint a contractor",
        ]
        assert second.order > first.order
        assert second.history.get().history_user == lead

    def test_text_is_needed(self, item, lead):
        with pytest.raises(ValidationError) as error:
            services.milestone_create(objective=item, by=lead, text="  ")
        assert "text" in error.value.message_dict
        assert not Milestone.objects.exists()

    def test_update_is_version_checked(self, item, lead, planner):
        milestone = MilestoneFactory(objective=item, text="Old", due_text="Sept 06")
        services.milestone_update(
            milestone=milestone, by=planner, expected_version=1, text="New", due_date=TODAY
        )
        milestone.refresh_from_db()
        assert (milestone.text, milestone.version, milestone.due_text) == ("New", 2, "")
        with pytest.raises(StaleEditError):
            services.milestone_update(milestone=milestone, by=lead, expected_version=1, text="Mine")
        milestone.refresh_from_db()
        assert milestone.text == "New"

    def test_complete_and_reopen(self, item, lead):
        milestone = MilestoneFactory(objective=item)
        services.milestone_set_completed(
            milestone=milestone, by=lead, expected_version=1, completed=True, today=TODAY
        )
        milestone.refresh_from_db()
        assert milestone.completed_on == TODAY
        with pytest.raises(ValidationError, match="already complete"):
            services.milestone_set_completed(
                milestone=milestone, by=lead, expected_version=2, completed=True
            )
        services.milestone_set_completed(
            milestone=milestone, by=lead, expected_version=2, completed=False
        )
        milestone.refresh_from_db()
        assert (milestone.completed_on, milestone.version) == (None, 3)
        assert milestone.history.order_by("-history_id").first().history_user == lead


@pytest.mark.django_db
class TestMilestonePages:
    def test_the_lead_adds_changes_completes_and_reopens(self, client, item, lead):
        client.force_login(lead)
        page = client.get(item.get_absolute_url()).text
        assert reverse("objectives:milestone_create", args=[item.pk]) in page
        add = client.get(reverse("objectives:milestone_create", args=[item.pk]))
        token = add.context["form"].initial["submission_token"]
        data = {
            "text": "Survey the sites",
            "lead_text": "Head of Estates",
            "submission_token": token,
        }
        url = reverse("objectives:milestone_create", args=[item.pk])
        first, again = client.post(url, data), client.post(url, data)
        assert first.status_code == again.status_code == 302
        milestone = Milestone.objects.get()  # the double post saved once
        edit = reverse("objectives:milestone_edit", args=[milestone.pk])
        response = client.post(
            edit, {"text": "Survey all sites", "due_date": "2027-01-31", "version": "1"}
        )
        assert response.status_code == 302
        client.post(reverse("objectives:milestone_complete", args=[milestone.pk]), {"version": "2"})
        milestone.refresh_from_db()
        assert (milestone.text, milestone.due_date, milestone.completed_on) == (
            "Survey all sites",
            dt.date(2027, 1, 31),
            TODAY,
        )
        page = client.get(item.get_absolute_url()).text
        assert "The milestone is complete." in page and "Reopen" in page
        client.post(reverse("objectives:milestone_reopen", args=[milestone.pk]), {"version": "3"})
        milestone.refresh_from_db()
        assert milestone.completed_on is None

    def test_bad_date_and_missing_text_are_reported_on_their_fields(self, client, item, lead):
        client.force_login(lead)
        url = reverse("objectives:milestone_create", args=[item.pk])
        response = client.post(url, {"text": "", "due_date": "31/02/2027"})
        assert response.status_code == 400
        assert '<a href="#id_text">' in response.text and '<a href="#id_due_date">' in response.text
        assert "<title>Error:" in response.text
        assert not Milestone.objects.exists()

    def test_a_stale_edit_is_409_and_keeps_the_words(self, client, item, lead):
        milestone = MilestoneFactory(objective=item, text="Theirs", version=2)
        client.force_login(lead)
        url = reverse("objectives:milestone_edit", args=[milestone.pk])
        response = client.post(url, {"text": "Mine", "version": "1"})
        assert response.status_code == 409
        assert "Mine" in response.text and "Theirs" in response.text
        milestone.refresh_from_db()
        assert milestone.text == "Theirs"

    def test_a_stale_complete_changes_nothing_and_says_so(self, client, item, lead):
        milestone = MilestoneFactory(objective=item, version=2)
        client.force_login(lead)
        response = client.post(
            reverse("objectives:milestone_complete", args=[milestone.pk]),
            {"version": "1"},
            follow=True,
        )
        assert "The milestone was not changed" in response.text
        milestone.refresh_from_db()
        assert milestone.completed_on is None

    def test_a_board_member_sees_no_controls_and_is_refused(self, client, item, viewer):
        milestone = MilestoneFactory(objective=item)
        client.force_login(viewer)
        page = client.get(item.get_absolute_url()).text
        assert "Mark complete" not in page and "Add a milestone" not in page
        response = client.post(
            reverse("objectives:milestone_complete", args=[milestone.pk]), {"version": "1"}
        )
        assert response.status_code == 403

    def test_a_completion_token_is_used_once(self, client, item, lead):
        milestone = MilestoneFactory(objective=item)
        client.force_login(lead)
        token = idempotency.new_token()
        url = reverse("objectives:milestone_complete", args=[milestone.pk])
        client.post(url, {"version": "1", "submission_token": token})
        response = client.post(url, {"version": "1", "submission_token": token}, follow=True)
        assert "The milestone is complete." in response.text  # answered as the first time
        milestone.refresh_from_db()
        assert milestone.version == 2


@pytest.mark.django_db
class TestOverdueMilestonesOnMyWork:
    def test_my_work_lists_overdue_milestones_only(self, client, item, lead, plan):
        late = MilestoneFactory(
            objective=item, text="Late one", due_date=TODAY - dt.timedelta(days=3)
        )
        MilestoneFactory(
            objective=item,
            text="Done one",
            due_date=TODAY - dt.timedelta(days=3),
            completed_on=TODAY,
        )
        MilestoneFactory(objective=item, text="Future one", due_date=TODAY + dt.timedelta(days=3))
        MilestoneFactory(
            objective=ObjectiveFactory(plan=plan),
            text="Not mine",
            due_date=TODAY - dt.timedelta(days=9),
        )
        assert selectors.my_work(lead).overdue_milestones == [late]
        client.force_login(lead)
        page = client.get(reverse("objectives:my_work")).text
        assert "Overdue milestones" in page and "Late one" in page
        assert "Done one" not in page and "Future one" not in page and "Not mine" not in page

    def test_my_work_queries_do_not_grow_with_milestones(self, client, item, lead, plan, unit):
        client.force_login(lead)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("objectives:my_work")).status_code == 200
            return len(ctx.captured_queries)

        past = TODAY - dt.timedelta(days=5)
        MilestoneFactory(objective=item, due_date=past)
        small = count()
        for _ in range(20):
            other = ObjectiveFactory(plan=plan, org_unit=unit)
            MilestoneFactory.create_batch(3, objective=other, due_date=past)
        assert count() == small


@pytest.mark.django_db
def test_item_page_queries_do_not_grow_with_milestones(client, item, lead):
    client.force_login(lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(item.get_absolute_url())
        assert response.status_code == 200 and "Mark complete" in response.text
        return len(ctx.captured_queries)

    MilestoneFactory.create_batch(2, objective=item, due_date=TODAY - dt.timedelta(days=1))
    small = count()
    MilestoneFactory.create_batch(40, objective=item, due_date=TODAY - dt.timedelta(days=1))
    MilestoneFactory.create_batch(10, objective=item, completed_on=TODAY)
    assert count() == small
