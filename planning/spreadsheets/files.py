"""Reading an uploaded table (CSV or an Excel workbook) into rows of cells, within the limits.

An import must not be able to take a worker down, whatever the file. So (docs/decisions/
import-limits.md gives the figures and why):

* the upload's size is checked before it is read (MAX_BYTES);
* a workbook's archive is checked before openpyxl parses any of it: how many members, how much
  they unpack to in all and each, and how far each is compressed. Python's zipfile never
  unpacks more than a member's declared size, so checking the declared sizes is enough;
* the rows are streamed, never the whole sheet at once, and the reading stops with a message at
  the first row past a limit: rows, columns, cells, characters in a cell, and a time budget;
* XML is parsed by defusedxml (openpyxl uses it when it is installed): entity declarations
  ("billion laughs") and external entities are refused, and malformed XML, wherever openpyxl
  meets it (opening the workbook or streaming its rows), is a message, never a 500.

A limit that is passed raises ImportFileError with a message fit for the user.
"""

from __future__ import annotations

import csv
import io
import logging
import time
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from planning.spreadsheets.cells import blank

log = logging.getLogger(__name__)

MiB = 1024 * 1024

# --- the upload and its rows -------------------------------------------------------------------
MAX_BYTES = 5 * MiB
MAX_ROWS = 10_000  # rows under the heading row, blank rows not counted
MAX_COLUMNS = 100  # A to CV: an import names at most 7 columns; the rest are ignored
MAX_CELLS = 200_000  # cells with something in them, in the whole file
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_SECONDS = 10.0  # reading the file; well within gunicorn's timeout

# --- a workbook's archive, checked before it is parsed ------------------------------------------
MAX_MEMBERS = 200  # a workbook saved by Excel has 10 to 30
MAX_UNPACKED = 50 * MiB  # all members together
MAX_PART = 20 * MiB  # any one member: a 10,000-row, 7-column sheet is about 4 MB
# openpyxl reads the shared strings whole, at about 10 µs a string: 4 MB is about 200,000 strings.
MAX_SHARED_STRINGS = 4 * MiB
MAX_RATIO = 100  # unpacked / packed; real sheets are about 13
RATIO_FROM = 1 * MiB  # a small member may be as compressed as it likes
MAX_CONTENT_TYPES = 1 * MiB  # [Content_Types].xml, parsed whole to find the shared strings

SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
NOT_A_WORKBOOK = "The file could not be read as an Excel workbook (.xlsx)."
SPLIT = "split it into smaller files, or save it as a CSV file"


@dataclass(frozen=True)
class Limits:
    """The limits on the rows of one import (the archive's are the constants above)."""

    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    cell_chars: int = MAX_CELL_CHARS
    seconds: float = MAX_SECONDS


LIMITS = Limits()


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (not the rows in it): its type, size, encoding,
    headings or number of rows. The message is fit for the user."""


def check_upload(name: str, size: int) -> None:
    """An upload's name and size, before it is read."""
    if not (name or "").lower().endswith((".csv", ".xlsx")):
        raise ImportFileError("The file must be a CSV file or an Excel workbook (.xlsx)")
    if size > MAX_BYTES:
        raise ImportFileError("The file is larger than 5 MB: split it into smaller files")


# A row of the file: its number as in the spreadsheet (the first row is 1) and its cells.
type NumberedRow = tuple[int, list[object]]


