"""Who gets which notice, given a date: the rules, in plain Python (no Django, no database).

The Django layer (notices.collect) reads the records into the plain facts below, once per kind
of notice, and asks these functions what is due. Everything here is a function of its
arguments, so the tests move the date around the deadlines without a database.

Periods, the third part of the sent-once key (person, kind and period, per plan):
- a reminder: the quarter and the stage, "2026-Q2:10" (10 working days before the deadline);
- an overdue notice or a board-pack notice: the quarter, "2026-Q2";
- a weekly notice or digest: the ISO week, "2026-W48".
A pass that finds a period already sent sends nothing for it, so running the sender again, or
every day, sends each notice once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from planning.fy import Quarter

# A deadline for a quarter, or None when the quarter has none (reopened by a planner).
DeadlineOf = Callable[[Quarter], "dt.date | None"]


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The date `count` working days (Monday to Friday) before `day`."""
    while count > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def parse_reminder_days(text: str) -> list[int]:
    """'10, 3' -> [10, 3] (largest first, no repeats). ValueError, with words a planner can act
    on, for anything else."""
    parts = [part.strip() for part in str(text).replace(";", ",").split(",")]
    parts = [part for part in parts if part]
    if not parts:
        raise ValueError("Enter at least one number of working days, for example “10, 3”.")
    days = set()
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= 60:
            raise ValueError(
                f"“{part}” is not a number of working days from 1 to 60: write numbers "
                "separated by commas, for example “10, 3”."
            )
        days.add(int(part))
    if len(days) > 5:
        raise ValueError("Enter at most five reminders.")
    return sorted(days, reverse=True)


def reminder_stage(
    quarter: Quarter, today: dt.date, deadline: dt.date | None, days: Iterable[int]
) -> int | None:
    """Which reminder is due on `today` for `quarter`: the stage (working days before the
    deadline) whose day has come most recently, or None (no deadline, deadline passed, quarter
    not started, or no reminder day reached yet). A pass that missed the 10-day reminder's day
    and runs on the 3-day one sends only the 3-day reminder."""
    if deadline is None or today > deadline or today < quarter.start:
        return None
    reached = [n for n in days if working_days_before(deadline, n) <= today]
    return min(reached) if reached else None


def reminders_due(today: dt.date, deadline_of: DeadlineOf, days: Iterable[int]):
    """[(quarter, stage, deadline)] for the reminders due on `today` (the previous quarter's,
    while its deadline is ahead, and the current quarter's)."""
    days = list(days)
    current = Quarter.containing(today)
    due = []
    for quarter in (current.previous(), current):
        deadline = deadline_of(quarter)
        stage = reminder_stage(quarter, today, deadline, days)
        if stage is not None:
            due.append((quarter, stage, deadline))
    return due


def reminder_period(quarter: Quarter, stage: int) -> str:
    return f"{quarter.key}:{stage}"


def overdue_quarter(today: dt.date, deadline_of: DeadlineOf) -> tuple[Quarter, dt.date] | None:
    """The quarter whose deadline passed most recently, while the next quarter's deadline is
    still ahead (after that, the next quarter's notice takes over): (quarter, its deadline)."""
    current = Quarter.containing(today)
    for quarter in (current.previous(), current.previous().previous()):
        deadline = deadline_of(quarter)
        if deadline is None or today <= deadline:
            continue
        following = deadline_of(quarter.next())
        if following is None or today <= following:
            return quarter, deadline
    return None


def week_period(today: dt.date, weekday: int = 0) -> str | None:
    """The ISO week's period ("2026-W48") once the plan's weekly day (0 = Monday) has come in
    that week; None before it. The first pass on or after that day sends the week's notices."""
    if today.weekday() < weekday:
        return None
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------------------------------------
# The facts the Django layer reads, and what each person is told
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    id: int
    plan_id: int
    label: str
    path: str
    department: str
    due_date: dt.date | None
    closed: bool
    rag: str
    updated: bool  # has a current progress update for the quarter asked about
    leads: frozenset[int]  # ids of the active users who lead it (and may update it)

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_date is not None and self.due_date < today and not self.closed


@dataclass(frozen=True)
class Kpi:
    id: int
    plan_id: int
    label: str
    path: str
    missing: tuple[str, ...]  # the periods of the quarter without a value, as words
    owners: frozenset[int]


@dataclass
class Work:
    """What one person is asked about, for one plan."""

    items: list[Item] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.items or self.kpis)


def to_update_by_person(items: Iterable[Item], kpis: Iterable[Kpi] = ()) -> dict[int, Work]:
    """Open items without an update for the quarter, and KPIs missing a value, by person."""
    work: dict[int, Work] = {}
    for item in items:
        if item.closed or item.updated:
            continue
        for user_id in item.leads:
            work.setdefault(user_id, Work()).items.append(item)
    for kpi in kpis:
        if not kpi.missing:
            continue
        for user_id in kpi.owners:
            work.setdefault(user_id, Work()).kpis.append(kpi)
    return work


def past_due_by_person(items: Iterable[Item], today: dt.date) -> dict[int, Work]:
    """Open items past their due date, by lead."""
    work: dict[int, Work] = {}
    for item in items:
        if item.is_overdue(today):
            for user_id in item.leads:
                work.setdefault(user_id, Work()).items.append(item)
    return work


RED_AMBER = ("red", "amber")


@dataclass
class Department:
    name: str
    not_updated: list[Item] = field(default_factory=list)
    red_amber: list[Item] = field(default_factory=list)
    overdue: list[Item] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.not_updated or self.red_amber or self.overdue)


@dataclass
class Digest:
    departments: list[Department]
    kpis_missing: list[Kpi]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "not_updated": sum(len(d.not_updated) for d in self.departments),
            "red_amber": sum(len(d.red_amber) for d in self.departments),
            "overdue": sum(len(d.overdue) for d in self.departments),
            "kpis": len(self.kpis_missing),
        }


NO_DEPARTMENT = "No department"


def digest(items: Iterable[Item], kpis: Iterable[Kpi], today: dt.date) -> Digest:
    """One plan's digest for its planners: by department (alphabetical, items without one
    last), the open items not updated for the quarter, the Red and Amber ones, the overdue ones;
    and the KPIs without a value for the quarter."""
    departments: dict[str, Department] = {}
    for item in items:
        name = item.department or NO_DEPARTMENT
        department = departments.setdefault(name, Department(name))
        if not item.closed and not item.updated:
            department.not_updated.append(item)
        if not item.closed and item.rag in RED_AMBER:
            department.red_amber.append(item)
        if item.is_overdue(today):
            department.overdue.append(item)
    ordered = sorted(
        (d for d in departments.values() if d), key=lambda d: (d.name == NO_DEPARTMENT, d.name)
    )
    return Digest(ordered, [kpi for kpi in kpis if kpi.missing])
