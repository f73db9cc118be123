"""Reading an uploaded table (CSV or an Excel workbook) into rows of cells.

Shared by the KPI-measurement and budget imports, which each check the rows in their own way.
"""

from __future__ import annotations

import csv
import io
import zipfile


class TabularFileError(ValueError):
    """The file as a whole cannot be read (not the rows in it)."""


def csv_rows(content: bytes) -> list[list[object]]:
    """Rows of a CSV file in UTF-8 (with or without a BOM) or Windows-1252, as Excel saves it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise TabularFileError("The file could not be read as text (CSV).") from error
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise TabularFileError(f"The file could not be read as CSV: {error}.") from error


def xlsx_rows(content: bytes, *, limit: int | None = None) -> list[list[object]]:
    """Rows of the workbook's first sheet, at most `limit` of them.

    data_only: a formula cell gives the value Excel last calculated, never the formula.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TabularFileError(
            "The file could not be read as an Excel workbook (.xlsx)."
        ) from error
    try:
        rows = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(list(row))
            if limit is not None and len(rows) >= limit:
                break
        return rows
    finally:
        workbook.close()