def read_cells(name: str, content: bytes, *, limits: Limits = LIMITS) -> list[NumberedRow]:
    """The rows of the file that are not blank, with their numbers, read within the limits."""
    check_upload(name, len(content))
    deadline = time.monotonic() + limits.seconds
    reader = xlsx_rows if name.lower().endswith(".xlsx") else csv_rows
    source = reader(content, limits)
    rows: list[NumberedRow] = []
    filled_cells = 0
    with closing(source):
        for number, cells in source:
            if time.monotonic() > deadline:
                raise ImportFileError(
                    f"The file took more than {limits.seconds:g} seconds to read: {SPLIT}"
                )
            filled = [c for c in cells if not blank(c)]
            if not filled:
                continue
            if len(rows) > limits.rows:  # the heading row and `rows` rows are allowed
                raise ImportFileError(
                    f"The file has more than {limits.rows:,} rows: split it into smaller files"
                )
            filled_cells += len(filled)
            if filled_cells > limits.cells:
                raise ImportFileError(
                    f"The file has more than {limits.cells:,} cells with something in them: {SPLIT}"
                )
            if any(isinstance(c, str) and len(c) > limits.cell_chars for c in filled):
                raise ImportFileError(
                    f"Row {number} has a cell longer than {limits.cell_chars:,} characters, "
                    "more than a spreadsheet cell holds"
                )
            rows.append((number, cells))
    return rows


def _too_wide(number: int, column: int, limits: Limits) -> ImportFileError:
    from openpyxl.utils import get_column_letter

    return ImportFileError(
        f"Row {number} has something in column {get_column_letter(column)}: an import reads "
        f"at most {limits.columns} columns (A to {get_column_letter(limits.columns)}). Delete "
        "the columns it does not need."
    )


# --- CSV -----------------------------------------------------------------------------------------


def csv_rows(content: bytes, limits: Limits = LIMITS) -> Iterator[NumberedRow]:
    """Rows of a CSV file in UTF-8 (with or without a BOM) or Windows-1252, as Excel saves it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportFileError("The file could not be read as text (CSV).") from error
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if len(cells) > limits.columns:
                beyond = [i for i, c in enumerate(cells) if i >= limits.columns and not blank(c)]
                if beyond:
                    raise _too_wide(number, beyond[0] + 1, limits)
                del cells[limits.columns :]
            yield number, cells
    except csv.Error as error:
        raise ImportFileError(f"The file could not be read as CSV: {error}.") from error


# --- Excel workbooks -----------------------------------------------------------------------------


def _mb(size: int) -> str:
    return f"{size / MiB:,.0f} MB" if size >= MiB else f"{size / 1024:,.0f} KB"


def check_archive(content: bytes) -> None:
    """A workbook's archive against the limits, before any of it is unpacked or parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(NOT_A_WORKBOOK) from error
    with archive:
        if len(members) > MAX_MEMBERS:
            raise ImportFileError(
                f"{NOT_A_WORKBOOK} It holds {len(members):,} parts; a workbook has at most "
                f"{MAX_MEMBERS}."
            )
        for member in members:
            packed = max(member.compress_size, 1)
            if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * packed:
                raise ImportFileError(
                    f"The workbook was refused: its part {member.filename[:60]} unpacks from "
                    f"{_mb(packed)} to {_mb(member.file_size)}, more than {MAX_RATIO} times "
                    "its size, which is how files built to exhaust a server (zip bombs) look. "
                    "Save it again from your spreadsheet, or save it as a CSV file."
                )
            if member.file_size > MAX_PART:
                raise ImportFileError(
                    f"The workbook is too large to import: its part {member.filename[:60]} "
                    f"unpacks to {_mb(member.file_size)}, more than {_mb(MAX_PART)}: {SPLIT}"
                )
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_UNPACKED:
            raise ImportFileError(
                f"The workbook is too large to import: it unpacks to {_mb(unpacked)}, more than "
                f"{_mb(MAX_UNPACKED)}: {SPLIT}"
            )
        for name in _shared_strings_parts(archive):
            size = archive.getinfo(name).file_size
            if size > MAX_SHARED_STRINGS:
                raise ImportFileError(
                    f"The workbook is too large to import: its text (shared strings) unpacks to "
                    f"{_mb(size)}, more than {_mb(MAX_SHARED_STRINGS)}: {SPLIT}"
                )


