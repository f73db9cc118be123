"""Import a year's budget lines or monthly actuals from CSV or Excel (.xlsx).

Every row is checked first and every bad row is reported by its number in the file (the header
is row 1) with the reason. Only when every row is good is anything written, in one transaction,
under the year's lock, raising its version so that a form opened before the import is refused.

The file is read, checked and written by the shared pipeline (planning.spreadsheets); this
module says what the columns are, how a row is checked and how good rows are written.

Rows are matched to what is already there, so importing the same file twice changes nothing:

- budget lines: an income line is (partner, service line), an expenditure line (manager,
  description); a line already there gets the file's amount, a new one is added. Lines that are
  not in the file are left alone (an import never deletes).
- actuals: (line, month); the file's amount replaces the month's actual, or is added.

Columns (any order, any case; the first sheet of a workbook):
    type         income or expenditure
    partner      income: the name as shown in the budget, or the partner's name
    service line income: one of the plan's service lines
    manager      expenditure: the responsible manager
    description  expenditure: the budget line
    amount       pounds, like 1,234,567 or 1234.50; never negative; commas only between thousands
    month        actuals only: 2006-09, 2006-09-01, 01/09/2006, Sep 2006 or a date cell
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from budgets import monitoring, services
from budgets.forms import ImportKind
from budgets.models import MONEY, ExpenditureLine, IncomeLine, MonthlyActual, ServiceLine
from budgets.selectors import actuals_of, clients_of, expenditure_lines, income_lines
from planning import fy, lifecycle, spreadsheets
from planning.spreadsheets import (
    Column,
    ImportFileError,
    ImportResult,
    Layout,
    Row,
    RowError,
    neutralise,
)
from planning.spreadsheets import text as _text

__all__ = ["ImportFileError", "ImportResult", "Lookup", "RowError", "import_file", "template_csv"]

MONEY_BELOW = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"])


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# manager and description are stored as written: the database's lengths are checked per cell
# (a longer one was a DataError on PostgreSQL). Partners and service lines must name what is
# already there, so they are never stored from the file.
_LINE_COLUMNS = (
    Column("type", "type", aliases=("kind",)),
    Column("partner", "partner", aliases=("funder", "client")),
    Column("service_line", "service line", aliases=("serviceline",)),
    Column(
        "manager",
        "manager",
        aliases=("responsible manager",),
        max_length=_max_length(ExpenditureLine, "manager"),
    ),
    Column(
        "description",
        "description",
        aliases=("budget line",),
        max_length=_max_length(ExpenditureLine, "description"),
    ),
)
_AMOUNT = Column("amount", "amount")
# The columns in the template's order, which imports back unchanged.
LAYOUTS = {
    ImportKind.LINES: Layout((*_LINE_COLUMNS, _AMOUNT), split_number="an amount"),
    ImportKind.ACTUALS: Layout(
        (*_LINE_COLUMNS, Column("month", "month"), _AMOUNT), split_number="an amount"
    ),
}


def _fold(value) -> str:
    return _text(value).casefold()


def _parse_amount(cell) -> Decimal:
    return spreadsheets.parse_money(cell, below=MONEY_BELOW)


# ---------------------------------------------------------------------------------------------
# Checking the rows
# ---------------------------------------------------------------------------------------------


class Lookup:
    """What rows may name: the plan's service lines, partners and the year's lines."""

    def __init__(self, plan, financial_year: int):
        self.plan = plan
        self.financial_year = financial_year
        self.service_lines = {
            _fold(s.name): s for s in ServiceLine.objects.filter(plan=plan).order_by("order")
        }
        self.clients = [r.client for r in clients_of(plan.organisation)]
        self.income = {
            (_fold(line.funder_label), line.service_line_id): line
            for line in IncomeLine.objects.filter(plan=plan, financial_year=financial_year)
        }
        self.expenditure = {
            (_fold(line.manager), _fold(line.description)): line
            for line in ExpenditureLine.objects.filter(plan=plan, financial_year=financial_year)
        }
        # Names already used in the plan's budget, any year: name -> (label, funder id).
        self.labels: dict[str, tuple[str, int | None]] = {}
        for label, funder_id in (
            IncomeLine.objects.filter(plan=plan)
            .order_by("-financial_year")
            .values_list("funder_label", "funder_id")
        ):
            self.labels.setdefault(_fold(label), (label, funder_id))

    def partner(self, value) -> tuple[str, object | None]:
        """(the name as the budget shows it, the organisation or None). KeyError if unknown."""
        folded = _fold(value)
        if folded in self.labels:
            label, funder_id = self.labels[folded]
            funder = next((c for c in self.clients if c.pk == funder_id), None)
            return label, funder
        for client in self.clients:
            if folded in {_fold(client.name), _fold(client.short_name), _fold(client.slug)} - {""}:
                used = next((lbl for lbl, fid in self.labels.values() if fid == client.pk), None)
                return used or client.short_name or client.name, client
        raise KeyError(value)


@dataclass
class _Record:
    """A good row, ready to write."""

    row: int
    type: str  # income or expenditure
    amount: Decimal | None = None
    label: str = ""  # income: the partner as the budget shows it
    funder: object | None = None  # income: the partner organisation, if it is one
    service_line: ServiceLine | None = None
    manager: str = ""
    description: str = ""
    month: dt.date | None = None  # actuals
    line: IncomeLine | ExpenditureLine | None = None  # actuals: the line the month is for


class _RowCheck:
    """One row checked against the plan (through the Lookup); remembers the lines (and months)
    seen, to find duplicates."""

    def __init__(self, kind: str, lookup: Lookup):
        self.kind = kind
        self.lookup = lookup
        self.year_label = fy.fy_label(lookup.financial_year)
        self.seen: dict[tuple, int] = {}

    def __call__(self, row: Row, reasons: list[str]) -> _Record:
        record = _Record(row=row.number, type=_fold(row["type"]))
        key = self._line(row, record, reasons)
        record.amount = spreadsheets.check_cell(
            row, "amount", _parse_amount, reasons, title="amount"
        )
        if self.kind == ImportKind.ACTUALS:
            key = self._month(row, record, key, reasons)
        if key is not None and not reasons:
            first = self.seen.setdefault(key, row.number)
            if first != row.number:
                reasons.append(f"duplicates row {first}: a line may appear only once")
        return record

    def _line(self, row: Row, record: _Record, reasons: list[str]) -> tuple | None:
        """The budget line the row names, as a key; None if it names none."""
        if record.type == "income":
            return self._income(row, record, reasons)
        if record.type == "expenditure":
            return self._expenditure(row, record, reasons)
        reasons.append(
            f"type “{spreadsheets.shown(_text(row['type']))}” is not income or expenditure"
            if record.type
            else "type is missing: write income or expenditure"
        )
        return None

    def _income(self, row: Row, record: _Record, reasons: list[str]) -> tuple | None:
        partner, line_name = _text(row["partner"]), _text(row["service_line"])
        if not partner:
            reasons.append("partner is missing")
        else:
            try:
                record.label, record.funder = self.lookup.partner(partner)
            except KeyError:
                reasons.append(
                    f"unknown partner “{spreadsheets.shown(partner)}”: not a partner or client of "
                    f"{self.lookup.plan.organisation.display_name}, nor a name already in this "
                    "budget"
                )
        if not line_name:
            reasons.append("service line is missing")
        else:
            record.service_line = self.lookup.service_lines.get(_fold(line_name))
            if record.service_line is None:
                reasons.append(
                    f"unknown service line “{spreadsheets.shown(line_name)}”: this plan's are "
                    + ", ".join(s.name for s in self.lookup.service_lines.values())
                )
        if record.label and record.service_line:
            return ("income", _fold(record.label), record.service_line.pk)
        return None

    def _expenditure(self, row: Row, record: _Record, reasons: list[str]) -> tuple | None:
        record.manager, record.description = _text(row["manager"]), _text(row["description"])
        if not record.manager:
            reasons.append("manager is missing")
        if not record.description:
            reasons.append("description is missing")
        if record.manager and record.description:
            return ("expenditure", _fold(record.manager), _fold(record.description))
        return None

    def _month(self, row: Row, record: _Record, key: tuple | None, reasons: list[str]):
        """Actuals: the month, in the year, of a line already in the budget; the key with it."""
        month = spreadsheets.check_cell(
            row, "month", spreadsheets.parse_month, reasons, title="month"
        )
        if month is None:
            return key
        year = self.lookup.financial_year
        if not monitoring.in_financial_year(month, year):
            reasons.append(
                f"month {month:%B %Y} is outside {self.year_label} "
                f"(April {year} to March {year + 1})"
            )
            return key
        record.month = month
        if key is None:
            return None
        record.line = self._existing_line(record, reasons)
        return (*key, month)

    def _existing_line(self, record: _Record, reasons: list[str]):
        if record.type == "income":
            line = self.lookup.income.get((_fold(record.label), record.service_line.pk))
            what = f"{record.label}, {record.service_line.name}"
        else:
            line = self.lookup.expenditure.get((_fold(record.manager), _fold(record.description)))
            what = f"{record.manager}, {record.description}"
        if line is None:
            reasons.append(
                f"there is no {record.type} line “{what}” in {self.year_label}: "
                "add it to the budget first"
            )
        return line


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def import_file(*, plan, financial_year: int, kind: str, upload, by) -> ImportResult:
    """Check every row, then write all of them or none. Raises ImportFileError for a file that
    cannot be read at all, or lines for a plan whose content is locked (ratified): actuals are
    delivery, and carry on."""
    if kind == ImportKind.LINES and not lifecycle.is_editable(plan):
        try:
            lifecycle.require_editable(plan)
        except ValidationError as error:
            raise ImportFileError(error.messages[0]) from error
    table = spreadsheets.read_upload(upload, LAYOUTS[kind])
    check = _RowCheck(kind, Lookup(plan, financial_year))

    def write(records: list[_Record], result: ImportResult) -> None:
        year = services.lock_year(plan, financial_year)
        if kind == ImportKind.LINES:
            _write_lines(plan, financial_year, records, result, by)
            if result.changed:
                year.version += 1
                year.save(update_fields=["version"])
        else:
            _write_actuals(financial_year, records, result, by)
            if result.changed:
                year.actuals_version += 1
                year.save(update_fields=["actuals_version"])

    return spreadsheets.import_rows(table, check=check, write=write)


def _write_lines(
    plan, financial_year: int, records: list[_Record], result: ImportResult, by
) -> None:
    # Re-read under the lock: the lines as they are now, not as they were when checked.
    lookup = Lookup(plan, financial_year)
    assigned: dict[str, int] = {}
    for record in records:
        if record.type == "income":
            line = lookup.income.get((_fold(record.label), record.service_line.pk))
            if line is None:
                line = IncomeLine(
                    plan=plan,
                    financial_year=financial_year,
                    funder=record.funder,
                    funder_label=record.label,
                    service_line=record.service_line,
                    amount=record.amount,
                    funder_order=services.next_funder_order(
                        plan, financial_year, record.label, assigned
                    ),
                )
                result.created += 1
            elif line.amount == record.amount:
                result.unchanged += 1
                continue
            else:
                line.amount = record.amount
                result.updated += 1
        else:
            line = lookup.expenditure.get((_fold(record.manager), _fold(record.description)))
            if line is None:
                line = ExpenditureLine(
                    plan=plan,
                    financial_year=financial_year,
                    manager=record.manager,
                    description=record.description,
                    amount=record.amount,
                    order=services.next_expenditure_order(plan, financial_year),
                )
                result.created += 1
            elif line.amount == record.amount:
                result.unchanged += 1
                continue
            else:
                line.amount = record.amount
                result.updated += 1
        line._history_user = by
        line.save()


def _write_actuals(financial_year: int, records: list[_Record], result: ImportResult, by) -> None:
    income_ids = [r.line.pk for r in records if r.type == "income"]
    expenditure_ids = [r.line.pk for r in records if r.type == "expenditure"]
    existing = {}
    for actual in MonthlyActual.objects.filter(
        financial_year=financial_year, income_line_id__in=income_ids
    ):
        existing[("income", actual.income_line_id, actual.month)] = actual
    for actual in MonthlyActual.objects.filter(
        financial_year=financial_year, expenditure_line_id__in=expenditure_ids
    ):
        existing[("expenditure", actual.expenditure_line_id, actual.month)] = actual
    for record in records:
        line, month = record.line, record.month
        current = existing.get((record.type, line.pk, month))
        if current is not None and current.amount == record.amount:
            result.unchanged += 1
            continue
        services.apply_actual(line, month, record.amount, current, by)
        if current is None:
            result.created += 1
        else:
            result.updated += 1


# ---------------------------------------------------------------------------------------------
# The template: the year's lines (or actuals) in the import layout
# ---------------------------------------------------------------------------------------------


def template_csv(plan, financial_year: int, kind: str) -> str:
    """The year's lines (budget lines) or actuals in the import layout: import it back and
    nothing changes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.title for column in LAYOUTS[kind].columns])
    incomes = list(income_lines(plan, financial_year))
    expenditures = list(expenditure_lines(plan, financial_year))

    def amount(value) -> str:
        return f"{value:f}"

    if kind == ImportKind.LINES:
        for line in incomes:
            writer.writerow(
                [
                    "income",
                    neutralise(line.funder_label),
                    neutralise(line.service_line.name),
                    "",
                    "",
                    amount(line.amount),
                ]
            )
        for line in expenditures:
            writer.writerow(
                [
                    "expenditure",
                    "",
                    "",
                    neutralise(line.manager),
                    neutralise(line.description),
                    amount(line.amount),
                ]
            )
        return out.getvalue()
    by_income = {line.pk: line for line in incomes}
    by_expenditure = {line.pk: line for line in expenditures}
    for actual in actuals_of(plan, financial_year).order_by("month", "pk"):
        month = monitoring.month_key(actual.month)
        if actual.income_line_id:
            line = by_income[actual.income_line_id]
            writer.writerow(
                [
                    "income",
                    neutralise(line.funder_label),
                    neutralise(line.service_line.name),
                    "",
                    "",
                    month,
                    amount(actual.amount),
                ]
            )
        else:
            line = by_expenditure[actual.expenditure_line_id]
            writer.writerow(
                [
                    "expenditure",
                    "",
                    "",
                    neutralise(line.manager),
                    neutralise(line.description),
                    month,
                    amount(actual.amount),
                ]
            )
    return out.getvalue()
