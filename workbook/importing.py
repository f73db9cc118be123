"""Reading a plan workbook into a new draft plan: everything checked first, all or nothing.

1. The file is read within the limits (planning.spreadsheets.files.read_workbook): the archive
   before it is parsed, then every sheet streamed.
2. Every registered sheet must be there with its required columns (named if missing); every
   cell is read by its column's type (a formula or an error value where a value belongs, a date
   where text belongs, a negative amount… are problems); every row's reference must be unique;
   every reference to another sheet's row must name a row that is there; then each sheet's own
   rules.
3. Only when there is no problem at all is anything written, in one transaction, sheet by sheet
   in the workbook's order: a new draft plan in the organisation, with a slug of its own.

Every problem names its sheet, row and column (`Problem`), so the page and the command can list
them all at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from planning.models import Organisation, Plan
from planning.spreadsheets import cells, files
from planning.spreadsheets.cells import MissingCell
from planning.spreadsheets.files import CellError, Formula, ImportFileError
from planning.spreadsheets.guard import unguard
from planning.spreadsheets.pipeline import heading_key
from workbook.sheets import IMPORTER, Col, SheetSpec, Type, registered


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # as in the spreadsheet (the heading row is row 1); None: the whole sheet
    column: str  # its heading; "" for the whole row or sheet
    reason: str

    def __str__(self) -> str:
        where = [f"sheet “{self.sheet}”"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column “{self.column}”")
        return f"{', '.join(where)}: {self.reason}"


@dataclass
class Row:
    sheet: SheetSpec
    number: int
    values: dict[str, Any]
    key: str | None = None
    bad: bool = False

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


@dataclass
class Loader:
    """What the import has read, and, while writing, the records made so far."""

    organisation: Organisation
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    plan: Plan | None = None
    by: Any = None  # the user importing (None from the command line)
    # The existing plan the workbook becomes the next version of (workbook.updating); None
    # for a new plan.
    target: Plan | None = None
    # What an update changed: [[what, added, changed, removed], …] (workbook.updating).
    changes: list = field(default_factory=list)
    # The records written, by sheet and row reference: what later sheets' rows refer to.
    made: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What a sheet's checks read from the database once per import (e.g. the organisation's
    # risk references), by the sheet's own name for it.
    cache: dict[str, Any] = field(default_factory=dict)
    _keys: dict[str, dict[str, Row]] = field(default_factory=dict, repr=False)

    def problem(self, row: Row | None, column: str, reason: str, *, sheet: str = "") -> None:
        if row is not None:
            row.bad = True
        name = sheet or (row.sheet.name if row else "")
        title = row.sheet.column(column).title if row and column else column
        reason = reason[:1].upper() + reason[1:]
        self.problems.append(Problem(name, row.number if row else None, title, reason))

    def keys(self, sheet: str) -> dict[str, Row]:
        """{reference: row} of a sheet, once its references have been read (_check_keys)."""
        if sheet not in self._keys:
            rows = self.rows.get(sheet, [])
            self._keys[sheet] = {r.key: r for r in rows if r.key is not None}
        return self._keys[sheet]

    def record(self, sheet: str, key: str | None) -> Any:
        return None if key is None else self.made[sheet][key]

    def records(self, sheet: str, keys) -> list[Any]:
        return [self.made[sheet][k] for k in keys]

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(spec.noun, len(self.rows.get(spec.name, []))) for spec in registered()]


# ---------------------------------------------------------------------------------------------


def check_workbook(
    name: str, content: bytes, organisation: Organisation, *, target: Plan | None = None
) -> Loader:
    """The workbook read and checked. Raises ImportFileError when the file as a whole cannot be
    read (not a workbook, too large, a zip bomb); otherwise the loader's problems list every
    problem found, by sheet, row and column."""
    sheets = files.read_workbook(name, content)
    loader = Loader(organisation=organisation, target=target)
    specs = registered()
    for spec in specs:
        if spec.name not in sheets:
            loader.problem(
                None, "", f"The workbook has no sheet named “{spec.name}”", sheet=spec.name
            )
            continue
        loader.rows[spec.name] = _read_sheet(loader, spec, sheets[spec.name])
    if loader.problems and any(p.row is None for p in loader.problems):
        return loader  # a sheet or a column is missing: its rows cannot be checked further
    for spec in specs:
        _check_keys(loader, spec)
    for spec in specs:
        _check_references(loader, spec)
    for spec in specs:
        if spec.check is not None:
            for row in loader.rows.get(spec.name, []):
                spec.check(loader, row)
    return loader


def _read_sheet(loader: Loader, spec: SheetSpec, rows) -> list[Row]:
    if not rows or rows[0][0] != 1:
        loader.problem(None, "", "The sheet's first row must name its columns", sheet=spec.name)
        return []
    header = [heading_key(cell) for cell in rows[0][1]]
    where: dict[str, int] = {}
    for column in spec.columns:
        key = heading_key(column.title)
        if key in header:
            where[column.key] = header.index(key)
        elif column.required:
            loader.problem(
                None, column.title, f"The sheet has no column “{column.title}”", sheet=spec.name
            )
    if any(c.required and c.key not in where for c in spec.columns):
        return []
    read: list[Row] = []
    for number, raw in rows[1:]:
        row = Row(sheet=spec, number=number, values={})
        for column in spec.columns:
            index = where.get(column.key)
            cell = raw[index] if index is not None and index < len(raw) else None
            row.values[column.key] = _cell(loader, row, column, cell)
        read.append(row)
    if spec.single_row and len(read) != 1:
        loader.problem(
            None,
            "",
            f"The sheet must have exactly one row under its headings, not {len(read)}",
            sheet=spec.name,
        )
    return read


def _cell(loader: Loader, row: Row, column: Col, cell: object) -> Any:
    if isinstance(cell, Formula):
        loader.problem(
            row,
            column.key,
            f"holds a formula ({cells.shown(cell)}) where a value belongs: type the value",
        )
        return None
    if isinstance(cell, CellError):
        loader.problem(row, column.key, f"holds the error {cell} where a value belongs")
        return None
    cell = unguard(cell)
    character = cells.control_character(cell)
    if character is not None:
        loader.problem(
            row, column.key, f"contains a control character ({character}), which cannot be stored"
        )
        return None
    try:
        return column.parse(cell)
    except MissingCell:
        loader.problem(row, column.key, "is missing")
    except ValueError as error:
        loader.problem(row, column.key, str(error))
    return None


def _check_keys(loader: Loader, spec: SheetSpec) -> None:
    if spec.key is None:
        return
    rows = loader.rows.get(spec.name, [])
    for row in rows:
        row.key = spec.key(row.values)
    seen = Counter(r.key for r in rows if r.key is not None)
    first: dict[str, int] = {}
    for row in rows:
        if row.key is None:
            continue
        if seen[row.key] > 1:
            if row.key in first:
                loader.problem(
                    row,
                    spec.key_columns[0],
                    f"“{cells.shown(row.key)}” is already used by row {first[row.key]}: "
                    "each row needs a reference of its own",
                )
            else:
                first[row.key] = row.number


def _check_references(loader: Loader, spec: SheetSpec) -> None:
    for column in spec.columns:
        if column.type not in (Type.REF, Type.REFS):
            continue
        target = loader.keys(column.ref)
        for row in loader.rows.get(spec.name, []):
            value = row[column.key]
            # A cell that could not be read is None (its problem is listed already).
            named = (value or ()) if column.type is Type.REFS else (value,) if value else ()
            for ref in named:
                if ref not in target:
                    loader.problem(
                        row,
                        column.key,
                        f"“{cells.shown(ref)}” is not a row of the sheet “{column.ref}”",
                    )


# ---------------------------------------------------------------------------------------------


def import_workbook(name: str, content: bytes, organisation: Organisation, *, by=None) -> Loader:
    """Check the workbook and, if it has no problem, write it as a new draft plan of the
    organisation (loader.plan). All or nothing: with any problem, nothing is written."""
    loader = check_workbook(name, content, organisation)
    if not loader.problems:
        write(loader, by=by)
    return loader


@transaction.atomic
def write(loader: Loader, *, by=None) -> Plan:
    loader.by = by
    importer = IMPORTER.set(by)
    try:
        for spec in registered():
            loader.made.setdefault(spec.name, {})
            spec.write(loader, loader.rows.get(spec.name, []))
    finally:
        IMPORTER.reset(importer)
    assert loader.plan is not None
    return loader.plan


__all__ = ["ImportFileError", "Loader", "Problem", "Row", "check_workbook", "import_workbook"]
