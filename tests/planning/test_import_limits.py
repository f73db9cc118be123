"""Imports cannot exhaust a worker: the archive checked before parsing, rows streamed within
row, column, cell and time limits, hostile or broken XML a message. Each bomb of the security
test is refused within 2 s and 200 MB, measured in a process of its own."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from planning import spreadsheets
from planning.spreadsheets import Column, ImportFileError, Layout, Limits, files
from tests.planning import bombs

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = Layout(
    columns=(
        Column("code", "kpi code", aliases=("code",)),
        Column("value", "value"),
        Column("note", "note", required=False, max_length=10, multiline=True),
        Column("name", "name", required=False, max_length=5),
    )
)
# What the refusal says, for each bomb: the user learns what was wrong with the file.
REFUSALS = {
    "sheet": "more than 100 times its size",
    "shared_strings": "more than 100 times its size",
    "large_sheet": "unpacks to 24 MB, more than 20 MB",
    "many_shared_strings": "its text (shared strings) unpacks to 6 MB, more than 4 MB",
    "billion_laughs": "declares entities",
    "billion_laughs_in_styles": "declares entities",
    "external_entity": "declares entities",
    "malformed_rows": "Its XML is damaged",
    "dimension": "Row 1048576 has something in column XFD",
}
SECONDS, MEGABYTES = 2.0, 200


@pytest.fixture(scope="session")
def bomb_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    paths = {}
    for name in bombs.BOMBS:
        paths[name] = folder / f"{name}.xlsx"
        paths[name].write_bytes(bombs.build(name))
    return paths


def measure(path: Path, name: str = "upload.xlsx") -> dict:
    """The read in a fresh process (tests/planning/measure_read.py): its outcome, seconds and
    the megabytes it added to the process's peak resident memory."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.planning.measure_read", str(path), name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,  # a reader without the limits takes minutes: it fails here instead
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


class TestBombs:
    def test_the_bombs_are_what_the_security_test_sent(self, bomb_files):
        sizes = {}
        for name in ("sheet", "shared_strings"):
            with zipfile.ZipFile(bomb_files[name]) as archive:
                sizes[name] = (
                    bomb_files[name].stat().st_size,
                    max(i.file_size for i in archive.infolist()),
                )
        assert sizes["sheet"][0] < 0.8 * bombs.MB and sizes["sheet"][1] > 299 * bombs.MB
        assert sizes["shared_strings"][0] < 0.35 * bombs.MB
        assert sizes["shared_strings"][1] > 100 * bombs.MB

    @pytest.mark.parametrize("bomb", sorted(REFUSALS))
    def test_refused_within_two_seconds_and_200_mb(self, bomb_files, bomb):
        figures = measure(bomb_files[bomb])
        print(f"{bomb}: {json.dumps(figures)}")  # the figures, with pytest -s
        assert figures["outcome"] == "refused", figures["message"]
        assert REFUSALS[bomb] in figures["message"]
        assert figures["seconds"] < SECONDS
        assert figures["extra_mb"] < MEGABYTES

    def test_a_full_workbook_within_the_limits_is_read(self, tmp_path):
        # 10,000 rows of 7 columns, as a budget import could have: the limits leave room.
        rows = [["type", "partner", "service line", "manager", "description", "month", "amount"]]
        rows += [
            ["expenditure", "", "", f"Manager {n % 50}", f"Line {n}", "2006-09", 1234.5 + n]
            for n in range(files.MAX_ROWS)
        ]
        path = tmp_path / "full.xlsx"
        path.write_bytes(workbook(rows))
        figures = measure(path)
        print(f"full workbook: {json.dumps(figures)}")
        assert (figures["outcome"], figures["message"]) == ("read", f"{files.MAX_ROWS + 1} rows")

    def test_malformed_xml_met_while_streaming_rows_is_a_message(self, bomb_files):
        # The ParseError came from iter_rows, outside the try around load_workbook: a 500.
        with pytest.raises(ImportFileError, match="Its XML is damaged"):
            spreadsheets.read_table("m.xlsx", bomb_files["malformed_rows"].read_bytes(), LAYOUT)

    def test_openpyxl_parses_with_defusedxml(self):
        from openpyxl import DEFUSEDXML

        assert DEFUSEDXML is True

    def test_without_defusedxml_workbooks_are_refused(self, monkeypatch):
        import openpyxl

        monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
        with pytest.raises(ImportFileError, match="save the sheet as a CSV file"):
            spreadsheets.read_table("m.xlsx", bombs.base_workbook(), LAYOUT)


