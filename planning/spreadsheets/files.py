"""Reading an uploaded table (CSV or an Excel workbook) into rows of cells, within the limits."""

from __future__ import annotations

import csv
import io
import zipfile

from planning.spreadsheets.cells import blank

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000  # rows under the heading row, blank rows not counted


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (not the rows in it): its type, size, encoding,
    headings or number of rows. The message is fit for the user."""


def check_upload(name: str, size: int) -> None:
    """An upload's name and size, before it is read."""
    if not (name or "").lower().endswith((".csv", ".xlsx")):
        raise ImportFileError("The file must be a CSV file or an Excel workbook (.xlsx)")
    if size > MAX_BYTES:
        raise ImportFileError("The file is larger than 5 MB: split it into smaller files")


def read_cells(name: str, content: bytes, *, max_rows: int = MAX_ROWS) -> list[list[object]]:
    """Every row of the file (blank ones too, so row numbers are the spreadsheet's), stopping
    once there are more than `max_rows` rows with something in them under the first."""
    check_upload(name, len(content))
    if name.lower().endswith(".xlsx"):
        table = xlsx_rows(content, limit=max_rows + 2)
    else:
        table = csv_rows(content)
    if sum(1 for row in table[1:] if not all(blank(c) for c in row)) > max_rows:
        raise ImportFileError(
            f"The file has more than {max_rows:,} rows: split it into smaller files"
        )
    return table


def csv_rows(content: bytes) -> list[list[object]]:
    """Rows of a CSV file in UTF-8 (with or without a BOM) or Windows-1252, as Excel saves it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportFileError("The file could not be read as text (CSV).") from error
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise ImportFileError(f"The file could not be read as CSV: {error}.") from error


def xlsx_rows(content: bytes, *, limit: int | None = None) -> list[list[object]]:
    """Rows of the workbook's first sheet, stopping after `limit` rows that are not blank.

    data_only: a formula cell gives the value Excel last calculated, never the formula.
    """
    # Imported when a workbook is read: most processes never read one.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError("The file could not be read as an Excel workbook (.xlsx).") from error
    try:
        rows, filled = [], 0
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(list(row))
            filled += not all(blank(c) for c in row)
            if limit is not None and filled >= limit:
                break
        return rows
    finally:
        workbook.close()
