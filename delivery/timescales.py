"""Timescales as delivery plans write them, and the dates they resolve to. Plain Python.

A plan's milestone says "within 3 months", "3 months – 3 years", "by March 2010", "Oct 2009"
or "2016-17 to 20-21". The text is kept as written (DeliveryItem.timescale_text); `resolve`
turns it into a due date, or a window (earliest, latest), when it can:

- relative timescales ("within 3 months", "3–6 months") count from the item's start, so they
  resolve only once the start is known;
- absolute ones ("by March 2010", "Oct 2009", "2016/17", "Q3 2009/10", "31 March 2010") resolve
  without it.

"by X" and "within N" name a deadline: the due date is the end of X (or start + N) and there is
no window. A bare period ("Oct 2009", "2016/17") is a window from its first to its last day; a
range ("3 months – 3 years", "2016-17 to 20-21") a window from the first end to the second.
Anything else ("ongoing", "the last quarter of this financial year") is kept unresolved rather
than guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
}
_UNITS = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9

# The dashes people type between two ends of a range: hyphen, en dash, em dash, "to".
_RANGE = r"\s*(?:-|–|—|to|until)\s*"
_NUM = r"(\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_UNIT = r"(day|week|month|quarter|year)s?"


class TimescaleError(ValueError):
    """The text says a date that does not exist (e.g. "31 February 2010")."""


@dataclass(frozen=True)
class Offset:
    """An amount of time counted from a start: 3 months, 2 years."""

    count: int
    unit: str  # day, week, month, quarter, year

    def after(self, start: dt.date) -> dt.date:
        if self.unit == "day":
            return start + dt.timedelta(days=self.count)
        if self.unit == "week":
            return start + dt.timedelta(weeks=self.count)
        months = self.count * {"month": 1, "quarter": 3, "year": 12}[self.unit]
        return add_months(start, months)

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'' if self.count == 1 else 's'}"


@dataclass(frozen=True)
class Timescale:
    """What a timescale's text means. Relative: `earliest`/`latest` offsets from the start (a
    deadline has only `latest`). Absolute: the dates themselves. Unknown: neither."""

    text: str
    earliest: Offset | None = None
    latest: Offset | None = None
    due: dt.date | None = None
    due_latest: dt.date | None = None

    @property
    def is_relative(self) -> bool:
        return self.latest is not None

    @property
    def is_absolute(self) -> bool:
        return self.due is not None

    @property
    def understood(self) -> bool:
        return self.is_relative or self.is_absolute

    def resolve(self, start: dt.date | None) -> Resolved:
        if self.is_absolute:
            return Resolved(self.due, self.due_latest)
        if self.is_relative and start is not None:
            if self.earliest is None:
                return Resolved(self.latest.after(start), None)
            return Resolved(self.earliest.after(start), self.latest.after(start))
        return Resolved(None, None)


@dataclass(frozen=True)
class Resolved:
    """A due date (`due_date` alone), a window (both), or nothing known (neither)."""

    due_date: dt.date | None
    due_date_latest: dt.date | None

    @property
    def is_window(self) -> bool:
        return self.due_date_latest is not None


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, kept within the month (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text]


def _month_number(text: str) -> int | None:
    return _MONTHS.get(text.lower().rstrip("."))


def _full_year(text: str, *, after: int | None = None) -> int:
    """'2010' -> 2010; '10' -> 2010 (or the century that puts it at or after `after`)."""
    year = int(text)
    if len(text) == 4:
        return year
    century = (after // 100) * 100 if after else 2000
    year += century
    if after and year < after:
        year += 100
    return year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise TimescaleError(f"{day}/{month}/{year} is not a date.") from error


# A period: (first day, last day). Each parser takes the cleaned text or returns None.


def _fy(text: str, *, after: int | None = None) -> tuple[dt.date, dt.date] | None:
    """'2016-17', '2016/17', '16-17', '20-21' (after 2016: 2020/21)."""
    match = re.fullmatch(r"(?:fy\s*)?(\d{4}|\d{2})\s*[-/–]\s*(\d{2}|\d{4})", text)
    if not match:
        return None
    first = _full_year(match[1], after=after)
    second = _full_year(match[2], after=first)
    if second != first + 1:
        return None
    return dt.date(first, 4, 1), dt.date(first + 1, 3, 31)


def _quarter(text: str) -> tuple[dt.date, dt.date] | None:
    """'Q3 2009/10' or 'Q3 2009-10': the financial year's third quarter (Oct–Dec 2009)."""
    match = re.fullmatch(r"q([1-4])\s+(.+)", text)
    if not match:
        return None
    year = _fy(match[2])
    if year is None:
        return None
    first = add_months(year[0], 3 * (int(match[1]) - 1))
    last = add_months(first, 3) - dt.timedelta(days=1)
    return first, last