def _shared_strings_parts(archive: zipfile.ZipFile) -> list[str]:
    """The members [Content_Types].xml names as shared strings (openpyxl reads them whole)."""
    names = set(archive.namelist())
    found = {n for n in names if n.lower().endswith("sharedstrings.xml")}
    if "[Content_Types].xml" in names:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > MAX_CONTENT_TYPES:
            raise ImportFileError(f"{NOT_A_WORKBOOK} Its list of contents is too large.")
        tree = fromstring(archive.read(info))
        for element in tree:
            if element.get("ContentType") == SHARED_STRINGS_TYPE:
                found.add((element.get("PartName") or "").lstrip("/"))
    return sorted(found & names)


def _causes(error: BaseException | None) -> Iterator[BaseException]:
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _unreadable(error: BaseException) -> ImportFileError:
    """The message for a workbook openpyxl could not parse (openpyxl wraps the XML parser's
    error in its own ValueError: the cause says what it was)."""
    causes = list(_causes(error))
    if any(isinstance(e, DefusedXmlException) for e in causes):
        return ImportFileError(
            "The workbook was refused: its XML declares entities or refers to outside "
            "resources, which are used to attack servers (XML bombs). Save it again from your "
            "spreadsheet, or save it as a CSV file."
        )
    parse_error = next((e for e in causes if isinstance(e, ParseError)), None)
    if parse_error is not None:
        return ImportFileError(
            f"{NOT_A_WORKBOOK} Its XML is damaged ({parse_error}). Save it again from your "
            "spreadsheet, or save it as a CSV file."
        )
    return ImportFileError(NOT_A_WORKBOOK)


