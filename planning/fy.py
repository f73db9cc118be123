"""NHS financial years (1 April to 31 March) and their quarters. Plain Python, no Django."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# The written forms, as in URLs, forms and import files: one parser each, below.
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q(\d)$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
# Years outside this are typing mistakes, not plans.
_FIRST_YEAR, _LAST_YEAR = 1900, 2200


def fy_start_year(day: dt.date) -> int:
    """The calendar year in which the financial year containing ``day`` starts."""
    return day.year if day.month >= 4 else day.year - 1


def fy_label(start_year: int) -> str:
    """2006 -> '2006/07'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def fy_start(start_year: int) -> dt.date:
    return dt.date(start_year, 4, 1)


def fy_end(start_year: int) -> dt.date:
    return dt.date(start_year + 1, 3, 31)


def parse_month(text: str) -> dt.date:
    """'2006-09' (or '2006-9') -> 1 September 2006. ValueError for anything else."""
    match = _MONTH.match(str(text).strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and _FIRST_YEAR <= year <= _LAST_YEAR:
            return dt.date(year, month, 1)
    raise ValueError(f"{text!r} is not a month such as 2006-09.")


def parse_fy(text: str) -> int:
    """'2006/07' -> 2006, the financial year's start year. ValueError for anything else."""
    match = _YEAR.match(str(text).strip())
    if match:
        year, end = int(match[1]), int(match[2])
        if end == (year + 1) % 100 and _FIRST_YEAR <= year <= _LAST_YEAR:
            return year
    raise ValueError(f"{text!r} is not a financial year such as 2006/07.")


def period_label(start_year: int, end_year: int) -> str:
    """A plan's period: '2006/07' for one year, '2018-21' for 2018/19 to 2020/21."""
    if end_year == start_year:
        return fy_label(start_year)
    return f"{start_year}-{(end_year + 1) % 100:02d}"


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial-year quarter: Q1 is April to June."""

    year: int  # the financial year's start year
    number: int  # 1..4

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError("A quarter is numbered 1 to 4.")

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        year = fy_start_year(day)
        months_in = (day.month - 4) % 12
        return cls(year, months_in // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'2006-Q2' (or '2006-q2') -> Quarter(2006, 2). ValueError for anything else."""
        match = _QUARTER.match(str(text).strip())
        if match and 1 <= int(match[2]) <= 4 and _FIRST_YEAR <= int(match[1]) <= _LAST_YEAR:
            return cls(int(match[1]), int(match[2]))
        raise ValueError(f"{text!r} is not a quarter such as 2006-Q2.")

    @property
    def start(self) -> dt.date:
        month = 4 + (self.number - 1) * 3
        year = self.year if month <= 12 else self.year + 1
        return dt.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        nxt = self.next()
        return nxt.start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def months(self) -> str:
        """'Oct–Dec': for a hint beside the label, never instead of it."""
        return {1: "Apr–Jun", 2: "Jul–Sep", 3: "Oct–Dec", 4: "Jan–Mar"}[self.number]

    def __str__(self) -> str:
        """'Q3 2006/07': the one way a quarter is written, on every page, export and PDF."""
        return f"Q{self.number} {fy_label(self.year)}"
