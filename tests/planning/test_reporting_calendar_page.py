"""The reporting calendar page: each quarter's deadline and state, reopen with a reason, lock
again; a constant number of queries whatever the number of reopenings."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from planning import reporting_window as window
from planning.fy import Quarter
from planning.models import QuarterReopening
from tests.factories import PlanFactory

Q1 = Quarter(2026, 1)
TODAY = dt.date(2026, 11, 26)  # in Q3 2026/27: Q1 and Q2 locked, Q3 open, Q4 not started


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def plan(organisation):
    return PlanFactory(organisation=organisation, start_year=2026, end_year=2026)


def calendar_url(plan):
    return reverse("planning:reporting_calendar", args=[plan.slug])


def reopen_url(plan, quarter):
    return reverse("planning:quarter_reopen", args=[plan.slug, quarter.key])


def relock_url(plan, quarter):
    return reverse("planning:quarter_relock", args=[plan.slug, quarter.key])


@pytest.mark.django_db
class TestCalendarPage:
    def test_lists_each_quarter_with_its_deadline_and_state(self, client, planner, plan):
        client.force_login(planner)
        response = client.get(calendar_url(plan))
        assert response.status_code == 200
        rows = {row.quarter: row for row in response.context["rows"]}
        assert [str(q) for q in rows] == [str(Quarter(2026, n)) for n in (1, 2, 3, 4)]
        assert [rows[Quarter(2026, n)].state for n in (1, 2, 3, 4)] == [
            "locked",
            "locked",
            "open",
            "not started",
        ]
        assert f"{window.deadline(Q1):%-d %B %Y}" in response.text
        assert reopen_url(plan, Q1) in response.text
        assert reopen_url(plan, Quarter(2026, 3)) not in response.text

    def test_the_current_quarter_is_listed_for_a_past_plan(self, client, planner, organisation):
        old = PlanFactory(organisation=organisation)  # 2006/07
        client.force_login(planner)
        rows = client.get(calendar_url(old)).context["rows"]
        assert rows[-1].quarter == Quarter.containing(TODAY) and rows[-1].state == "open"
        assert {row.state for row in rows[:-1]} == {"locked"}

    def test_reopen_with_a_reason_then_lock_again(self, client, planner, plan):
        client.force_login(planner)
        response = client.post(reopen_url(plan, Q1), {"reason": "Late audit figure"})
        assert response.status_code == 302
        reopening = QuarterReopening.objects.get()
        assert (reopening.reopened_by, reopening.reason) == (planner, "Late audit figure")
        page = client.get(calendar_url(plan))
        assert "Late audit figure" in page.text and relock_url(plan, Q1) in page.text
        assert client.post(relock_url(plan, Q1)).status_code == 302
        reopening.refresh_from_db()
        assert reopening.relocked_by == planner
        assert window.for_plan(plan).is_locked(Q1, TODAY)

    def test_a_reason_is_needed_and_nothing_is_saved(self, client, planner, plan):
        client.force_login(planner)
        response = client.post(reopen_url(plan, Q1), {"reason": "  "})
        assert response.status_code == 400
        assert "nhsuk-error-summary" in response.text and "<title>Error:" in response.text
        assert not QuarterReopening.objects.exists()

    def test_an_open_quarter_cannot_be_reopened(self, client, planner, plan):
        client.force_login(planner)
        response = client.post(reopen_url(plan, Quarter(2026, 3)), {"reason": "Why not"})
        assert response.status_code == 400 and "is not locked" in response.text
        assert not QuarterReopening.objects.exists()

    def test_a_quarter_that_is_not_one_is_404(self, client, planner, plan):
        client.force_login(planner)
        url = reverse("planning:quarter_reopen", args=[plan.slug, "2026-Q7"])
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize("reopenings", [1, 12])
    def test_constant_queries(
        self, client, planner, plan, django_assert_max_num_queries, reopenings
    ):
        for n in range(reopenings):
            quarter = Quarter(2010 + n // 4, n % 4 + 1)
            window.quarter_reopen(plan=plan, quarter=quarter, by=planner, reason=f"R{n}")
            if n % 2:
                window.quarter_relock(plan=plan, quarter=quarter, by=planner)
        client.force_login(planner)
        with django_assert_max_num_queries(6):
            response = client.get(calendar_url(plan))
        assert response.text.count("reopened by") == reopenings


@pytest.mark.django_db
class TestLinkFromThePlanPage:
    def test_planners_see_the_link_and_contributors_do_not(
        self, client, plan, planner, contributor
    ):
        url = calendar_url(plan)
        client.force_login(planner)
        assert url in client.get(plan.get_absolute_url()).text
        client.force_login(contributor)
        assert url not in client.get(plan.get_absolute_url()).text
