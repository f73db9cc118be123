"""Spreadsheets in and out: the one import pipeline, its cell parsers and the formula guard.

Every spreadsheet import (kpis.imports, budgets.imports) is a Layout, a row check and a write
handed to pipeline.import_rows; every export and import template passes its text cells through
guard.neutralise.
"""

from planning.spreadsheets.cells import (
    MissingCell,
    blank,
    control_character,
    long_text,
    money_text,
    number_text,
    parse_money,
    parse_month,
    parse_number,
    shown,
    text,
)
from planning.spreadsheets.files import (
    LIMITS,
    MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    Limits,
    check_archive,
    check_upload,
)
from planning.spreadsheets.guard import FORMULA_TRIGGERS, neutralise, unguard
from planning.spreadsheets.pipeline import (
    Column,
    ImportResult,
    Layout,
    Row,
    RowError,
    Table,
    check_cell,
    check_rows,
    heading_key,
    import_rows,
    read_table,
    read_upload,
)

__all__ = [
    "FORMULA_TRIGGERS",
    "LIMITS",
    "MAX_BYTES",
    "MAX_ROWS",
    "Column",
    "ImportFileError",
    "ImportResult",
    "Layout",
    "Limits",
    "MissingCell",
    "Row",
    "RowError",
    "Table",
    "blank",
    "check_archive",
    "check_cell",
    "check_rows",
    "check_upload",
    "control_character",
    "heading_key",
    "import_rows",
    "long_text",
    "money_text",
    "neutralise",
    "number_text",
    "parse_money",
    "parse_month",
    "parse_number",
    "read_table",
    "read_upload",
    "shown",
    "text",
    "unguard",
]
