"""Import a year's budget lines or monthly actuals from CSV or Excel (.xlsx).

Every row is checked first and every bad row is reported by its number in the file (the header
is row 1) with the reason. Only when every row is good is anything written, in one transaction,
under the year's lock, raising its version so that a form opened before the import is refused.

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
    amount       pounds, like 1,234,567 or 1234.50; never negative
    month        actuals only: 2006-09, 2006-09-01, 01/09/2006, Sep 2006 or a date cell
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction

from budgets import monitoring, services
from budgets.forms import ImportKind, parse_money
from budgets.models import ExpenditureLine, IncomeLine, MonthlyActual, ServiceLine
from planning import fy, tabular

MAX_ROWS = 10_000
EXTRA_CELLS = "__extra_cells__"
HEADERS = {
    "type": "type",
    "kind": "type",
    "partner": "partner",
    "funder": "partner",
    "client": "partner",
    "service line": "service_line",
    "serviceline": "service_line",
    "manager": "manager",
    "responsible manager": "manager",
    "description": "description",
    "budget line": "description",
    "amount": "amount",
    "month": "month",
}
REQUIRED = {
    ImportKind.LINES: ["type", "partner", "service_line", "manager", "description", "amount"],
    ImportKind.ACTUALS: [
        "type",
        "partner",
        "service_line",
        "manager",
        "description",
        "month",
        "amount",
    ],
}
COLUMN_TITLES = {
    "type": "type",
    "partner": "partner",
    "service_line": "service line",
    "manager": "manager",
    "description": "description",
    "month": "month",
    "amount": "amount",
}


ImportFileError = tabular.TabularFileError


@dataclass
class RowError:
    row: int
    problems: list[str]


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return self.created + self.updated


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------


def _normalise_header(value) -> str:
    text = " ".join(str(value or "").replace("_", " ").split()).casefold()
    return HEADERS.get(text, text)


def _strip_formula_guard(value):
    """Our own CSV template guards cells against formulas with a leading apostrophe."""
    if isinstance(value, str) and value[:2] in {"'=", "'+", "'-", "'@"}:
        return value[1:]
    return value


def read_rows(upload) -> list[tuple[int, dict]]:
    """(row number, {column: value}) for every non-blank row after the header."""
    name = (upload.name or "").lower()
    raw = upload.read()
    table = tabular.xlsx_rows(raw) if name.endswith(".xlsx") else tabular.csv_rows(raw)
    if not table:
        raise ImportFileError("The file is empty")
    header = [_normalise_header(h) for h in table[0]]
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {header[i]: _strip_formula_guard(v) for i, v in enumerate(values) if i < len(header)}
        extra = [v for v in values[len(header) :] if v is not None and str(v).strip()]
        if extra:
            row[EXTRA_CELLS] = len(header) + len(extra)
        rows.append((number, row))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows: split it up")
    return [("header", header), *rows]


# ---------------------------------------------------------------------------------------------
# Checking the rows
# ---------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _fold(value) -> str:
    return _text(value).casefold()


MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%d/%m/%Y", "%b %Y", "%B %Y", "%m/%Y"]


def parse_month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = _text(value)
    for pattern in MONTH_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date().replace(day=1)  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a month: write it like 2006-09")


class Lookup:
    """What rows may name: the plan's service lines, partners and the year's lines."""

    def __init__(self, plan, financial_year: int):
        from budgets.selectors import clients_of

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


def _partner_list(lookup: Lookup) -> str:
    return lookup.plan.organisation.display_name


def check_rows(rows, kind: str, lookup: Lookup) -> tuple[list[dict], list[RowError]]:
    """Every row checked; the good ones ready to write (all of them, if there are no errors)."""
    header = rows[0][1]
    body = rows[1:]
    missing = [COLUMN_TITLES[c] for c in REQUIRED[kind] if c not in header]
    if missing:
        raise ImportFileError(
            "The file has no column for: " + ", ".join(missing) + ". Use the template's headings."
        )
    year_label = fy.fy_label(lookup.financial_year)
    good, errors = [], []
    seen: dict[tuple, int] = {}
    for number, row in body:
        problems: list[str] = []
        record: dict = {"row": number}
        if EXTRA_CELLS in row:
            problems.append(
                f"the row has {row[EXTRA_CELLS]} cells but there are {len(header)} headings: "
                'in a CSV file, put an amount written with commas in quotes, like "1,234"'
            )
        line_type = _fold(row.get("type"))
        if line_type not in {"income", "expenditure"}:
            problems.append(
                f"type “{_text(row.get('type'))}” is not income or expenditure"
                if line_type
                else "type is missing: write income or expenditure"
            )
        record["type"] = line_type
        key = None
        if line_type == "income":
            partner_text, line_text = _text(row.get("partner")), _text(row.get("service_line"))
            label = funder = service_line = None
            if not partner_text:
                problems.append("partner is missing")
            else:
                try:
                    label, funder = lookup.partner(partner_text)
                except KeyError:
                    problems.append(
                        f"unknown partner “{partner_text}”: not a partner or client of "
                        f"{_partner_list(lookup)}, nor a name already in this budget"
                    )
            if not line_text:
                problems.append("service line is missing")
            else:
                service_line = lookup.service_lines.get(_fold(line_text))
                if service_line is None:
                    problems.append(
                        f"unknown service line “{line_text}”: this plan's are "
                        + ", ".join(s.name for s in lookup.service_lines.values())
                    )
            if label and service_line:
                key = ("income", _fold(label), service_line.pk)
                record.update(label=label, funder=funder, service_line=service_line)
        elif line_type == "expenditure":
            manager, description = _text(row.get("manager")), _text(row.get("description"))
            if not manager:
                problems.append("manager is missing")
            if not description:
                problems.append("description is missing")
            if manager and description:
                key = ("expenditure", _fold(manager), _fold(description))
                record.update(manager=manager, description=description)
        try:
            record["amount"] = parse_money(row.get("amount"))
        except ValueError as exc:
            message = str(exc)
            problems.append("amount is missing" if message == "no amount" else f"amount {message}")
        if kind == ImportKind.ACTUALS:
            try:
                month = parse_month(row.get("month"))
            except ValueError as exc:
                problems.append(f"month {exc}" if _text(row.get("month")) else "month is missing")
            else:
                if not monitoring.in_financial_year(month, lookup.financial_year):
                    problems.append(
                        f"month {month:%B %Y} is outside {year_label} "
                        f"(April {lookup.financial_year} to March {lookup.financial_year + 1})"
                    )
                else:
                    record["month"] = month
                    if key is not None:
                        key = (*key, month)
            if key is not None and "month" in record:
                line = (
                    lookup.income.get(key[1:3])
                    if line_type == "income"
                    else lookup.expenditure.get(key[1:3])
                )
                if line is None:
                    what = (
                        f"{record.get('label')}, {record['service_line'].name}"
                        if line_type == "income"
                        else f"{record['manager']}, {record['description']}"
                    )
                    problems.append(
                        f"there is no {line_type} line “{what}” in {year_label}: "
                        "add it to the budget first"
                    )
                record["line"] = line
        if key is not None and not problems:
            if key in seen:
                problems.append(f"duplicates row {seen[key]}: a line may appear only once")
            else:
                seen[key] = number
        if problems:
            errors.append(RowError(number, problems))
        else:
            good.append(record)
    return good, errors


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def import_file(*, plan, financial_year: int, kind: str, upload, by) -> ImportResult:
    """Check every row, then write all of them or none. Raises ImportFileError for a file that
    cannot be read at all."""
    rows = read_rows(upload)
    lookup = Lookup(plan, financial_year)
    good, errors = check_rows(rows, kind, lookup)
    result = ImportResult(errors=errors, rows=len(rows) - 1)
    if errors:
        return result
    if not good:
        raise ImportFileError("The file has a heading row but no rows to import")
    with transaction.atomic():
        year = services.lock_year(plan, financial_year)
        if kind == ImportKind.LINES:
            _write_lines(plan, financial_year, good, result, by)
            if result.changed:
                year.version += 1
                year.save(update_fields=["version"])
        else:
            _write_actuals(financial_year, good, result, by)
            if result.changed:
                year.actuals_version += 1
                year.save(update_fields=["actuals_version"])
    return result


def _write_lines(plan, financial_year, records, result: ImportResult, by) -> None:
    # Re-read under the lock: the lines as they are now, not as they were when checked.
    lookup = Lookup(plan, financial_year)
    assigned: dict[str, int] = {}
    for record in records:
        if record["type"] == "income":
            line = lookup.income.get((_fold(record["label"]), record["service_line"].pk))
            if line is None:
                line = IncomeLine(
                    plan=plan,
                    financial_year=financial_year,
                    funder=record["funder"],
                    funder_label=record["label"],
                    service_line=record["service_line"],
                    amount=record["amount"],
                    funder_order=services.next_funder_order(
                        plan, financial_year, record["label"], assigned
                    ),
                )
                result.created += 1
            elif line.amount == record["amount"]:
                result.unchanged += 1
                continue
            else:
                line.amount = record["amount"]
                result.updated += 1
        else:
            line = lookup.expenditure.get((_fold(record["manager"]), _fold(record["description"])))
            if line is None:
                line = ExpenditureLine(
                    plan=plan,
                    financial_year=financial_year,
                    manager=record["manager"],
                    description=record["description"],
                    amount=record["amount"],
                    order=services.next_expenditure_order(plan, financial_year),
                )
                result.created += 1
            elif line.amount == record["amount"]:
                result.unchanged += 1
                continue
            else:
                line.amount = record["amount"]
                result.updated += 1
        line._history_user = by
        line.save()


def _write_actuals(financial_year, records, result: ImportResult, by) -> None:
    income_ids = [r["line"].pk for r in records if r["type"] == "income"]
    expenditure_ids = [r["line"].pk for r in records if r["type"] == "expenditure"]
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
        line, month = record["line"], record["month"]
        current = existing.get((record["type"], line.pk, month))
        if current is not None and current.amount == record["amount"]:
            result.unchanged += 1
            continue
        services.apply_actual(line, month, record["amount"], current, by)
        if current is None:
            result.created += 1
        else:
            result.updated += 1


# ---------------------------------------------------------------------------------------------
# The template: the year's lines (or actuals) in the import layout
# ---------------------------------------------------------------------------------------------

TEMPLATE_HEADERS = {
    ImportKind.LINES: ["type", "partner", "service line", "manager", "description", "amount"],
    ImportKind.ACTUALS: [
        "type",
        "partner",
        "service line",
        "manager",
        "description",
        "month",
        "amount",
    ],
}


def _safe(value: str) -> str:
    """A cell that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value


def template_csv(plan, financial_year: int, kind: str) -> str:
    """The year's lines (budget lines) or actuals in the import layout: import it back and
    nothing changes."""
    from budgets.selectors import actuals_of, expenditure_lines, income_lines

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADERS[kind])
    incomes = list(income_lines(plan, financial_year))
    expenditures = list(expenditure_lines(plan, financial_year))

    def amount(value) -> str:
        return f"{value:f}"

    if kind == ImportKind.LINES:
        for line in incomes:
            writer.writerow(
                [
                    "income",
                    _safe(line.funder_label),
                    _safe(line.service_line.name),
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
                    _safe(line.manager),
                    _safe(line.description),
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
                    _safe(line.funder_label),
                    _safe(line.service_line.name),
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
                    _safe(line.manager),
                    _safe(line.description),
                    month,
                    amount(actual.amount),
                ]
            )
    return out.getvalue()
