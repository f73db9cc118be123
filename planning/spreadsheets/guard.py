"""The spreadsheet-formula guard, for every export and import template (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets run a cell that starts with one of these as a formula, so a
plan's text such as "=HYPERLINK(...)" could act when a user opens an export. The full-width
forms are included because some spreadsheets (and some input methods) read them as the ASCII
ones. A guarded cell starts with an apostrophe, which spreadsheets show as plain text; the
imports take the apostrophe off again, so a template imports back unchanged.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise(value):
    """Text that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unguard(value):
    """A cell as it was before neutralise(): the guarding apostrophe taken off."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value
