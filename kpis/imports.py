"""Bulk import of measurements from a CSV file or an Excel workbook (.xlsx).

The file's first row names the columns (in any order, any case): ``kpi code`` (or ``code``),
``period``, ``value`` and, optionally, ``commentary``. Other columns are ignored. Each further
row is one measurement:

* ``kpi code``: the KPI's code in this plan, e.g. ``L2`` (case does not matter);
* ``period``: ``2006-04`` for a month, ``2006-Q1`` for a financial-year quarter (Q1 is April to
  June 2006, the first quarter of 2006/07) or ``2006/07`` for a financial year; it must be the
  kind of period the KPI is measured over (its frequency) and must have started;
* ``value``: a number (thousands separators allowed, at most 4 decimal places);
* ``commentary``: free text. When the column is present it replaces the commentary of an
  existing measurement (an empty cell clears it); when it is absent commentary is untouched.

All or nothing: every row is checked first and every bad row is reported with its row number
(the spreadsheet's: the header is row 1) and all its problems; if any row is bad nothing is
imported. Otherwise the rows are written in one transaction as an upsert on (KPI, period): a new
period is created, a different value or commentary updates the measurement (its version goes
up, its history records who), and the same value and commentary change nothing, so importing
the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kpis import periods
from kpis.models import KPI, Measurement
from planning import tabular

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
MAX_PLACES = 4
MAX_VALUE = Decimal("10") ** 10  # Measurement.value: 14 digits, 4 after the point

COLUMN_NAMES = {
    "kpi code": "code",
    "code": "code",
    "kpi": "code",
    "period": "period",
    "value": "value",
    "commentary": "commentary",
    "comment": "commentary",
    "comments": "commentary",
}
REQUIRED = ("code", "period", "value")


# The file as a whole cannot be read: wrong type, unreadable, no header, too big.
ImportFileError = tabular.TabularFileError


@dataclass(frozen=True)
class RawRow:
    number: int  # the row number in the spreadsheet (the header is row 1)
    code: object
    period: object
    value: object
    commentary: object = None


@dataclass(frozen=True)
class RowError:
    row: int
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class ParsedFile:
    rows: list[RawRow]
    has_commentary: bool


# --- reading the file ------------------------------------------------------------------------


def read_file(name: str, content: bytes) -> ParsedFile:
    """The rows of a .csv or .xlsx file, with their spreadsheet row numbers."""
    if len(content) > MAX_BYTES:
        raise ImportFileError("The file is larger than 5 MB: split it into smaller files.")
    lower = name.lower()
    if lower.endswith(".csv"):
        table = tabular.csv_rows(content)
    elif lower.endswith(".xlsx"):
        table = tabular.xlsx_rows(content, limit=MAX_ROWS + 2)
    else:
        raise ImportFileError("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")
    return _from_table(table)


def _header_key(cell: object) -> str:
    text = str(cell or "").strip().lower().replace("_", " ").replace("-", " ")
    return " ".join(text.split())


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _from_table(table: list[list[object]]) -> ParsedFile:
    if not table or all(_blank(c) for c in table[0]):
        raise ImportFileError(
            "The first row must name the columns: kpi code, period, value and (optionally) "
            "commentary."
        )
    columns: dict[str, int] = {}
    for index, cell in enumerate(table[0]):
        name = COLUMN_NAMES.get(_header_key(cell))
        if name and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        words = {"code": "kpi code", "period": "period", "value": "value"}
        raise ImportFileError(
            "The first row must name the columns kpi code, period and value: "
            f"{', '.join(words[m] for m in missing)} {'is' if len(missing) == 1 else 'are'} "
            "missing."
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows: split it.")

    def cell(row: list[object], name: str) -> object:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else None

    rows = []
    for number, row in enumerate(table[1:], start=2):
        if all(_blank(c) for c in row):
            continue
        rows.append(
            RawRow(
                number=number,
                code=cell(row, "code"),
                period=cell(row, "period"),
                value=cell(row, "value"),
                commentary=cell(row, "commentary"),
            )
        )
    return ParsedFile(rows=rows, has_commentary="commentary" in columns)


# --- checking each row -----------------------------------------------------------------------


def _shown(cell: object) -> str:
    text = str(cell).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def parse_value(cell: object) -> Decimal:
    """A cell as a Decimal value, or ValueError with the reason."""
    if _blank(cell):
        raise ValueError("value is missing")
    if isinstance(cell, bool | dt.date | dt.datetime | dt.time):
        raise ValueError(f"value “{_shown(cell)}” is not a number")
    if isinstance(cell, Decimal | int):
        value = Decimal(cell)
    elif isinstance(cell, float):
        value = Decimal(repr(cell))  # the shortest decimal that reads back as this float
    else:
        text = str(cell).strip().replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"value “{_shown(cell)}” is not a number") from None
    if not value.is_finite():
        raise ValueError(f"value “{_shown(cell)}” is not a number")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_PLACES:
        raise ValueError(f"value “{_shown(cell)}” has more than {MAX_PLACES} decimal places")
    if abs(value) >= MAX_VALUE:
        raise ValueError(f"value “{_shown(cell)}” is too large")
    return value


def parse_period(cell: object, kpi: KPI | None) -> dt.date:
    """A cell as a period start for the KPI's frequency, or ValueError with the reason."""
    if _blank(cell):
        raise ValueError("period is missing")
    if isinstance(cell, dt.datetime | dt.date):
        # Excel turns a typed "2006-04" into the date 1 April 2006: read it as that month.
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        if day.day != 1:
            raise ValueError(
                f"period {day.isoformat()} is a date: write a month such as 2006-04, a quarter "
                "such as 2006-Q1 or a financial year such as 2006/07"
            )
        text = f"{day.year}-{day.month:02d}"
    elif isinstance(cell, bool | float):
        raise ValueError(f"period “{_shown(cell)}” is not a month, quarter or financial year")
    else:
        text = str(cell)
    try:
        if kpi is None:
            return periods.parse(text)[1]
        return periods.parse_for(text, kpi.frequency)
    except periods.PeriodError as error:
        raise ValueError(f"period {error}") from None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class _Good:
    row: int
    kpi: KPI
    period_start: dt.date
    value: Decimal
    commentary: str


