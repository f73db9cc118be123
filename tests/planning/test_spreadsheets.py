"""The one spreadsheet pipeline: cell parsers, limits, heading matching, all or nothing and the
formula guard shared by every import and export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from budgets import imports as budget_imports
from objectives import exports
from planning import fy, spreadsheets
from planning.models import Organisation
from planning.spreadsheets import Column, ImportFileError, Layout
from tests.factories import OrganisationFactory

LAYOUT = Layout(
    columns=(
        Column("code", "kpi code", aliases=("code",)),
        Column("value", "value"),
        Column("note", "note", required=False),
    )
)


def read(text: str, layout=LAYOUT, name="f.csv", **kwargs):
    return spreadsheets.read_table(name, text.encode("utf-8"), layout, **kwargs)


class TestNumbers:
    @pytest.mark.parametrize(
        ("cell", "value"),
        [
            ("1,234", D("1234")),
            ("1,234.5", D("1234.5")),
            ("-1,234,567.25", D("-1234567.25")),
            (" 12 ", D("12")),
            (4.25, D("4.25")),
            (83, D("83")),
        ],
    )
    def test_accepted(self, cell, value):
        assert spreadsheets.parse_number(cell) == value

    @pytest.mark.parametrize(
        ("cell", "point"), [("1,5", "1.5"), ("190,1", "190.1"), (",5", ".5"), ("1,2345", "1.2345")]
    )
    def test_a_decimal_comma_is_refused_never_read_as_thousands(self, cell, point):
        with pytest.raises(ValueError) as refused:
            spreadsheets.parse_number(cell)
        assert str(refused.value) == (
            f"“{cell}” is not a number: decimal commas are not accepted, write {point} with a "
            "point (commas only go between thousands, like 1,234.5)"
        )

    @pytest.mark.parametrize("cell", ["1,2,3", "12,34.5", "1,23,456", "1,234,56", "1,,234"])
    def test_separators_out_of_the_thousands_positions_are_refused(self, cell):
        with pytest.raises(ValueError, match="misplaced thousands separators are not accepted"):
            spreadsheets.parse_number(cell)

    @pytest.mark.parametrize(
        ("cell", "reason"),
        [("1e9999999", "too large"), ("1e-9999999", "more than 4 decimal places")],
    )
    def test_extreme_exponents_are_refused_not_overflowed(self, cell, reason):
        # The decimal context used to overflow (a 500) or round these to a value.
        with pytest.raises(ValueError, match=reason):
            spreadsheets.parse_number(cell, places=4, below=D(10) ** 10)

    @pytest.mark.parametrize(
        ("cell", "reason"),
        [
            ("abc", "is not a number"),
            ("NaN", "is not a number"),
            (True, "is not a number"),
            (dt.date(2006, 4, 1), "is not a number"),
            ("1.23456", "more than 4 decimal places"),
            ("1e12", "too large"),
        ],
    )
    def test_refused(self, cell, reason):
        with pytest.raises(ValueError, match=reason):
            spreadsheets.parse_number(cell, places=4, below=D(10) ** 10)

    @pytest.mark.parametrize("cell", [None, "", "  "])
    def test_missing(self, cell):
        with pytest.raises(spreadsheets.MissingCell):
            spreadsheets.parse_number(cell)


class TestMoney:
    def test_pounds_and_pence(self):
        assert spreadsheets.parse_money("£1,234.5") == D("1234.50")
        assert spreadsheets.parse_money(0.1 + 0.2) == D("0.30")

    @pytest.mark.parametrize(
        ("cell", "reason"),
        [
            ("1,5", "decimal commas are not accepted, write 1.5"),
            ("190,1", "decimal commas are not accepted, write 190.1"),
            ("1,2,3", "misplaced thousands separators"),
            (1e308, "too large"),
            ("1e9999999", "too large"),
            ("-£5", "negative"),
            ("1.005", "more than 2 digits"),
            ("1,000,000,000,000", "too large"),
            (dt.datetime(2006, 4, 1), "not an amount"),
        ],
    )
    def test_refused(self, cell, reason):
        with pytest.raises(ValueError, match=reason):
            spreadsheets.parse_money(cell)

    def test_money_text_is_the_forms_reading_too(self):
        assert spreadsheets.money_text(" £1,234.50 ") == "1234.50"
        with pytest.raises(ValueError):
            spreadsheets.money_text("1,5")


class TestMonthsAndQuarters:
    @pytest.mark.parametrize(
        "cell",
        ["2006-09", "2006-9", "2006-09-17", "17/09/2006", "Sep 2006", "September 2006", "09/2006"],
    )
    def test_month_cells(self, cell):
        assert spreadsheets.parse_month(cell) == dt.date(2006, 9, 1)

    def test_date_cells_are_their_month(self):
        assert spreadsheets.parse_month(dt.datetime(2006, 9, 17, 12)) == dt.date(2006, 9, 1)
        assert spreadsheets.parse_month(dt.date(2006, 9, 30)) == dt.date(2006, 9, 1)

    def test_not_a_month(self):
        with pytest.raises(ValueError, match="“someday” is not a month: write it like 2006-09"):
            spreadsheets.parse_month("someday")
        with pytest.raises(spreadsheets.MissingCell):
            spreadsheets.parse_month("")

    def test_the_written_forms_have_one_parser_each(self):
        assert fy.parse_month(" 2007-03 ") == dt.date(2007, 3, 1)
        assert fy.parse_fy("2006/07") == 2006
        assert fy.Quarter.parse("2006-q3") == fy.Quarter(2006, 3)
        for parse, bad in [
            (fy.parse_month, "2006-13"),
            (fy.parse_month, "1066-10"),
            (fy.parse_fy, "2006/08"),
            (fy.Quarter.parse, "2006-Q5"),
            (fy.Quarter.parse, "Q1 2006"),
        ]:
            with pytest.raises(ValueError, match="is not a"):
                parse(bad)


class TestHeadings:
    def test_any_order_case_and_separator_and_aliases(self):
        table = read("Note,VALUE,kpi_code\nhello,5,L2\n")
        assert table.columns == {"code", "value", "note"}
        [row] = table.rows
        assert (row.number, row["code"], row["value"], row["note"]) == (2, "L2", "5", "hello")
        assert read("Code , value\nL2,5\n").rows[0]["code"] == "L2"

    def test_first_heading_wins_and_others_are_ignored(self):
        [row] = read("code,value,value,colour\nL2,1,2,red\n").rows
        assert row.cells == {"code": "L2", "value": "1"}

    def test_optional_columns_may_be_absent(self):
        table = read("code,value\nL2,5\n")
        assert "note" not in table.columns
        assert table.rows[0]["note"] is None

    def test_missing_columns_are_named(self):
        with pytest.raises(ImportFileError, match="no column for: value. The first row must"):
            read("code,colour\nL2,red\n")

    def test_empty_files_and_files_without_rows(self):
        with pytest.raises(ImportFileError, match="kpi code, value and \\(optionally\\) note"):
            read("")
        with pytest.raises(ImportFileError, match="heading row but no rows"):
            read("code,value\n,\n")

    def test_blank_rows_skipped_but_row_numbers_kept(self):
        table = read("code,value\nL2,1\n,\nL3,2\n")
        assert [r.number for r in table.rows] == [2, 4]

    def test_more_cells_than_headings(self):
        [row] = read("code,value\nL2,1,5\n").rows
        assert row.problems == (
            "the row has 3 cells but there are 2 headings: in a CSV file, put a number written "
            'with commas in quotes, like "1,234"',
        )

    def test_guarded_cells_are_read_as_written(self):
        [row] = read("code,value\n'=L2,'-5\n").rows
        assert (row["code"], row["value"]) == ("=L2", "-5")


class TestLimits:
    def test_too_many_rows(self):
        body = "".join(f"L{n},1\n" for n in range(4))
        assert len(read("code,value\n" + body, max_rows=4).rows) == 4
        with pytest.raises(ImportFileError, match="more than 3 rows"):
            read("code,value\n" + body, max_rows=3)

    def test_blank_rows_do_not_count(self):
        assert len(read("code,value\nL1,1\n,\n,\nL2,2\n", max_rows=2).rows) == 2

    def test_file_type_and_size(self):
        with pytest.raises(ImportFileError, match="must be a CSV file or an Excel workbook"):
            spreadsheets.check_upload("plan.pdf", 10)
        with pytest.raises(ImportFileError, match="larger than 5 MB"):
            spreadsheets.check_upload("plan.csv", spreadsheets.MAX_BYTES + 1)
        spreadsheets.check_upload("PLAN.XLSX", spreadsheets.MAX_BYTES)

    def test_unreadable_files(self):
        with pytest.raises(ImportFileError, match="could not be read as an Excel workbook"):
            spreadsheets.read_table("f.xlsx", b"not a zip", LAYOUT)
        with pytest.raises(ImportFileError, match="could not be read as text"):
            spreadsheets.read_table("f.csv", b"\x81\x8d\x8f\x90\x9d", LAYOUT)


def _check(row, reasons):
    value = spreadsheets.check_cell(row, "value", spreadsheets.parse_number, reasons, title="value")
    return (row["code"], value)


@pytest.mark.django_db
class TestAllOrNothing:
    def test_every_bad_row_reported_and_nothing_written(self):
        table = read("code,value\nA,1\nB,x\nC,\nD,1,5\n")

        def write(records, result):
            raise AssertionError("nothing is written when a row is bad")

        result = spreadsheets.import_rows(table, check=_check, write=write)
        assert not result.ok and result.rows == 4
        assert [(e.row, e.reasons) for e in result.errors] == [
            (3, ("Value “x” is not a number",)),
            (4, ("Value is missing",)),
            (
                5,
                (
                    "The row has 3 cells but there are 2 headings: in a CSV file, put a number "
                    'written with commas in quotes, like "1,234"',
                ),
            ),
        ]

    def test_a_failing_write_undoes_every_row(self):
        table = read("code,value\nA,1\nB,2\n")

        def write(records, result):
            for code, _value in records:
                OrganisationFactory(name=f"Org {code}")
            raise RuntimeError("the database refused the second row")

        before = Organisation.objects.count()
        with pytest.raises(RuntimeError):
            spreadsheets.import_rows(table, check=_check, write=write)
        assert Organisation.objects.count() == before

    def test_good_rows_are_written(self):
        table = read("code,value\nA,1\nB,2\n")
        written = []

        def write(records, result):
            written.extend(records)
            result.created = len(records)

        result = spreadsheets.import_rows(table, check=_check, write=write)
        assert result.ok and str(result) == "2 created, 0 updated, 0 unchanged"
        assert written == [("A", D(1)), ("B", D(2))]


class TestFormulaGuard:
    @pytest.mark.parametrize(
        "text", ["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx", "\nx", "＝1", "＋1", "－1", "＠x"]
    )
    def test_triggers_are_prefixed_and_read_back(self, text):
        guarded = spreadsheets.neutralise(text)
        assert guarded == "'" + text
        assert spreadsheets.unguard(guarded) == text

    @pytest.mark.parametrize("value", ["Plain", "'quoted", "", 5, None, "1=1"])
    def test_everything_else_is_left_alone(self, value):
        assert spreadsheets.neutralise(value) == value
        assert spreadsheets.unguard(value) == value

    def test_one_set_for_every_export_and_import_template(self):
        assert exports.neutralise is spreadsheets.neutralise
        assert budget_imports.neutralise is spreadsheets.neutralise
