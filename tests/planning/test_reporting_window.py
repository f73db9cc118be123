"""The reporting window and the period lock (planning.reporting_window): a quarter stays open
until its plan's number of working days after it ends (15 by default), then locks until a planner
reopens it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from planning import reporting_window as window
from planning.fy import Quarter
from planning.models import QuarterReopening
from tests.factories import PlanFactory

Q3 = Quarter(2026, 3)  # October to December 2026; 31 December 2026 is a Thursday


class TestReportingWindow:
    def test_working_days_skip_weekends(self):
        assert window.add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 1)
        assert window.add_working_days(dt.date(2026, 12, 31), 2) == dt.date(2027, 1, 4)
        assert window.add_working_days(dt.date(2026, 12, 31), 10) == dt.date(2027, 1, 14)

    def test_deadline_is_n_working_days_after_the_quarter(self):
        assert window.deadline(Q3, working_days=10) == dt.date(2027, 1, 14)
        assert window.deadline(Q3, working_days=0) == Q3.end

    @pytest.mark.parametrize(
        ("day", "open_"),
        [
            (dt.date(2026, 9, 30), False),  # before the quarter
            (dt.date(2026, 10, 1), True),
            (dt.date(2026, 12, 31), True),
            (dt.date(2027, 1, 14), True),  # the last working day of the window
            (dt.date(2027, 1, 15), False),
        ],
    )
    def test_is_open(self, day, open_):
        assert window.is_open(Q3, day, working_days=10) is open_

    def test_the_default_is_15_working_days(self):
        assert window.DEFAULT_WORKING_DAYS == 15
        assert window.deadline(Q3) == dt.date(2027, 1, 21)

    def test_the_message_names_the_quarter_and_the_date(self):
        message = window.closed_message(Q3)
        assert str(Q3) in message and f"{window.deadline(Q3):%-d %B %Y}" in message

    @given(
        st.integers(min_value=2000, max_value=2100),
        st.integers(min_value=1, max_value=4),
        st.integers(min_value=0, max_value=40),
    )
    def test_the_deadline_is_a_weekday_after_the_quarter(self, year, number, days):
        quarter = Quarter(year, number)
        end = window.deadline(quarter, working_days=days)
        assert end >= quarter.end
        if days:
            assert end.weekday() < 5 and end < quarter.next().end


class TestCalendar:
    """A plan's calendar: its own number of days and its reopened quarters."""

    def test_a_plan_sets_its_own_deadline(self):
        calendar = window.Calendar(working_days=5)
        assert calendar.deadline(Q3) == dt.date(2027, 1, 7)
        assert not calendar.is_locked(Q3, dt.date(2027, 1, 7))
        assert calendar.is_locked(Q3, dt.date(2027, 1, 8))
        assert "7 January 2027" in calendar.refusal(Q3, dt.date(2027, 1, 8))

    def test_a_reopened_quarter_is_open_whatever_the_date(self):
        calendar = window.Calendar(reopened=frozenset({Quarter(2006, 1)}))
        assert calendar.refusal(Quarter(2006, 1), dt.date(2026, 11, 26)) is None
        assert calendar.refusal(Quarter(2006, 2), dt.date(2026, 11, 26)) is not None

    def test_open_quarters_lists_the_current_the_previous_in_its_window_and_reopened(self):
        calendar = window.Calendar(reopened=frozenset({Quarter(2006, 1)}))
        assert calendar.open_quarters(dt.date(2027, 1, 21)) == [
            (Quarter(2006, 1), None),
            (Q3, dt.date(2027, 1, 21)),
            (Q3.next(), window.deadline(Q3.next())),
        ]
        assert [q for q, _ in calendar.open_quarters(dt.date(2027, 1, 22))] == [
            Quarter(2006, 1),
            Q3.next(),
        ]


@pytest.mark.django_db
class TestReopenAndRelock:
    @pytest.fixture
    def plan(self, organisation):
        return PlanFactory(organisation=organisation, start_year=2026, end_year=2026)

    def test_for_plan_reads_the_plans_days_and_open_reopenings(self, plan, planner):
        plan.reporting_working_days = 5
        plan.save()
        with time_machine.travel(dt.date(2027, 2, 1)):
            window.quarter_reopen(plan=plan, quarter=Q3, by=planner, reason="Late audit figure")
            calendar = window.for_plan(plan)
            assert calendar.working_days == 5 and calendar.reopened == {Q3}
            window.quarter_relock(plan=plan, quarter=Q3, by=planner)
            assert window.for_plan(plan).reopened == frozenset()

    def test_reopen_then_relock_is_kept_with_who_and_why(self, plan, planner):
        with time_machine.travel(dt.date(2027, 2, 1)):
            window.quarter_reopen(plan=plan, quarter=Q3, by=planner, reason="Late audit figure")
            window.quarter_relock(plan=plan, quarter=Q3, by=planner)
            window.quarter_reopen(plan=plan, quarter=Q3, by=planner, reason="Second look")
        rows = list(QuarterReopening.objects.filter(plan=plan).order_by("pk"))
        assert [r.reason for r in rows] == ["Late audit figure", "Second look"]
        assert rows[0].relocked_by == planner and rows[0].relocked_at is not None
        assert rows[1].is_open and rows[1].reopened_by == planner
        assert rows[0].history.count() == 2  # created, then locked again

    @pytest.mark.parametrize(
        ("today", "reason", "message"),
        [
            (dt.date(2027, 1, 21), "Late figure", "is not locked"),  # the deadline day
            (dt.date(2027, 2, 1), "  ", "Say why"),
        ],
    )
    def test_reopen_is_refused(self, plan, planner, today, reason, message):
        with pytest.raises(ValidationError, match=message):
            window.quarter_reopen(plan=plan, quarter=Q3, by=planner, reason=reason, today=today)
        assert not QuarterReopening.objects.exists()

    def test_reopening_twice_and_relocking_twice_are_refused(self, plan, planner):
        today = dt.date(2027, 2, 1)
        window.quarter_reopen(plan=plan, quarter=Q3, by=planner, reason="A", today=today)
        with pytest.raises(ValidationError, match="already been reopened"):
            window.quarter_reopen(plan=plan, quarter=Q3, by=planner, reason="B", today=today)
        window.quarter_relock(plan=plan, quarter=Q3, by=planner)
        with pytest.raises(ValidationError, match="is not reopened"):
            window.quarter_relock(plan=plan, quarter=Q3, by=planner)
        assert QuarterReopening.objects.count() == 1