def check_rows(
    rows: list[RawRow], kpis: list[KPI], *, today: dt.date
) -> tuple[list[_Good], list[RowError]]:
    """Every row checked against the plan's KPIs: the good rows and every problem."""
    by_code = {k.code: k for k in kpis}
    folded: dict[str, KPI | None] = {}
    for k in kpis:
        # Case does not matter, unless two codes differ only by case.
        folded[k.code.casefold()] = None if k.code.casefold() in folded else k
    good: list[_Good] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, dt.date], int] = {}
    for raw in rows:
        reasons: list[str] = []
        kpi = None
        code = "" if _blank(raw.code) else str(raw.code).strip()
        if not code:
            reasons.append("KPI code is missing")
        else:
            kpi = by_code.get(code) or folded.get(code.casefold())
            if kpi is None:
                reasons.append(f"unknown KPI code “{_shown(code)}”: this plan has no such KPI")
        period_start = value = None
        try:
            period_start = parse_period(raw.period, kpi)
        except ValueError as error:
            reasons.append(str(error))
        if period_start is not None and period_start > today:
            reasons.append(f"period “{_shown(raw.period)}” has not started yet")
        try:
            value = parse_value(raw.value)
        except ValueError as error:
            reasons.append(str(error))
        if kpi is not None and period_start is not None:
            key = (kpi.pk, period_start)
            if key in seen:
                reasons.append(
                    f"duplicate: row {seen[key]} already gives {kpi.code} for "
                    f"{periods.label(period_start, kpi.frequency)}"
                )
            else:
                seen[key] = raw.number
        if reasons:
            errors.append(RowError(raw.number, tuple(_capital(r) for r in reasons)))
            continue
        commentary = "" if raw.commentary is None else str(raw.commentary).strip()
        good.append(_Good(raw.number, kpi, period_start, value, commentary))
    return good, errors


# --- writing ---------------------------------------------------------------------------------


def import_measurements(
    plan, parsed: ParsedFile, *, by, today: dt.date | None = None
) -> ImportResult:
    """Check every row, then (only if all are good) upsert them in one transaction."""
    today = today or timezone.localdate()
    with transaction.atomic():
        kpis = list(KPI.objects.filter(plan=plan))
        good, errors = check_rows(parsed.rows, kpis, today=today)
        if errors:
            return ImportResult(errors=errors)
        if not good:
            return ImportResult()
        starts = [g.period_start for g in good]
        existing = {
            (m.kpi_id, m.period_start): m
            for m in Measurement.objects.select_for_update().filter(
                kpi__in={g.kpi.pk for g in good},
                period_start__gte=min(starts),
                period_start__lte=max(starts),
            )
        }
        result = ImportResult()
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
            same_commentary = not parsed.has_commentary or current.commentary == g.commentary
            if current.value == g.value and same_commentary:
                result.unchanged += 1
                continue
            current.value = g.value
            if parsed.has_commentary:
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
        return result
