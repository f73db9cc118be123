"""Hypothesis strategies for import cells, and the files they go into (CSV and XLSX).

A cell is often what the column expects (so rows get past the first check and reach the
deeper ones) and otherwise anything a file can hold: text with control characters, huge
strings, odd numbers, dates, formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Modest and repeatable in CI: the same examples every run, no example database, no deadline
# (a request renders a page; the machine may be busy).
IMPORTS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the client and the database, shared on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

ODD_NUMBERS = [
    "190,1", "1,2,3", "1,234", "1,234.5", "12,34.5", ",5", "1e9999999", "1e-9999999",
    "-0", "NaN", "Infinity", "-inf", "1_000", "٣", "１２", "0x10", "(5)", "£-5", "-£5", "£",
    "1.23456", "99999999999999", "0.00001", " 7 ", "5%", "1 234", "1.2.3", "+1", "--1",
]  # fmt: skip
# What reached a 500 before: a NUL byte, text past a column's max_length, an exponent that
# overflowed the decimal context, a cell past Excel's own limit.
KNOWN_BAD = ["a\x00b", "\x00", "\x1b[31m", "M" * 121, "D" * 201, "1e9999999", "x" * 33_000]
FORMULAS = ["=1+1", '=HYPERLINK("http://example.com","x")', "@SUM(A1)", "+1", "-1", "'=1", "\t=1"]

control_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30
)
huge_text = st.builds(
    lambda character, count: character * count,
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
    st.sampled_from([121, 201, 5_000, 33_000]),  # past the columns, past a cell
)
numbers = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers().map(str),
)
dates_as_text = st.dates().map(dt.date.isoformat) | st.dates().map(lambda d: d.strftime("%d/%m/%Y"))
wild = st.one_of(
    st.sampled_from(KNOWN_BAD),
    control_text,
    huge_text,
    numbers,
    dates_as_text,
    st.sampled_from(FORMULAS),
    st.none(),
)
# What only a workbook holds: numbers, dates and booleans as such.
native = st.one_of(
    st.floats(allow_nan=False),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
    st.booleans(),
)


def cell(*expected) -> st.SearchStrategy:
    """A cell of a column whose good values are `expected`: mostly one of those."""
    good = st.sampled_from(expected)
    return st.one_of(good, good, good, wild)


def csv_upload(header: list[str], rows: list[list[object]]) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return SimpleUploadedFile("fuzz.csv", out.getvalue().encode("utf-8"))


def _storable(value):
    # XML 1.0 cannot hold most control characters: openpyxl refuses to write them.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_upload(header: list[str], rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([_storable(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("fuzz.xlsx", out.getvalue())


UPLOADS = {"csv": csv_upload, "xlsx": xlsx_upload}


def rows_of(*good: tuple[object, ...], xlsx: bool) -> st.SearchStrategy:
    """One to three rows for columns whose good values are `good` (one tuple a column), of two
    kinds: every cell drawn from the good values or anything (in a workbook, sometimes a native
    number, date or boolean); or good rows with exactly one cell anything, which takes that
    cell past every other check to the write, where the database has its say."""
    anything = st.one_of(wild, native) if xlsx else wild
    mixed = st.tuples(*(st.one_of(cell(*g), native) if xlsx else cell(*g) for g in good))
    mixed_rows = st.lists(mixed.map(list), min_size=1, max_size=3)
    good_rows = st.lists(
        st.tuples(*(st.sampled_from(g) for g in good)).map(list), min_size=1, max_size=3
    )

    def one_changed(drawn):
        rows, row, column, value = drawn
        rows[row % len(rows)][column] = value
        return rows

    one_wild = st.tuples(good_rows, st.integers(0, 2), st.integers(0, len(good) - 1), anything).map(
        one_changed
    )
    return st.one_of(mixed_rows, one_wild)
