"""The period lock on progress updates (planning.reporting_window): a quarter takes updates until
its plan's deadline, then nobody (planners included) adds, corrects or withdraws its updates
until a planner reopens it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from objectives import services
from objectives.models import ProgressUpdate, UpdateState
from planning import reporting_window as window
from planning.fy import Quarter
from tests.factories import MembershipFactory, ObjectiveFactory, OrgUnitFactory, PlanFactory

Q2 = Quarter(2026, 2)  # July to September 2026
DEADLINE = window.deadline(Q2)  # 15 working days after 30 September 2026
AFTER = DEADLINE + dt.timedelta(days=1)


@pytest.fixture
def item(organisation):
    unit = OrgUnitFactory(organisation=organisation)
    plan = PlanFactory(organisation=organisation, start_year=2026, end_year=2026)
    return ObjectiveFactory(plan=plan, org_unit=unit)


@pytest.fixture
def lead(organisation, item):
    membership = MembershipFactory(organisation=organisation, role="contributor")
    membership.org_units.add(item.org_unit)
    return membership.user


def report(item, by, today, **kw):
    item.refresh_from_db()
    return services.progress_update_create(
        objective=item,
        by=by,
        expected_version=item.version,
        financial_year=Q2.year,
        quarter=Q2.number,
        rag="green",
        status="in_progress",
        percent_complete=20,
        today=today,
        **kw,
    )


@pytest.mark.django_db
class TestNewUpdates:
    def test_the_deadline_day_is_open(self, item, lead):
        assert report(item, lead, DEADLINE).quarter == Q2.number

    @pytest.mark.parametrize("who", ["lead", "planner"])
    def test_after_the_deadline_nobody_reports_on_the_quarter(self, request, item, who):
        with pytest.raises(ValidationError) as error:
            report(item, request.getfixturevalue(who), AFTER)
        assert f"{Q2} is locked" in error.value.message_dict["quarter"][0]
        assert not ProgressUpdate.all_objects.exists()

    def test_a_reopened_quarter_takes_updates_until_it_is_locked_again(self, item, lead, planner):
        with time_machine.travel(AFTER, tick=False):
            window.quarter_reopen(plan=item.plan, quarter=Q2, by=planner, reason="Late report")
            assert report(item, lead, AFTER).quarter == Q2.number
            window.quarter_relock(plan=item.plan, quarter=Q2, by=planner)
            with pytest.raises(ValidationError, match="is locked"):
                report(item, lead, AFTER)
        assert ProgressUpdate.all_objects.count() == 1

    def test_a_plan_with_fewer_days_locks_sooner(self, item, lead):
        item.plan.reporting_working_days = 5
        item.plan.save()
        item.refresh_from_db()
        with pytest.raises(ValidationError, match="is locked"):
            report(item, lead, window.deadline(Q2, working_days=5) + dt.timedelta(days=1))


@pytest.mark.django_db
class TestCorrections:
    def test_correct_and_withdraw_are_refused_once_locked(self, item, lead):
        update = report(item, lead, DEADLINE)
        item.refresh_from_db()
        common = {"by": lead, "expected_version": item.version, "reason": "Mistyped"}
        with pytest.raises(ValidationError, match=f"{Q2} is locked"):
            services.progress_update_correct(
                update=update,
                rag="green",
                status="in_progress",
                percent_complete=30,
                today=AFTER,
                **common,
            )
        with pytest.raises(ValidationError, match=f"{Q2} is locked"):
            services.progress_update_withdraw(update=update, today=AFTER, **common)
        update.refresh_from_db()
        assert update.state == UpdateState.CURRENT
        assert ProgressUpdate.all_objects.count() == 1


@pytest.mark.django_db
class TestPagesSayWhatIsOpen:
    """In October 2026, before Q2's deadline: Q2 (until its deadline) and Q3 are open."""

    def test_my_work_and_the_item_page(self, client, item, lead):
        client.force_login(lead)
        with time_machine.travel(DEADLINE, tick=False):
            pages = [
                client.get(reverse("objectives:my_work")).text,
                client.get(item.get_absolute_url()).text,
            ]
        for text in pages:
            assert f"{Q2} until {DEADLINE:%-d %B %Y}" in text
            assert f"{Q2.next()} until {window.deadline(Q2.next()):%-d %B %Y}" in text

    def test_a_reopened_quarter_is_named(self, client, item, lead, planner):
        client.force_login(lead)
        with time_machine.travel(AFTER, tick=False):
            window.quarter_reopen(plan=item.plan, quarter=Q2, by=planner, reason="Late")
            text = client.get(item.get_absolute_url()).text
        assert f"{Q2} (reopened by a planner)" in text
