"""CSV and XLSX exports of the objectives table, safe to open in a spreadsheet.

Both carry the same columns. Dates are real dates and percentages real numbers, so a
spreadsheet sorts and sums them; only text goes through the formula guard (a date or a number
cannot start a formula). The XLSX adds what a person would otherwise tidy by hand: a title row
naming the plan and the filter, the header row under it frozen and filtered, and column widths.
The CSV has no title row: it is for other tools, which expect the header on the first line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from objectives.models import Objective
from planning.rag import RAG
from planning.spreadsheets import neutralise


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Objective], object]
    width: int  # in characters, as a spreadsheet measures a column
    number_format: str | None = None  # for dates and numbers
    wrap: bool = False


DATE_FORMAT = "d mmm yyyy"

COLUMNS = [
    Column("Plan", lambda o: str(o.plan), 28),
    Column("Reference", lambda o: o.reference, 11),
    Column("Objective or action", lambda o: o.text, 60, wrap=True),
    Column("Department / programme / goal", lambda o: o.grouping, 30, wrap=True),
    Column("Strategic priority", lambda o: str(o.strategic_priority or ""), 30, wrap=True),
    Column("SRO", lambda o: o.sro_text, 14),
    Column("Lead", lambda o: o.lead_text, 14),
    Column("Due (as written)", lambda o: o.due_text, 16),
    Column("Due date", lambda o: o.due_date, 13, DATE_FORMAT),
    Column("Measure / evidence", lambda o: o.measure, 40, wrap=True),
    Column("KPIs", lambda o: ", ".join(k.code for k in o.kpis.all()), 12),
    Column("New", lambda o: "Yes" if o.is_new else "", 6),
    Column("Status", lambda o: o.get_status_display(), 22),
    Column("RAG", lambda o: RAG.words(o.rag, complete=o.is_complete), 16),
    Column("% complete", lambda o: o.percent_complete, 11, "0"),
    Column(
        "Last update",
        lambda o: str(o.latest_update.period) if o.latest_update else "",
        22,
    ),
    Column(
        "Latest narrative",
        lambda o: o.latest_update.narrative if o.latest_update else "",
        60,
        wrap=True,
    ),
]
HEADER_ROW = 2  # the XLSX's header: under the title row
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(value):
    """Text guarded against formulas; dates and numbers kept as they are."""
    return neutralise(value) if isinstance(value, str) else value


def rows(objectives: Iterable[Objective]):
    """The header, then one row per item: dates as dates, numbers as numbers."""
    yield [column.title for column in COLUMNS]
    for objective in objectives:
        yield [_cell(column.value(objective)) for column in COLUMNS]


def to_csv(objectives: Iterable[Objective]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(objectives):
        # ISO dates: every tool reads them, in any locale.
        writer.writerow(v.isoformat() if isinstance(v, dt.date) else v for v in row)
    return buffer.getvalue()


def to_xlsx(objectives: Iterable[Objective], *, title: str = "Objectives and actions") -> bytes:
    # Write-only: rows stream to the file, so a big export costs little memory. Its settings
    # (widths, frozen pane, filter) must be made before the rows are written.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Objectives and actions")
    width = get_column_letter(len(COLUMNS))
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    # The header stays in view while scrolling, carries the filter buttons, repeats on print.
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    def styled(value, *, font=None, number_format=None, alignment=None):
        cell = WriteOnlyCell(sheet, value=value)
        if font:
            cell.font = font
        if number_format:
            cell.number_format = number_format
        if alignment:
            cell.alignment = alignment
        return cell

    # openpyxl turns any string starting with "=" into a formula: every text cell, the title
    # included, has been through the guard.
    sheet.append([styled(_cell(title), font=TITLE_FONT)])
    all_rows = rows(objectives)
    sheet.append([styled(heading, font=HEADER_FONT) for heading in next(all_rows)])
    last_row = HEADER_ROW
    for row in all_rows:
        last_row += 1
        sheet.append(
            [
                styled(value, number_format=column.number_format, alignment=WRAP)
                if column.number_format or column.wrap
                else value
                for column, value in zip(COLUMNS, row, strict=True)
            ]
        )
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{width}{last_row}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_title(plan, filters: list[tuple[str, str]]) -> str:
    """The title row: what was exported, from which plan, with which filters."""
    parts = ["Objectives and actions", str(plan) if plan else "All plans"]
    shown = [f"{label}: {value}" for label, value in filters if label != "Plan"]
    if shown:
        parts.append("; ".join(shown))
    return " – ".join(parts)


def export_filename(plan, filters: list[tuple[str, str]], extension: str) -> str:
    """E.g. ``ssp-business-plan-2006-07-objectives-red.xlsx``: the plan and the filter's values,
    so two exports of different filters do not overwrite each other in a downloads folder."""
    words = [plan.slug if plan else "all-plans", "objectives"]
    words += [value for label, value in filters if label != "Plan"]
    stem = slugify("-".join(words))[:120].strip("-")
    return f"{stem}.{extension}"
