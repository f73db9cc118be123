"""The plan workbook's registry: one SheetSpec per record kind.

A record kind joins the workbook with ONE registration (`register(SheetSpec(...))`, see
workbook/kinds.py): its sheet's name, its columns (each with the note the About sheet and the
heading's comment show, its type, its list of allowed values and what it refers to), how the
plan's records become rows (`export`) and how checked rows become records (`write`). The
export, the blank template, the About sheet, the data validation, the import's checks (types,
duplicates, references between sheets) and its all-or-nothing write all come from the specs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from planning import fy
from planning.spreadsheets import cells
from planning.spreadsheets.cells import MissingCell

if TYPE_CHECKING:
    from workbook.importing import Loader, Row


class Type(StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long text"  # keeps its lines
    WHOLE = "whole number"
    NUMBER = "number"
    MONEY = "amount in pounds"
    DATE = "date"
    TIMESTAMP = "date and time"
    YES_NO = "Yes or No"
    CHOICE = "one of a list"
    YEAR = "financial year"
    MONTH = "month"
    REF = "reference"
    REFS = "references"


REF_SEPARATOR = ";"


@dataclass(frozen=True)
class Col:
    key: str
    title: str
    note: str
    type: Type = Type.TEXT
    required: bool = False
    # (stored value, words written in the workbook): the workbook writes the words and reads
    # either, whatever their case.
    choices: Sequence[tuple[str, str]] = ()
    ref: str = ""  # the sheet whose rows a REF/REFS column names
    max_length: int | None = None
    low: int = 0  # WHOLE
    high: int = 2**31 - 1
    places: int = 4  # NUMBER: digits after the point, and in all (the model field's)
    digits: int = 14
    signed: bool = False  # NUMBER: negative numbers allowed

    # --- reading -------------------------------------------------------------------------------
    def parse(self, cell: object) -> Any:
        """The cell's value, None for a blank cell (MissingCell if it is required), or
        ValueError with the reason."""
        if cells.blank(cell) and self.type is not Type.YES_NO:
            if self.required:
                raise MissingCell("is missing")
            return () if self.type is Type.REFS else None
        match self.type:
            case Type.TEXT | Type.LONG_TEXT:
                value = cells.parse_text(cell, multiline=self.type is Type.LONG_TEXT)
                if self.max_length is not None and len(value) > self.max_length:
                    raise ValueError(
                        f"is {len(value):,} characters long: at most {self.max_length:,} fit"
                    )
                return value
            case Type.WHOLE:
                return cells.parse_whole(cell, low=self.low, high=self.high)
            case Type.NUMBER:
                below = Decimal(10) ** (self.digits - self.places)
                value = cells.parse_number(cell, places=self.places, below=below)
                if value < 0 and not self.signed:
                    raise ValueError(f"{cells.shown(cell)} is negative: it must be 0 or more")
                return value
            case Type.MONEY:
                return cells.parse_money(cell)
            case Type.DATE:
                return cells.parse_date(cell)
            case Type.TIMESTAMP:
                return parse_timestamp(cell)
            case Type.YES_NO:
                return cells.parse_yes_no(cell)
            case Type.CHOICE:
                return self._choice(cell)
            case Type.YEAR:
                return cells.parse_financial_year(cell)
            case Type.MONTH:
                return cells.parse_month(cell)
            case Type.REF:
                return ref_text(cell)
            case Type.REFS:
                parts = [p.strip() for p in ref_text(cell).split(REF_SEPARATOR)]
                return tuple(dict.fromkeys(p for p in parts if p))
        raise AssertionError(self.type)

    def _choice(self, cell: object) -> str:
        written = cells.parse_text(cell).casefold()
        for value, words in self.choices:
            if written in (value.casefold(), words.casefold()):
                return value
        raise ValueError(f"“{cells.shown(cell)}” is not one of: {self.allowed}")

    @property
    def allowed(self) -> str:
        return ", ".join(words for _, words in self.choices)

    # --- writing -------------------------------------------------------------------------------
    def cell(self, value: Any) -> object:
        """A value of a record as the workbook writes it."""
        if value is None or value == "":
            return None
        match self.type:
            case Type.CHOICE:
                return dict(self.choices).get(value, value)
            case Type.YES_NO:
                return "Yes" if value else "No"
            case Type.YEAR:
                return fy.fy_label(value)
            case Type.REFS:
                return f"{REF_SEPARATOR} ".join(value) or None
            case Type.TIMESTAMP:
                return value.astimezone(dt.UTC).isoformat(sep=" ")
            case Type.MONTH:
                return f"{value:%Y-%m}"
            case Type.DATE:
                return value.date() if isinstance(value, dt.datetime) else value
            case Type.NUMBER | Type.MONEY:
                return value if isinstance(value, Decimal) else Decimal(value)
        return value

    @property
    def number_format(self) -> str | None:
        """Dates shown as dates, money with its pence; everything else as the spreadsheet's
        default (a text format on every text cell would double the export's time)."""
        return {Type.DATE: "yyyy-mm-dd", Type.MONEY: "#,##0.00"}.get(self.type)

    @property
    def described(self) -> str:
        """The column's type as the About sheet says it."""
        if self.type is Type.REF:
            return f"a reference to a row of {self.ref}"
        if self.type is Type.REFS:
            return f"references to rows of {self.ref}, separated by “{REF_SEPARATOR}”"
        if self.type is Type.NUMBER and self.signed:
            return "number (may be negative)"
        return str(self.type)


def ref_text(cell: object) -> str:
    """A reference as compared: 12.0 from a workbook is "12"."""
    return cells.parse_text(cell)


def parse_timestamp(cell: object) -> dt.datetime:
    if isinstance(cell, dt.datetime):
        return cell if cell.tzinfo else cell.replace(tzinfo=dt.UTC)
    written = cells.parse_text(cell)
    try:
        value = dt.datetime.fromisoformat(written)
    except ValueError:
        raise ValueError(
            f"“{cells.shown(written)}” is not a date and time: write it like 2019-07-01 09:30:00"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class SheetSpec:
    """One record kind's sheet."""

    name: str  # at most 31 characters (Excel's limit)
    about: str  # what one row is
    columns: tuple[Col, ...]
    # The plan's records as rows: {column key: value} (values as the models hold them).
    export: Callable[[Any], Iterable[dict[str, Any]]]
    # The checked rows (every sheet's, all good) into records: called in sheet order, inside
    # the import's one transaction.
    write: Callable[[Loader, list[Row]], None]
    position: int = 100
    # A row's own reference, which other sheets name (REF columns) and which must be unique.
    key: Callable[[dict[str, Any]], str | None] | None = None
    key_columns: tuple[str, ...] = ()  # the columns a duplicate is reported on
    # Further rules of a row, once every cell has been read and every reference resolved:
    # (loader, row) -> None, adding problems through loader.problem(row, column, reason).
    check: Callable[[Loader, Row], None] | None = None
    single_row: bool = False  # the plan sheet: exactly one row
    counted: str = ""  # how the preview names its rows ("objectives and actions")
    # --- importing onto an existing plan as its next version (workbook.updating) -------------
    # The model whose records the sheet's rows are (what `write` hands to kinds._create).
    model: Any = None
    # The model fields that name a row within the plan (FKs by the record they point to):
    # a written row matching an existing record by these updates it, keeping its identity.
    match: tuple[str, ...] = ()
    # The model fields a row sets, compared and updated on a matched record (a difference is
    # a change); anything else (delivery: status, RAG, latest update…) is never touched.
    fields: tuple[str, ...] = ()
    # Fields updated without counting as a change: the row's place in the sheet.
    quiet: tuple[str, ...] = ()
    # The plan's existing records of the kind, as the sheet carries them (default: plan=plan).
    records: Callable[[Any], Any] | None = None
    # History (progress updates, measurements, actuals, reviews…): rows not there are added,
    # existing records are never changed, and none is removed.
    history: bool = False
    # A boolean field set on records an update adds (the NEW mark of a refresh).
    new_mark: str = ""
    # The organisation's records matched by name and never changed (departments, roles,
    # people): written as for a new plan.
    shared: bool = False
    # Records a workbook may not remove from an existing plan (frameworks are the
    # organisation's and may name other plans): a missing row is a problem instead.
    removable: bool = True
    # The sheet whose writer writes these rows too (framework levels, with their framework).
    written_with: str = ""

    def column(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)

    @property
    def updatable(self) -> bool:
        """Can its rows be written onto an existing plan (workbook.updating)? The plan sheet
        (one row) updates the plan itself."""
        return self.model is not None or self.shared or self.single_row or bool(self.written_with)

    @property
    def noun(self) -> str:
        return self.counted or self.name.lower()


# Who is importing, while a workbook is written (workbook.importing.write): the history rows of
# the records made record them as the change's user.
IMPORTER: ContextVar = ContextVar("workbook_importer", default=None)
CHANGE_REASON = "Imported from a workbook"
# The update under way (workbook.updating.Update) while a workbook is written onto an existing
# plan as its next version; None while a new plan is written.
UPDATING: ContextVar = ContextVar("workbook_updating", default=None)
VERSION_REASON = "Imported from a workbook as the next version"
REMOVED_REASON = "Removed by a workbook imported as the next version"

_REGISTRY: dict[str, SheetSpec] = {}


def register(spec: SheetSpec) -> SheetSpec:
    assert len(spec.name) <= 31, spec.name
    assert spec.name not in _REGISTRY, f"two sheets named {spec.name}"
    _REGISTRY[spec.name] = spec
    return spec


def spec_for_model(model) -> SheetSpec | None:
    return next((s for s in _REGISTRY.values() if s.model is model), None)


def registered() -> list[SheetSpec]:
    """Every sheet, in the workbook's order (a sheet comes after those it refers to)."""
    return sorted(_REGISTRY.values(), key=lambda s: s.position)


def choices_of(text_choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in text_choices.choices)


YES_NO = (("yes", "Yes"), ("no", "No"))
