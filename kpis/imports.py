"""Bulk import of measurements from a CSV file or an Excel workbook (.xlsx).

The file's first row names the columns (in any order, any case): ``kpi code`` (or ``code``),
``period``, ``value`` and, optionally, ``commentary``. Other columns are ignored. Each further
row is one measurement:

* ``kpi code``: the KPI's code in this plan, e.g. ``L2`` (case does not matter);
* ``period``: ``2006-04`` for a month, ``2006-Q1`` for a financial-year quarter (Q1 is April to
  June 2006, the first quarter of 2006/07) or ``2006/07`` for a financial year; it must be the
  kind of period the KPI is measured over (its frequency), must have started and must fall in
  the years the plan's measurements may cover (periods.plan_years: from two financial years
  before the plan, for baselines, to one after it);
* ``value``: a number (commas only as thousands separators, at most 4 decimal places);
* ``commentary``: free text, over several lines if need be. When the column is present it
  replaces the commentary of an existing measurement (an empty cell clears it); when it is
  absent commentary is untouched.

The file is read, checked and written by the shared pipeline (planning.spreadsheets); this
module says what the columns are, how a row is checked and how good rows are written.

All or nothing: every row is checked first and every bad row is reported with its row number
(the spreadsheet's: the header is row 1) and all its problems; if any row is bad nothing is
imported. Otherwise the rows are written in one transaction as an upsert on (KPI, period): a new
period is created, a different value or commentary updates the measurement (its version goes
up, its history records who), and the same value and commentary change nothing, so importing
the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kpis import periods
from kpis.models import KPI, Measurement
from planning import fy, reporting_window, spreadsheets
from planning.spreadsheets import ImportFileError, ImportResult, Row, RowError, Table

__all__ = [
    "ImportFileError",
    "ImportResult",
    "RowError",
    "import_measurements",
    "read_file",
    "read_upload",
]

MAX_PLACES = 4
MAX_VALUE = Decimal("10") ** 10  # Measurement.value: 14 digits, 4 after the point

LAYOUT = spreadsheets.Layout(
    columns=(
        spreadsheets.Column("code", "kpi code", aliases=("code", "kpi")),
        spreadsheets.Column("period", "period"),
        spreadsheets.Column("value", "value"),
        spreadsheets.Column(
            "commentary",
            "commentary",
            aliases=("comment", "comments"),
            required=False,
            multiline=True,
        ),
    ),
    split_number="a value",
)


def read_file(name: str, content: bytes) -> Table:
    """The rows of a .csv or .xlsx file, with their spreadsheet row numbers."""
    return spreadsheets.read_table(name, content, LAYOUT)


def read_upload(upload) -> Table:
    """read_file for an uploaded file, its name and size checked before it is read."""
    return spreadsheets.read_upload(upload, LAYOUT)


# --- checking each row -----------------------------------------------------------------------


def parse_value(cell: object) -> Decimal:
    """A cell as a measurement's value, or ValueError with the reason."""
    return spreadsheets.parse_number(cell, places=MAX_PLACES, below=MAX_VALUE)


def parse_period(cell: object, kpi: KPI | None) -> dt.date:
    """A cell as a period start for the KPI's frequency, or ValueError with the reason."""
    if spreadsheets.blank(cell):
        raise spreadsheets.MissingCell("no period")
    if isinstance(cell, dt.datetime | dt.date):
        # Excel turns a typed "2006-04" into the date 1 April 2006: read it as that month.
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        if day.day != 1:
            raise ValueError(
                f"{day.isoformat()} is a date: write a month such as 2006-04, a quarter "
                "such as 2006-Q1 or a financial year such as 2006/07"
            )
        written = f"{day.year}-{day.month:02d}"
    elif isinstance(cell, bool | float):
        raise ValueError(f"“{spreadsheets.shown(cell)}” is not a month, quarter or financial year")
    else:
        written = str(cell)
    if kpi is None:
        return periods.parse(written)[1]
    return periods.parse_for(written, kpi.frequency)


@dataclass(frozen=True)
class _Good:
    row: int
    kpi: KPI
    period_start: dt.date
    value: Decimal
    commentary: str