def _month(text: str) -> tuple[dt.date, dt.date] | None:
    """'Oct 2009', 'October 2009', 'end of March 2010' (the caller drops 'end of')."""
    match = re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", text)
    if not match or _month_number(match[1]) is None:
        return None
    year, month = int(match[2]), _month_number(match[1])
    return dt.date(year, month, 1), _month_end(year, month)


def _day(text: str) -> tuple[dt.date, dt.date] | None:
    """'31 March 2010', '31st March 2010', '31/03/2010', '2010-03-31'."""
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?\s+(\d{4})", text)
    if match and _month_number(match[2]) is not None:
        day = _date(int(match[3]), _month_number(match[2]), int(match[1]))
        return day, day
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)  # British order
    if match:
        day = _date(int(match[3]), int(match[2]), int(match[1]))
        return day, day
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        day = _date(int(match[1]), int(match[2]), int(match[3]))
        return day, day
    return None


def _year(text: str) -> tuple[dt.date, dt.date] | None:
    match = re.fullmatch(r"(\d{4})", text)
    if not match:
        return None
    return dt.date(int(match[1]), 1, 1), dt.date(int(match[1]), 12, 31)


def _period(text: str, *, after: int | None = None) -> tuple[dt.date, dt.date] | None:
    text = re.sub(r"^(?:the\s+)?end\s+of\s+", "", text)
    for parser in (_day, _quarter, _month, _year):
        found = parser(text)
        if found:
            return found
    return _fy(text, after=after)


def _clean(text: str) -> str:
    text = text.strip().lower().replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(".")


def parse(text: str) -> Timescale:
    """What `text` means (Timescale.understood is False when it cannot say).

    TimescaleError when it names a date that does not exist ("31 February 2010")."""
    cleaned = _clean(text)
    if not cleaned:
        return Timescale(text)

    # Relative: "within 3 months", "within six weeks", "3 months".
    match = re.fullmatch(rf"(?:within|in|after)?\s*(?:the\s+next\s+)?{_NUM}\s+{_UNIT}", cleaned)
    if match:
        return Timescale(text, latest=Offset(_number(match[1]), _UNITS[match[2]]))
    # "3 months – 3 years", "between 3 and 6 months", "3-6 months", "12 to 18 months".
    match = re.fullmatch(
        rf"(?:between\s+)?{_NUM}(?:\s+{_UNIT})?(?:{_RANGE}|\s+and\s+){_NUM}\s+{_UNIT}", cleaned
    )
    if match:
        later_unit = _UNITS[match[4]]
        earlier_unit = _UNITS[match[2]] if match[2] else later_unit
        earliest = Offset(_number(match[1]), earlier_unit)
        latest = Offset(_number(match[3]), later_unit)
        if latest.after(dt.date(2000, 1, 1)) < earliest.after(dt.date(2000, 1, 1)):
            return Timescale(text)  # "6 months – 3 weeks" says nothing we can trust
        return Timescale(text, earliest=earliest, latest=latest)

    # Absolute deadline: "by March 2010", "by end of 2010/11", "no later than 31/03/2010".
    match = re.fullmatch(r"(?:by|before|no later than|due)\s+(.+)", cleaned)
    if match:
        period = _period(match[1])
        if period:
            return Timescale(text, due=period[1])
        return Timescale(text)

    # A range of periods: "2016-17 to 20-21", "Oct 2009 – March 2010".
    parts = re.split(r"\s+(?:to|until|-|–|—)\s+|\s*[–—]\s*", cleaned)
    if len(parts) == 2:
        first = _period(parts[0])
        if first:
            last = _period(parts[1], after=first[0].year)
            if last and last[1] >= first[0]:
                return Timescale(text, due=first[0], due_latest=last[1])

    # One period: a window from its first day to its last (a day is a due date).
    period = _period(cleaned)
    if period:
        first, last = period
        return Timescale(text, due=first, due_latest=None if first == last else last)
    return Timescale(text)


def resolve(text: str, start: dt.date | None = None) -> Resolved:
    """The due date or window `text` says, counted from `start` when it is relative."""
    return parse(text).resolve(start)
