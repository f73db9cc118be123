"""The import pipeline: headings matched to columns, rows checked, all or nothing written.

A domain import (KPI measurements, budget lines, actuals) gives a Layout (its columns), a
check (one row -> a record, appending every problem to the row's reasons) and a write (the
records -> the database, counting into the ImportResult). The pipeline does the rest the same
way for every import:

1. read_table: the file read within the limits (files.py); its first row names the columns (any
   order, any case, "_" or "-" for a space); every further row that is not blank becomes a Row,
   numbered as in the spreadsheet (the heading row is row 1), its cells with the formula guard
   taken off. What the database would refuse is found here, for every import alike: a cell
   with a control character (NUL, …) and text longer than its column's max_length are the
   row's problems, named by column.
2. import_rows: every row checked and every bad row reported with its number and all its
   reasons; only when every row is good is anything written, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.db import transaction

from planning.spreadsheets.cells import MissingCell, blank, control_character, long_text, text
from planning.spreadsheets.files import (
    LIMITS,
    ImportFileError,
    Limits,
    check_upload,
    read_cells,
)
from planning.spreadsheets.guard import unguard


def heading_key(cell: object) -> str:
    """A heading as compared: 'KPI_Code' and ' kpi-code ' are both 'kpi code'."""
    words = str(cell or "").replace("_", " ").replace("-", " ")
    return " ".join(words.split()).casefold()


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # the heading the template writes and the messages name
    aliases: tuple[str, ...] = ()
    required: bool = True
    # What the database holds: the model field's max_length, and whether the text keeps its
    # lines (a TextField such as a commentary) or is read as one line (cells.text).
    max_length: int | None = None
    multiline: bool = False

    def matches(self, heading: str) -> bool:
        return heading in {heading_key(name) for name in (self.title, *self.aliases)}

    def problems(self, cell: object) -> list[str]:
        """What the database would refuse in the cell, as reasons naming the column."""
        found = []
        character = control_character(cell)
        if character is not None:
            found.append(
                f"{self.title} contains a control character ({character}), which cannot be "
                "stored: delete it"
            )
        if self.max_length is not None and not blank(cell):
            length = len(long_text(cell) if self.multiline else text(cell))
            if length > self.max_length:
                found.append(
                    f"{self.title} is {length:,} characters long: at most {self.max_length:,} fit"
                )
        return found


def _words(titles: list[str]) -> str:
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]


@dataclass(frozen=True)
class Layout:
    """The columns an import reads. Other columns are ignored."""

    columns: tuple[Column, ...]
    # What a comma may have split into two cells of a CSV row, for the message saying so.
    split_number: str = "a number"

    def describe(self) -> str:
        titles = [c.title for c in self.columns if c.required]
        optional = [c.title for c in self.columns if not c.required]
        return _words(titles + [f"(optionally) {t}" for t in optional])

    def match(self, header: list[object]) -> dict[str, int]:
        """{column key: index} for the first heading naming each column."""
        found: dict[str, int] = {}
        for index, cell in enumerate(header):
            heading = heading_key(cell)
            for column in self.columns:
                if column.key not in found and column.matches(heading):
                    found[column.key] = index
        missing = [c.title for c in self.columns if c.required and c.key not in found]
        if missing:
            raise ImportFileError(
                f"The file has no column for: {', '.join(missing)}. The first row must name "
                f"the columns {self.describe()}."
            )
        return found


@dataclass(frozen=True)
class Row:
    number: int  # as in the spreadsheet: the heading row is row 1
    cells: Mapping[str, object]
    problems: tuple[str, ...] = ()  # found while reading, before any domain check

    def __getitem__(self, key: str) -> object:
        return self.cells.get(key)


@dataclass(frozen=True)
class Table:
    columns: frozenset[str]  # the keys of the layout's columns the file has
    rows: list[Row]


def read_table(
    name: str,
    content: bytes,
    layout: Layout,
    *,
    max_rows: int | None = None,
    limits: Limits = LIMITS,
) -> Table:
    """The file's rows under its headings. ImportFileError for a file that cannot be imported."""
    if max_rows is not None:
        limits = replace(limits, rows=max_rows)
    table = read_cells(name, content, limits=limits)
    if not table or table[0][0] != 1:  # the headings must be the first row
        raise ImportFileError(
            f"The file is empty: its first row must name the columns {layout.describe()}."
        )
    header = table[0][1]
    found = layout.match(header)
    columns = {c.key: c for c in layout.columns}
    rows = []
    for number, cells in table[1:]:
        values = {key: unguard(cells[i]) for key, i in found.items() if i < len(cells)}
        problems = [p for key, cell in values.items() for p in columns[key].problems(cell)]
        rows.append(
            Row(
                number=number,
                cells=values,
                problems=(*_extra_cells(cells, len(header), layout), *problems),
            )
        )
    if not rows:
        raise ImportFileError("The file has a heading row but no rows to import")
    return Table(columns=frozenset(found), rows=rows)


def read_upload(upload, layout: Layout) -> Table:
    """read_table for an uploaded file (a Django UploadedFile)."""
    check_upload(upload.name, upload.size)
    return read_table(upload.name, upload.read(), layout)


def _extra_cells(cells: list[object], headings: int, layout: Layout) -> tuple[str, ...]:
    # In a CSV file an unquoted 1,500 is two cells: the row then has more cells than headings.
    extra = [c for c in cells[headings:] if not blank(c)]
    if not extra:
        return ()
    return (
        f"the row has {headings + len(extra)} cells but there are {headings} headings: in a "
        f'CSV file, put {layout.split_number} written with commas in quotes, like "1,234"',
    )


# ---------------------------------------------------------------------------------------------
# Checking and writing
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return self.created + self.updated

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


# A domain's check of one row: its record, every problem appended to the reasons.
type Check[T] = Callable[[Row, list[str]], T | None]


def check_cell[V](
    row: Row, key: str, parse: Callable[[object], V], reasons: list[str], *, title: str
) -> V | None:
    """One cell parsed, or None with the reason added: "amount is missing", "amount “x” …"."""
    try:
        return parse(row[key])
    except MissingCell:
        reasons.append(f"{title} is missing")
    except ValueError as error:
        reasons.append(f"{title} {error}")
    return None


def _capital(reason: str) -> str:
    return reason[:1].upper() + reason[1:]


def check_rows[T](rows: Iterable[Row], check: Check[T]) -> tuple[list[T], list[RowError]]:
    """Every row checked: the good rows' records and every bad row's reasons."""
    good: list[T] = []
    errors: list[RowError] = []
    for row in rows:
        reasons = list(row.problems)
        record = check(row, reasons)
        if reasons:
            errors.append(RowError(row.number, tuple(_capital(r) for r in reasons)))
        else:
            good.append(record)
    return good, errors


def import_rows[T](
    table: Table, *, check: Check[T], write: Callable[[list[T], ImportResult], None]
) -> ImportResult:
    """All or nothing: every row checked, and written (in one transaction, with the checks, so
    they see what is written) only if every row is good."""
    with transaction.atomic():
        good, errors = check_rows(table.rows, check)
        result = ImportResult(rows=len(table.rows), errors=errors)
        if not errors:
            write(good, result)
        return result
