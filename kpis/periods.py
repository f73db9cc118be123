"""The periods a KPI is measured over: months, NHS financial-year quarters and financial years.

Plain Python, no Django. A measurement is stored by the first day of its period
(``Measurement.period_start``); these helpers turn that date into words and keys and back.

Written forms (the import file's "period" column and the form's choices):

* a month: ``2006-04`` (April 2006, a calendar month);
* a quarter: ``2006-Q1`` (the first quarter of the financial year 2006/07, April to June 2006:
  the year is the financial year's start year, as everywhere in Waymark);
* a financial year: ``2006/07`` (April 2006 to March 2007), for annual KPIs.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from planning.fy import Quarter, fy_label, fy_start, fy_start_year, parse_fy, parse_month

MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"

KIND_WORDS = {MONTHLY: "a month", QUARTERLY: "a quarter", ANNUAL: "a financial year"}
EXAMPLES = {MONTHLY: "2006-04", QUARTERLY: "2006-Q1", ANNUAL: "2006/07"}


class PeriodError(ValueError):
    """A period that cannot be read, or that does not fit the KPI's frequency."""


def parse(text: str) -> tuple[str, dt.date]:
    """'2006-04' -> ('monthly', 1 Apr 2006); '2006-Q2' -> ('quarterly', 1 Jul 2006);
    '2006/07' -> ('annual', 1 Apr 2006). Raises PeriodError for anything else."""
    text = text.strip()
    readers = (
        (MONTHLY, parse_month),
        (QUARTERLY, lambda t: Quarter.parse(t).start),
        (ANNUAL, lambda t: fy_start(parse_fy(t))),
    )
    for kind, read in readers:
        try:
            return kind, read(text)
        except ValueError:
            continue
    raise PeriodError(
        f"“{text}” is not a month (such as 2006-04), a quarter (such as 2006-Q1) "
        "or a financial year (such as 2006/07)"
    )


def kind_of(day: dt.date) -> set[str]:
    """The frequencies whose periods can start on ``day``."""
    if day.day != 1:
        return set()
    kinds = {MONTHLY}
    if day.month in (1, 4, 7, 10):
        kinds.add(QUARTERLY)
    if day.month == 4:
        kinds.add(ANNUAL)
    return kinds


def parse_for(text: str, frequency: str) -> dt.date:
    """Parse a period written for a KPI of ``frequency``; a month for a quarterly KPI (or any
    other mismatch) is a PeriodError that says what to write instead."""
    kind, start = parse(text)
    if kind != frequency:
        raise PeriodError(
            f"“{text.strip()}” is {KIND_WORDS[kind]} but the KPI is measured {frequency}: "
            f"write {KIND_WORDS[frequency]} such as {EXAMPLES[frequency]}"
        )
    return start


def check(start: dt.date, frequency: str, *, today: dt.date) -> None:
    """PeriodError unless ``start`` begins a period of ``frequency`` that has started by
    ``today`` (the current period may be entered; a future one may not)."""
    if frequency not in kind_of(start):
        raise PeriodError(
            f"{start.day} {start:%B %Y} does not begin {KIND_WORDS[frequency]}: this KPI is "
            f"measured {frequency}, so choose a period such as "
            f"{label(current(frequency, today), frequency)}"
        )
    if start > today:
        raise PeriodError(
            f"{label(start, frequency)} has not started yet: a value can be entered from "
            f"{start.day} {start:%B %Y}"
        )


def current(frequency: str, today: dt.date) -> dt.date:
    """The start of the period of ``frequency`` that contains ``today``."""
    if frequency == ANNUAL:
        return fy_start(fy_start_year(today))
    if frequency == QUARTERLY:
        return Quarter.containing(today).start
    return today.replace(day=1)


def offered(frequency: str, *, today: dt.date, first_fy: int, last_fy: int) -> list[dt.date]:
    """The periods to offer for a new value, newest first, never one that has not started:
    the current financial year and the one before (so this quarter's value can always be
    entered), and the financial years first_fy..last_fy (a plan's years and around them)."""
    latest = current(frequency, today)
    this_fy = fy_start_year(today)
    wanted = set(starts(this_fy - 1, this_fy, frequency))
    wanted.update(starts(first_fy, last_fy, frequency))
    return sorted((day for day in wanted if day <= latest), reverse=True)


@lru_cache(maxsize=4096)
def end(start: dt.date, frequency: str) -> dt.date:
    """The last day of the period that starts on ``start``."""
    if frequency == ANNUAL:
        return dt.date(start.year + 1, 3, 31)
    if frequency == QUARTERLY:
        return Quarter.containing(start).end
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@lru_cache(maxsize=4096)
def key(start: dt.date, frequency: str) -> str:
    """The written form: '2006-04', '2006-Q1' or '2006/07'."""
    if frequency == ANNUAL:
        return fy_label(fy_start_year(start))
    if frequency == QUARTERLY:
        return Quarter.containing(start).key
    return f"{start.year}-{start.month:02d}"


@lru_cache(maxsize=4096)
def label(start: dt.date, frequency: str) -> str:
    """Words for a reader: 'Apr 2006', 'Q1 2006/07' or '2006/07'."""
    if frequency == ANNUAL:
        return fy_label(fy_start_year(start))
    if frequency == QUARTERLY:
        return str(Quarter.containing(start))
    return start.strftime("%b %Y")


@lru_cache(maxsize=4096)
def short_label(start: dt.date, frequency: str) -> str:
    """For a chart's axis: 'Apr 06', 'Q1 06/07' or '06/07'."""
    year = fy_start_year(start)
    short_fy = f"{year % 100:02d}/{(year + 1) % 100:02d}"
    if frequency == ANNUAL:
        return short_fy
    if frequency == QUARTERLY:
        return f"Q{Quarter.containing(start).number} {short_fy}"
    return start.strftime("%b %y")


def quarter_label(quarter: Quarter) -> str:
    """'Q2 2006/07': the quarter as planning.fy.Quarter writes it."""
    return str(quarter)


# A plan's measurements may start two financial years before it (baselines, trends before the
# plan's actions) and run one year after it (the last year's results come in late). The
# measurement form offers these periods; the import accepts these years.
YEARS_BEFORE_PLAN = 2
YEARS_AFTER_PLAN = 1


def plan_years(start_year: int, end_year: int) -> tuple[int, int]:
    """The first and last financial years a plan (start_year to end_year) may have
    measurements in."""
    return start_year - YEARS_BEFORE_PLAN, end_year + YEARS_AFTER_PLAN


def starts(first_fy: int, last_fy: int, frequency: str) -> list[dt.date]:
    """Every period start of ``frequency`` in the financial years first_fy..last_fy, in order."""
    if frequency == ANNUAL:
        return [dt.date(year, 4, 1) for year in range(first_fy, last_fy + 1)]
    step = 3 if frequency == QUARTERLY else 1
    days = []
    for year in range(first_fy, last_fy + 1):
        for offset in range(0, 12, step):
            month = 4 + offset
            days.append(dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1))
    return days


def due_in_quarter(frequency: str, quarter: Quarter) -> list[dt.date]:
    """The periods of ``frequency`` that a quarter's report asks a value for: the quarter's
    three months, the quarter itself, or (annual KPIs) the financial year, asked for in its
    fourth quarter only."""
    if frequency == ANNUAL:
        return [fy_start(quarter.year)] if quarter.number == 4 else []
    if frequency == QUARTERLY:
        return [quarter.start]
    first = quarter.start
    return [
        dt.date(first.year + (first.month + i - 1) // 12, (first.month + i - 1) % 12 + 1, 1)
        for i in range(3)
    ]