def xlsx_rows(content: bytes, limits: Limits = LIMITS) -> Iterator[NumberedRow]:
    """Rows of the workbook's first sheet, streamed, once its archive has passed the checks.

    data_only: a formula cell gives the value Excel last calculated, never the formula.
    Rows come straight from openpyxl's sheet parser rather than iter_rows, which pads every row
    to the sheet's declared width and fills the gaps between row numbers: a one-cell sheet
    declaring A1:XFD1048576 would otherwise be a billion empty cells.
    """
    # Imported when a workbook is read: most processes never read one.
    from openpyxl import DEFUSEDXML, load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    check_archive(content)
    if not DEFUSEDXML:
        # defusedxml missing or OPENPYXL_DEFUSEDXML=False: workbooks could carry XML bombs.
        log.error("openpyxl is not using defusedxml: workbook imports are refused")
        raise ImportFileError(
            "Excel workbooks cannot be imported at the moment: save the sheet as a CSV file."
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises almost anything on a damaged file
        log.info("unreadable workbook: %r", error)
        raise _unreadable(error) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(f"{NOT_A_WORKBOOK} It has no sheet.")
        sheet = workbook.worksheets[0]
        with sheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for number, parsed in parser.parse():
                values = {c["column"]: c["value"] for c in parsed if not blank(c["value"])}
                if not values:
                    yield number, []
                    continue
                widest = max(values)
                if widest > limits.columns:
                    raise _too_wide(number, widest, limits)
                yield number, [values.get(column) for column in range(1, widest + 1)]
    except ImportFileError:
        raise
    except Exception as error:  # raised while streaming: malformed XML, a bad cell
        log.info("unreadable workbook: %r", error)
        raise _unreadable(error) from error
    finally:
        workbook.close()


# --- a whole workbook, every sheet (the plan workbook, workbook/) --------------------------------

# A plan workbook holds a sheet per record kind: the same archive checks, and these limits on
# each sheet's rows (docs/decisions/workbook.md says why these values).
WORKBOOK_LIMITS = Limits(rows=10_000, columns=60, cells=600_000, seconds=60.0)
MAX_SHEETS = 60


class Formula(str):
    """A cell holding a formula (its text, "=SUM(A1:A3)"), not a value."""

    __slots__ = ()


class CellError(str):
    """A cell holding a spreadsheet error value ("#VALUE!", "#REF!")."""

    __slots__ = ()


def read_workbook(
    name: str, content: bytes, *, limits: Limits = WORKBOOK_LIMITS
) -> dict[str, list[NumberedRow]]:
    """Every sheet's rows that are not blank, with their numbers, read within the limits: the
    archive checked before it is parsed, then each sheet streamed from openpyxl's sheet parser.

    Formulas are read as formulas (never the value Excel last calculated): a Formula cell, so
    that the caller can refuse it where a value belongs. `rows` and `columns` limit each sheet;
    `cells` and `seconds` the whole workbook.
    """
    if not (name or "").lower().endswith(".xlsx"):
        raise ImportFileError("The file must be an Excel workbook (.xlsx)")
    if len(content) > MAX_BYTES:
        raise ImportFileError("The file is larger than 5 MB: split it into smaller files")
    from openpyxl import DEFUSEDXML, load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    check_archive(content)
    if not DEFUSEDXML:
        log.error("openpyxl is not using defusedxml: workbook imports are refused")
        raise ImportFileError("Excel workbooks cannot be imported at the moment.")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises almost anything on a damaged file
        log.info("unreadable workbook: %r", error)
        raise _unreadable(error) from error
    deadline = time.monotonic() + limits.seconds
    filled_cells = 0
    sheets: dict[str, list[NumberedRow]] = {}
    try:
        if not workbook.worksheets:
            raise ImportFileError(f"{NOT_A_WORKBOOK} It has no sheet.")
        if len(workbook.worksheets) > MAX_SHEETS:
            raise ImportFileError(
                f"The workbook has {len(workbook.worksheets)} sheets: at most {MAX_SHEETS} are read"
            )
        for sheet in workbook.worksheets:
            rows: list[NumberedRow] = []
            sheets[sheet.title] = rows
            with sheet._get_source() as source:
                parser = WorkSheetParser(
                    source,
                    sheet._shared_strings,
                    data_only=False,
                    epoch=workbook.epoch,
                    date_formats=workbook._date_formats,
                    timedelta_formats=workbook._timedelta_formats,
                )
                for number, parsed in parser.parse():
                    if time.monotonic() > deadline:
                        raise ImportFileError(
                            f"The workbook took more than {limits.seconds:g} seconds to read: "
                            "split it into smaller files"
                        )
                    values = {c["column"]: _value(c) for c in parsed if not blank(c["value"])}
                    if not values:
                        continue
                    widest = max(values)
                    if widest > limits.columns:
                        raise ImportFileError(
                            f"Sheet “{sheet.title[:40]}”: " + str(_too_wide(number, widest, limits))
                        )
                    if len(rows) > limits.rows:  # the heading row and `rows` rows
                        raise ImportFileError(
                            f"Sheet “{sheet.title[:40]}” has more than {limits.rows:,} rows: "
                            "split the plan into smaller workbooks"
                        )
                    filled_cells += len(values)
                    if filled_cells > limits.cells:
                        raise ImportFileError(
                            f"The workbook has more than {limits.cells:,} cells with something "
                            "in them: split the plan into smaller workbooks"
                        )
                    if any(
                        isinstance(v, str) and len(v) > limits.cell_chars for v in values.values()
                    ):
                        raise ImportFileError(
                            f"Sheet “{sheet.title[:40]}”, row {number} has a cell longer than "
                            f"{limits.cell_chars:,} characters, more than a spreadsheet cell holds"
                        )
                    rows.append((number, [values.get(c) for c in range(1, widest + 1)]))
    except ImportFileError:
        raise
    except Exception as error:  # raised while streaming: malformed XML, a bad cell
        log.info("unreadable workbook: %r", error)
        raise _unreadable(error) from error
    finally:
        workbook.close()
    return sheets


def _value(cell: dict) -> object:
    if cell["data_type"] == "f":
        return Formula(cell["value"])
    if cell["data_type"] == "e":
        return CellError(cell["value"])
    return cell["value"]