def workbook(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_BOOK = [["kpi code", "value"], ["L1", 1], ["L2", 2]]


class TestArchiveLimits:
    """Each archive limit on its own, lowered so that an ordinary workbook passes it."""

    def test_an_ordinary_workbook_passes(self):
        spreadsheets.check_archive(workbook(GOOD_BOOK))
        assert len(spreadsheets.read_table("m.xlsx", workbook(GOOD_BOOK), LAYOUT).rows) == 2

    @pytest.mark.parametrize(
        ("limit", "value", "message"),
        [
            ("MAX_MEMBERS", 3, "parts; a workbook has at most 3"),
            ("MAX_PART", 4096, "unpacks to 10 KB, more than 4 KB"),
            ("MAX_UNPACKED", 8192, "it unpacks to"),
        ],
    )
    def test_limits(self, monkeypatch, limit, value, message):
        monkeypatch.setattr(files, limit, value)
        with pytest.raises(ImportFileError, match=message):
            spreadsheets.read_table("m.xlsx", workbook(GOOD_BOOK), LAYOUT)

    def test_shared_strings_found_through_the_content_types(self, monkeypatch):
        content = bombs.replace_parts(
            workbook(GOOD_BOOK),
            {
                "[Content_Types].xml": [
                    zipfile.ZipFile(io.BytesIO(workbook(GOOD_BOOK)))
                    .read("[Content_Types].xml")
                    .replace(
                        b"</Types>",
                        bombs.SHARED_STRINGS_OVERRIDE.replace(b"sharedStrings", b"words", 1)
                        + b"</Types>",
                    )
                ],
                "xl/words.xml": [
                    b"<sst " + bombs.MAIN + b">" + b"<si><t>a</t></si>" * 400 + b"</sst>"
                ],
            },
        )
        monkeypatch.setattr(files, "MAX_SHARED_STRINGS", 1024)
        with pytest.raises(ImportFileError, match="its text \\(shared strings\\) unpacks to 7 KB"):
            spreadsheets.check_archive(content)

    def test_not_a_zip(self):
        with pytest.raises(ImportFileError, match="Excel workbook"):
            spreadsheets.check_archive(b"PK\x03\x04 not really")


class TestRowLimits:
    """Rows, columns, cells, cell length and time: the same on the CSV and the workbook path."""

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_a_cell_past_the_last_column_is_refused(self, kind):
        rows = [["kpi code", "value"], ["L1", 1, *[""] * 100, "far"]]
        with pytest.raises(ImportFileError, match="Row 2 has something in column CY"):
            read(kind, rows)

    def test_empty_cells_past_the_last_column_are_ignored(self):
        text = "kpi code,value\nL1,1" + "," * 100_000 + "\n"
        table = spreadsheets.read_table("m.csv", text.encode(), LAYOUT)
        assert [r["code"] for r in table.rows] == ["L1"]

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    @pytest.mark.parametrize(
        ("limits", "message"),
        [
            (Limits(rows=1), "more than 1 rows"),
            (Limits(columns=1), "Row 1 has something in column B"),
            (Limits(cells=5), "more than 5 cells"),
            (Limits(cell_chars=8), "Row 3 has a cell longer than 8 characters"),
            (Limits(seconds=-1), "took more than -1 seconds to read"),
        ],
    )
    def test_limits(self, kind, limits, message):
        rows = [["kpi code", "value"], ["L1", 1], ["L2", "222222222"]]
        with pytest.raises(ImportFileError, match=message):
            read(kind, rows, limits=limits)

    def test_a_csv_of_only_separators_is_refused_quickly(self):
        with pytest.raises(ImportFileError, match="The file is empty"):
            spreadsheets.read_table("m.csv", b"\n" * (files.MAX_BYTES - 1), LAYOUT)
        with pytest.raises(ImportFileError, match="more than"):
            spreadsheets.read_table("m.csv", b"kpi code,value\n" + b"1,1\n" * 120_000, LAYOUT)

    def test_sparse_rows_keep_their_numbers_without_filling_the_gaps(self):
        sheet = (
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>kpi code</t></is></c>'
            b'<c r="B1" t="inlineStr"><is><t>value</t></is></c></row>'
            b'<row r="900000"><c r="A900000" t="inlineStr"><is><t>L1</t></is></c>'
            b'<c r="B900000"><v>5</v></c></row>'
        )
        content = bombs.replace_parts(
            bombs.base_workbook(),
            {
                "xl/worksheets/sheet1.xml": [
                    b"<worksheet "
                    + bombs.MAIN
                    + b"><sheetData>"
                    + sheet
                    + b"</sheetData></worksheet>"
                ]
            },
        )
        table = spreadsheets.read_table("m.xlsx", content, LAYOUT)
        assert [(r.number, r["code"], r["value"]) for r in table.rows] == [(900000, "L1", 5)]


def read(kind, rows, **kwargs):
    if kind == "xlsx":
        content = workbook(rows)
    else:
        content = "\n".join(",".join(str(c) for c in row) for row in rows).encode()
    return spreadsheets.read_table(f"m.{kind}", content, LAYOUT, **kwargs)


class TestWhatTheDatabaseRefuses:
    """Found by the pipeline, per cell, named by column, for every import."""

    @pytest.mark.parametrize(
        ("cell", "shown"),
        [("L\x001", "U+0000"), ("L\x07", "U+0007"), ("\x7f", "U+007F"), ("a\x85b", "U+0085")],
    )
    def test_control_characters_are_row_problems(self, cell, shown):
        table = spreadsheets.read_table("m.csv", f"kpi code,value\n{cell},1\n".encode(), LAYOUT)
        assert table.rows[0].problems == (
            f"kpi code contains a control character ({shown}), which cannot be stored: delete it",
        )

    def test_tabs_and_line_breaks_are_text(self):
        table = spreadsheets.read_table(
            "m.csv", b'kpi code,value,note\n"L\t1",1,"two\r\nlines"\n', LAYOUT
        )
        assert table.rows[0].problems == ()

    def test_text_longer_than_the_column_holds(self):
        table = spreadsheets.read_table(
            "m.csv", b"kpi code,value,note,name\nL1,1,  0123456789  ,abc   def\n", LAYOUT
        )
        # Measured as stored: the note trimmed at its ends, the name as one line.
        assert table.rows[0].problems == ("name is 7 characters long: at most 5 fit",)
        table = spreadsheets.read_table("m.csv", b"kpi code,value,note\nL1,1,01234567890\n", LAYOUT)
        assert table.rows[0].problems == ("note is 11 characters long: at most 10 fit",)
