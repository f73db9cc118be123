"""The reporting window: how long a quarter's figures stay open to correction.

A quarter's progress updates and KPI values may be corrected or withdrawn from the quarter's
first day until a number of working days after its last; after that the quarter has been
reported (board papers, the scorecard) and its records read the same for ever. Plain Python.

This is the one definition. It is a function of the quarter (and, later, of the plan's own
deadline): callers ask `is_open(quarter, today)` and show `deadline(quarter)`, never count days
themselves.
"""

from __future__ import annotations

import datetime as dt

from planning.fy import Quarter

# Working days after a quarter ends during which its records may still be corrected.
WORKING_DAYS_AFTER_QUARTER = 10


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date `count` working days (Monday to Friday) after `day`. Bank holidays are not
    known here, so they count as working days: the window is never shorter than promised."""
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def deadline(quarter: Quarter, *, working_days: int = WORKING_DAYS_AFTER_QUARTER) -> dt.date:
    """The last day on which the quarter's records may be corrected."""
    return add_working_days(quarter.end, working_days)


def is_open(quarter: Quarter, today: dt.date, **kwargs) -> bool:
    """May records of `quarter` be corrected or withdrawn on `today`?"""
    return quarter.start <= today <= deadline(quarter, **kwargs)


def closed_message(quarter: Quarter) -> str:
    return (
        f"{quarter} can no longer be corrected: its reporting window closed on "
        f"{deadline(quarter):%-d %B %Y}. Post a new update instead, or ask a planner."
    )
