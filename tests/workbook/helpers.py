"""Reading workbooks back in tests: every sheet's cells, as a spreadsheet shows them."""

from __future__ import annotations

import io

from openpyxl import load_workbook


def cells(content: bytes) -> dict[str, list[tuple]]:
    """{sheet name: its rows of values}, every sheet, hidden ones too."""
    book = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }
