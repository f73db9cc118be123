"""Read due dates out of the free text that plans write in their "by when" and KPI columns.

Plain Python, no Django, so it can be used anywhere (demo loaders, imports, forms).

What counts as a date:

- a month name, full or abbreviated ("Sept", "Sep", "September", "Jun", "June"; "Sept." too),
  followed by a year of two or four digits, with a space, a hyphen, an apostrophe or nothing
  between them: "Sept 06", "Sep-06", "Apr06", "Jan '07", "May 2006", "March 2019";
- optionally preceded by a day: "30th June 06", "1 April 2007", "30th of June 2006".

A month with no day means its last day ("Sept 06" is due by 30 September 2006); a given day is
used as it is. A day that the month does not have ("31st June 06") makes that mention no date.

What does not count, on purpose:

- Financial years such as "07/08", "2006/07" or "2006-07" are periods, not dates: "Signed SLAs
  by Sept 06 to inform budget setting for 07/08" is due in September 2006; the 07/08 budget is
  what the work informs, not when it is due. The same goes for a month glued to one ("Mar
  2006/07"), which is ambiguous and ignored.
- A month name with no year ("by June", "may", "march"): too often an ordinary word.
- Recurrences and open ends ("Monthly", "Quarterly", "Ongoing"): no date.

Two-digit years are read in the century that puts them nearest the plan's first year, so "06"
is 2006 in a 2006/07 plan and "99" would be 1999.

When the text names several dates ("Jul06/Oct06/Jan07/Apr07", "April 06 Complete Dec 06") the
latest one is the due date: the work is due when its last milestone is.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["parse_due", "due_words"]

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_MONTH_NAME = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)

_DATE = re.compile(
    r"""
    (?<![^\W\d_])                                 # not straight after a letter ("Xmar 06")
    (?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?
    (?P<month>"""
    + _MONTH_NAME
    + r""")\.?
    [\s\-'’]*                                    # "Sept 06", "Sep-06", "Apr06", "Jan '07"
    (?P<year>\d{4}|\d{2})
    (?![\d]|[/\-]\d)                             # a year, but not the start of "2006/07"
    """,
    re.IGNORECASE | re.VERBOSE,
)

# What may stand between two dates of one run, e.g. "July06/Oct06/Jan 07/Apr07".
_RUN_GAP = re.compile(r"^[\s/,;&+\-–—]*(?:(?:and|or|to)[\s/,;&+\-–—]*)?$", re.IGNORECASE)


def _full_year(digits: str, plan_start_year: int) -> int:
    if len(digits) == 4:
        return int(digits)
    two = int(digits)
    century = plan_start_year // 100 * 100
    candidates = (century - 100 + two, century + two, century + 100 + two)
    return min(candidates, key=lambda year: abs(year - plan_start_year))


def _date_of(match: re.Match[str], plan_start_year: int) -> dt.date | None:
    month = _MONTHS[match["month"][:3].lower()]
    year = _full_year(match["year"], plan_start_year)
    last_day = calendar.monthrange(year, month)[1]
    if match["day"] is None:
        return dt.date(year, month, last_day)
    day = int(match["day"])
    if not 1 <= day <= last_day:
        return None
    return dt.date(year, month, day)


def parse_due(text: str, *, plan_start_year: int) -> dt.date | None:
    """The latest date that ``text`` mentions, or None when it mentions none.

    >>> parse_due("Signed SLAs by Sept 06 to inform budget setting for 07/08",
    ...           plan_start_year=2006)
    datetime.date(2006, 9, 30)
    >>> parse_due("Ongoing – Monthly", plan_start_year=2006) is None
    True
    """
    dates = [_date_of(m, plan_start_year) for m in _DATE.finditer(text or "")]
    found = [d for d in dates if d is not None]
    return max(found) if found else None


def due_words(text: str) -> str:
    """The date words of ``text`` as written, for a "due (as written)" field; "" if none.

    Dates that follow one another with only separators between them stay one run, written as
    in the text ("July06/Oct06/Jan 07/Apr07"); separate runs are joined with ", " ("April 06,
    Dec 06" from "Progress against plan April 06 Complete Dec 06").
    """
    text = text or ""
    runs: list[str] = []
    run_start = run_end = None
    for match in _DATE.finditer(text):
        if run_end is not None and _RUN_GAP.match(text[run_end : match.start()]):
            run_end = match.end()
            continue
        if run_start is not None:
            runs.append(text[run_start:run_end])
        run_start, run_end = match.start(), match.end()
    if run_start is not None:
        runs.append(text[run_start:run_end])
    return ", ".join(runs)
