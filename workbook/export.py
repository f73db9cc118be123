"""A plan as one workbook: an About sheet explaining every column of every sheet, then a sheet
per record kind (workbook.sheets' registry), with Excel data validation on every list. Without
a plan, the blank template: the same sheets, headings, notes and lists, and no rows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from planning.models import Plan
from planning.spreadsheets.files import WORKBOOK_LIMITS
from planning.spreadsheets.guard import neutralise
from workbook.sheets import YES_NO, Col, SheetSpec, Type, registered

ABOUT = "About"
LISTS = "Lists"  # hidden: the lists the data validation offers
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Data validation covers every row an import may read.
LAST_ROW = WORKBOOK_LIMITS.rows + 1
BOLD = Font(bold=True)
ABOUT_HEADINGS = ("Sheet", "Column", "Required", "Type", "Allowed values", "What it holds")


def plan_workbook(plan: Plan | None) -> bytes:
    """The plan's workbook (the blank template for None), as the bytes of an .xlsx file.

    Written in openpyxl's write-only mode: rows go straight to the file, so neither time nor
    memory grows with anything but the rows themselves."""
    book = Workbook(write_only=True)
    _write_about(book.create_sheet(ABOUT))
    list_ranges = _list_ranges()
    for spec in registered():
        _write_sheet(book.create_sheet(spec.name), spec, plan, list_ranges)
    lists = book.create_sheet(LISTS)
    _write_lists(lists)
    lists.sheet_state = "hidden"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def filename(plan: Plan | None) -> str:
    return f"{plan.slug}.xlsx" if plan else "plan-workbook-template.xlsx"


def _about_rows():
    yield (
        ABOUT,
        "",
        "",
        "",
        "",
        "A Waymark plan workbook: one sheet per kind of record. Rows refer to each other by "
        "the plan's own references (objective references, SP numbers, KPI codes, department "
        "names, role abbreviations, risk references, framework names and competency numbers, "
        "delivery item references and governance body names), "
        "never by database ids. Importing it makes a new draft "
        "plan; nothing is saved unless every sheet is correct. Do not rename the sheets or "
        "their headings; columns may be in any order, and other sheets and columns are ignored.",
    )
    for spec in registered():
        yield (spec.name, "", "", "", "", spec.about)
        for col in spec.columns:
            yield (
                spec.name,
                col.title,
                "Yes" if col.required else "No",
                col.described,
                _allowed(col),
                col.note,
            )


def _allowed(col: Col) -> str:
    if col.type is Type.CHOICE:
        return col.allowed
    if col.type is Type.YES_NO:
        return "Yes, No"
    if col.type is Type.WHOLE:
        return f"{col.low} to {col.high}" if col.high < 2**31 - 1 else f"{col.low} or more"
    if col.max_length:
        return f"at most {col.max_length} characters"
    return ""


def _write_about(sheet) -> None:
    for letter, width in zip("ABCDEF", (24, 28, 10, 22, 40, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, heading) for heading in ABOUT_HEADINGS])
    for row in _about_rows():
        sheet.append([neutralise(v) or None for v in row])


def _bold(sheet, value, comment: str = "") -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = BOLD
    if comment:
        cell.comment = Comment(comment, "Waymark", width=300, height=120)
    return cell


def _list_columns() -> list[tuple[str, tuple[str, ...]]]:
    """Every distinct list the sheets offer, once."""
    found: dict[tuple[str, ...], str] = {}
    for spec in registered():
        for col in spec.columns:
            if col.type in (Type.CHOICE, Type.YES_NO):
                words = tuple(w for _, w in (col.choices or YES_NO))
                found.setdefault(words, f"{spec.name}: {col.title}")
    return [(title, words) for words, title in found.items()]


def _list_ranges() -> dict[tuple[str, ...], str]:
    ranges = {}
    for index, (_, words) in enumerate(_list_columns(), start=1):
        letter = get_column_letter(index)
        ranges[words] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(words) + 1}"
    return ranges


def _write_lists(sheet) -> None:
    columns = _list_columns()
    sheet.append([title for title, _ in columns])
    for n in range(max(len(words) for _, words in columns)):
        sheet.append([words[n] if n < len(words) else None for _, words in columns])


def _write_sheet(sheet, spec: SheetSpec, plan: Plan | None, list_ranges) -> None:
    columns = spec.columns
    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 50 if col.type is Type.LONG_TEXT else 18
        validation = _validation(col, list_ranges)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.data_validations.append(validation)
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, col.title, _heading_note(col)) for col in columns])
    if plan is None:
        return
    formats = [col.number_format for col in columns]
    for record in spec.export(plan):
        row = []
        for col, number_format in zip(columns, formats, strict=True):
            value = neutralise(col.cell(record.get(col.key)))
            if number_format and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                value = cell
            row.append(value)
        sheet.append(row)


def _validation(col: Col, list_ranges) -> DataValidation | None:
    if col.type in (Type.CHOICE, Type.YES_NO):
        words = tuple(w for _, w in (col.choices or YES_NO))
        return DataValidation(
            type="list",
            formula1=list_ranges[words],
            allow_blank=not col.required,
            showErrorMessage=True,
            errorTitle=col.title,
            error=f"Choose one of: {', '.join(words)}",
        )
    if col.type is Type.WHOLE:
        return DataValidation(
            type="whole",
            operator="between",
            formula1=str(col.low),
            formula2=str(col.high),
            showErrorMessage=True,
            errorTitle=col.title,
            error=f"A whole number: {_allowed(col)}",
        )
    return None


def _heading_note(col: Col) -> str:
    parts = [col.note, f"Type: {col.described}."]
    if col.required:
        parts.append("Required.")
    allowed = _allowed(col)
    if allowed:
        parts.append(f"Allowed: {allowed}.")
    return " ".join(parts)
