"""The notice rules, as plain functions of a date (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from notices import rules
from planning import reporting_window
from planning.fy import Quarter

Q1 = Quarter(2006, 1)  # April–June 2006; its deadline (15 working days) is Friday 21 July 2006
CAL = reporting_window.Calendar()


def deadline_of(quarter):
    return CAL.deadline(quarter)


class TestReminderStages:
    def test_deadline_and_stage_days(self):
        assert CAL.deadline(Q1) == dt.date(2006, 7, 21)
        assert rules.working_days_before(dt.date(2006, 7, 21), 10) == dt.date(2006, 7, 7)
        assert rules.working_days_before(dt.date(2006, 7, 21), 3) == dt.date(2006, 7, 18)

    @pytest.mark.parametrize(
        ("today", "stage"),
        [
            (dt.date(2006, 7, 6), None),  # the day before the first reminder
            (dt.date(2006, 7, 7), 10),
            (dt.date(2006, 7, 17), 10),
            (dt.date(2006, 7, 18), 3),
            (dt.date(2006, 7, 21), 3),  # the deadline itself
            (dt.date(2006, 7, 22), None),  # past it: overdue notices take over
        ],
    )
    def test_the_stage_due(self, today, stage):
        assert rules.reminder_stage(Q1, today, CAL.deadline(Q1), [10, 3]) == stage

    def test_reopened_quarter_has_no_reminder(self):
        assert rules.reminder_stage(Q1, dt.date(2006, 7, 18), None, [10, 3]) is None

    def test_reminders_due_names_the_quarter_and_period(self):
        due = rules.reminders_due(dt.date(2006, 7, 18), deadline_of, [10, 3])
        assert due == [(Q1, 3, dt.date(2006, 7, 21))]
        assert rules.reminder_period(Q1, 3) == "2006-Q1:3"

    def test_no_reminder_before_the_quarter_starts(self):
        q2 = Quarter(2006, 2)
        assert rules.reminder_stage(q2, dt.date(2006, 6, 30), dt.date(2006, 7, 5), [10]) is None
        assert rules.reminder_stage(q2, dt.date(2006, 7, 3), dt.date(2006, 7, 5), [10]) == 10


class TestOverdueAndWeekly:
    def test_overdue_from_the_day_after_the_deadline(self):
        # On Q1's deadline day the last deadline passed is still Q4 2005/06's.
        assert rules.overdue_quarter(dt.date(2006, 7, 21), deadline_of)[0] == Quarter(2005, 4)
        assert rules.overdue_quarter(dt.date(2006, 7, 24), deadline_of) == (
            Q1,
            dt.date(2006, 7, 21),
        )

    def test_until_the_next_quarters_deadline(self):
        q2_deadline = CAL.deadline(Quarter(2006, 2))
        assert rules.overdue_quarter(q2_deadline, deadline_of)[0] == Q1
        assert rules.overdue_quarter(q2_deadline + dt.timedelta(days=3), deadline_of)[0] == (
            Quarter(2006, 2)
        )

    def test_week_period_from_the_plans_day(self):
        monday, wednesday = dt.date(2006, 7, 24), dt.date(2006, 7, 26)
        assert rules.week_period(monday) == "2006-W30"
        assert rules.week_period(monday, weekday=2) is None
        assert rules.week_period(wednesday, weekday=2) == "2006-W30"

    def test_parse_reminder_days(self):
        assert rules.parse_reminder_days("3, 10,10") == [10, 3]
        for bad in ("", "ten", "0", "61", "1,2,3,4,5,6"):
            with pytest.raises(ValueError):
                rules.parse_reminder_days(bad)


def item(n, **kwargs):
    values = dict(
        id=n,
        plan_id=1,
        label=f"Item {n}",
        path=f"/objectives/{n}/",
        department="",
        due_date=None,
        closed=False,
        rag="",
        updated=False,
        leads=frozenset({7}),
    )
    values.update(kwargs)
    return rules.Item(**values)


class TestWhoIsTold:
    def test_to_update_leaves_out_updated_and_closed_items(self):
        items = [item(1), item(2, updated=True), item(3, closed=True), item(4, leads=frozenset())]
        kpi = rules.Kpi(1, 1, "L1", "/kpis/1/", ("Q1 2006/07",), frozenset({8}))
        done = rules.Kpi(2, 1, "L2", "/kpis/2/", (), frozenset({8}))
        work = rules.to_update_by_person(items, [kpi, done])
        assert [i.id for i in work[7].items] == [1]
        assert work[8].kpis == [kpi]
        assert set(work) == {7, 8}

    def test_past_due(self):
        today = dt.date(2006, 10, 2)
        items = [
            item(1, due_date=dt.date(2006, 9, 30)),
            item(2, due_date=dt.date(2006, 9, 30), closed=True),
            item(3, due_date=today),
        ]
        assert [i.id for i in rules.past_due_by_person(items, today)[7].items] == [1]

    def test_digest_by_department(self):
        today = dt.date(2006, 10, 2)
        items = [
            item(1, department="Estates", rag="red", updated=True),
            item(2, department="Estates", due_date=dt.date(2006, 9, 1)),
            item(3, department="", rag="amber"),
            item(4, department="Finance", updated=True, rag="green"),
        ]
        digest = rules.digest(items, [], today)
        assert [d.name for d in digest.departments] == ["Estates", rules.NO_DEPARTMENT]
        estates = digest.departments[0]
        assert [i.id for i in estates.not_updated] == [2]
        assert [i.id for i in estates.red_amber] == [1]
        assert [i.id for i in estates.overdue] == [2]
        assert digest.counts == {"not_updated": 2, "red_amber": 2, "overdue": 1, "kpis": 0}