class _RowCheck:
    """One row checked against the plan's KPIs; remembers the rows seen, to find duplicates."""

    def __init__(
        self,
        kpis: list[KPI],
        *,
        today: dt.date,
        years: tuple[int, int],
        calendar: reporting_window.Calendar,
    ):
        self.today = today
        self.years = years
        self.calendar = calendar
        self.by_code = {k.code: k for k in kpis}
        self.folded: dict[str, KPI | None] = {}
        for k in kpis:
            # Case does not matter, unless two codes differ only by case.
            self.folded[k.code.casefold()] = None if k.code.casefold() in self.folded else k
        self.seen: dict[tuple[int, dt.date], int] = {}

    def __call__(self, row: Row, reasons: list[str]) -> _Good | None:
        kpi = self._kpi(row, reasons)
        period_start = spreadsheets.check_cell(
            row, "period", lambda cell: parse_period(cell, kpi), reasons, title="period"
        )
        if period_start is not None and period_start > self.today:
            reasons.append(f"period “{spreadsheets.shown(row['period'])}” has not started yet")
        elif period_start is not None and not (
            self.years[0] <= fy.fy_start_year(period_start) <= self.years[1]
        ):
            first, last = self.years
            reasons.append(
                f"period “{spreadsheets.shown(row['period'])}” is outside the years this plan's "
                f"measurements may cover: {fy.fy_label(first)} (two years before the plan, for "
                f"baselines) to {fy.fy_label(last)} (a year after it)"
            )
        elif kpi is not None and period_start is not None:
            # The period lock: a value belongs to the quarter its period ends in.
            quarter = fy.Quarter.containing(periods.end(period_start, kpi.frequency))
            refusal = self.calendar.refusal(quarter, self.today)
            if refusal:
                reasons.append(
                    f"period “{spreadsheets.shown(row['period'])}”: {quarter} is locked (its "
                    f"reporting deadline was {self.calendar.deadline(quarter):%-d %B %Y}); ask a "
                    "planner to reopen it"
                )
        value = spreadsheets.check_cell(row, "value", parse_value, reasons, title="value")
        if kpi is not None and period_start is not None:
            first = self.seen.setdefault((kpi.pk, period_start), row.number)
            if first != row.number:
                reasons.append(
                    f"duplicate: row {first} already gives {kpi.code} for "
                    f"{periods.label(period_start, kpi.frequency)}"
                )
        if reasons:
            return None
        commentary = spreadsheets.long_text(row["commentary"])
        return _Good(row.number, kpi, period_start, value, commentary)

    def _kpi(self, row: Row, reasons: list[str]) -> KPI | None:
        code = spreadsheets.text(row["code"])
        if not code:
            reasons.append("KPI code is missing")
            return None
        kpi = self.by_code.get(code) or self.folded.get(code.casefold())
        if kpi is None:
            reasons.append(
                f"unknown KPI code “{spreadsheets.shown(code)}”: this plan has no such KPI"
            )
        return kpi


# --- writing ---------------------------------------------------------------------------------


def import_measurements(plan, table: Table, *, by, today: dt.date | None = None) -> ImportResult:
    """Check every row, then (only if all are good) upsert them in one transaction."""
    check = _RowCheck(
        list(KPI.objects.filter(plan=plan)),
        today=today or timezone.localdate(),
        years=periods.plan_years(plan.start_year, plan.end_year),
        calendar=reporting_window.for_plan(plan),
    )
    with_commentary = "commentary" in table.columns

    def write(good: list[_Good], result: ImportResult) -> None:
        _upsert(good, result, with_commentary=with_commentary, by=by)

    return spreadsheets.import_rows(table, check=check, write=write)


def _upsert(good: list[_Good], result: ImportResult, *, with_commentary: bool, by) -> None:
    if not good:
        return
    starts = [g.period_start for g in good]
    existing = {
        (m.kpi_id, m.period_start): m
        for m in Measurement.objects.select_for_update().filter(
            kpi__in={g.kpi.pk for g in good},
            period_start__gte=min(starts),
            period_start__lte=max(starts),
        )
    }
    new, changed = [], []
    now = timezone.now()
    for g in good:
        current = existing.get((g.kpi.pk, g.period_start))
        if current is None:
            new.append(
                Measurement(
                    kpi=g.kpi,
                    period_start=g.period_start,
                    value=g.value,
                    commentary=g.commentary,
                    created_by=by,
                )
            )
            continue
        same_commentary = not with_commentary or current.commentary == g.commentary
        if current.value == g.value and same_commentary:
            result.unchanged += 1
            continue
        current.value = g.value
        if with_commentary:
            current.commentary = g.commentary
        current.synthetic = False
        current.version += 1
        current.updated_at = now
        changed.append(current)
    if new:
        bulk_create_with_history(new, Measurement, default_user=by)
    if changed:
        bulk_update_with_history(
            changed,
            Measurement,
            ["value", "commentary", "synthetic", "version", "updated_at"],
            default_user=by,
        )
    result.created, result.updated = len(new), len(changed)
