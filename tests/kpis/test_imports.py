"""Bulk import of measurements from CSV and XLSX: all or nothing, every bad row reported,
an upsert that changes nothing the second time."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from kpis import imports
from kpis.models import Measurement
from tests.factories import (
    KPIFactory,
    MeasurementFactory,
    PlanFactory,
    UserFactory,
    reopen_reported_quarters,
)

TODAY = dt.date(2008, 6, 1)
HEADER = ["kpi code", "period", "value", "commentary"]


def csv_bytes(rows, header=HEADER) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FILES = {"csv": csv_bytes, "xlsx": xlsx_bytes}


@pytest.fixture
def world(db):
    plan = PlanFactory()
    reopen_reported_quarters(plan)  # 2006/07 locked long ago: reopened, as a planner would
    return {
        "plan": plan,
        "quarterly": KPIFactory(plan=plan, code="L2", frequency="quarterly", unit="%"),
        "monthly": KPIFactory(plan=plan, code="P1", frequency="monthly", perspective="P"),
        "annual": KPIFactory(plan=plan, code="L4", frequency="annual"),
        "user": UserFactory(),
    }


def run(world, kind, rows, header=HEADER):
    parsed = imports.read_file(f"measurements.{kind}", FILES[kind](rows, header))
    return imports.import_measurements(world["plan"], parsed, by=world["user"], today=TODAY)


GOOD = [
    ["L2", "2006-Q1", "57.5", "Before the action plan"],
    ["L2", "2006-Q2", "84.25", ""],
    ["P1", "2006-04", "4.7", "April"],
    ["l4", "2006/07", "3.52", ""],  # codes are matched whatever their case
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
class TestGoodFiles:
    def test_creates_every_row(self, world, kind):
        result = run(world, kind, GOOD)
        assert result.ok
        assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
        l2 = {m.period_start: m for m in Measurement.objects.filter(kpi=world["quarterly"])}
        assert l2[dt.date(2006, 4, 1)].value == D("57.5")
        assert l2[dt.date(2006, 4, 1)].commentary == "Before the action plan"
        assert l2[dt.date(2006, 7, 1)].value == D("84.25")
        assert l2[dt.date(2006, 7, 1)].created_by == world["user"]
        assert Measurement.objects.get(kpi=world["monthly"]).period_start == dt.date(2006, 4, 1)
        assert Measurement.objects.get(kpi=world["annual"]).value == D("3.52")

    def test_importing_the_same_file_twice_changes_nothing(self, world, kind):
        run(world, kind, GOOD)
        before = list(Measurement.objects.order_by("pk").values())
        history = Measurement.history.count()
        result = run(world, kind, GOOD)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
        assert list(Measurement.objects.order_by("pk").values()) == before
        assert Measurement.history.count() == history

    def test_a_changed_value_or_commentary_is_an_update(self, world, kind):
        run(world, kind, GOOD)
        changed = [list(GOOD[0]), list(GOOD[1]), *GOOD[2:]]
        changed[0][2] = "60"
        changed[1][3] = "Action plan launched"
        result = run(world, kind, changed)
        assert (result.created, result.updated, result.unchanged) == (0, 2, 2)
        m = Measurement.objects.get(kpi=world["quarterly"], period_start=dt.date(2006, 4, 1))
        assert m.value == D("60") and m.version == 2
        assert m.history.first().history_user == world["user"]
        assert str(result) == "0 created, 2 updated, 2 unchanged"

    def test_blank_rows_are_skipped(self, world, kind):
        result = run(world, kind, [GOOD[0], ["", "", "", ""], GOOD[1]])
        assert result.ok and result.created == 2


class TestXlsxCells:
    def test_numbers_and_dates_as_excel_stores_them(self, world):
        rows = [
            ["P1", dt.datetime(2006, 5, 1), 4.25, None],  # Excel turned "2006-05" into a date
            ["L2", "2006-Q3", 83, None],
        ]
        result = run(world, "xlsx", rows)
        assert result.ok, result.errors
        assert Measurement.objects.get(kpi=world["monthly"]).value == D("4.25")
        assert Measurement.objects.get(kpi=world["quarterly"]).value == D("83")

    def test_wrong_types_are_reported(self, world):
        rows = [
            ["L2", "2006-Q1", True, ""],
            ["L2", "2006-Q2", dt.datetime(2006, 4, 1), ""],
            ["P1", dt.datetime(2006, 5, 17), 4, ""],
        ]
        result = run(world, "xlsx", rows)
        reasons = {e.row: e.reason for e in result.errors}
        assert "is not a number" in reasons[2]
        assert "is not a number" in reasons[3]
        assert "is a date" in reasons[4]
        assert not Measurement.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
class TestBadRows:
    def test_every_bad_row_listed_with_its_number_and_reason(self, world, kind):
        rows = [
            ["L2", "2006-Q1", "57", ""],  # row 2: good
            ["X9", "2006-Q1", "5", ""],  # 3: unknown code
            ["L2", "2006-Q7", "5", ""],  # 4: bad period
            ["L2", "2006-04", "5", ""],  # 5: a month for a quarterly KPI
            ["L2", "2006-Q2", "abc", ""],  # 6: not a number
            ["L2", "2006-Q1", "58", ""],  # 7: duplicate of row 2
            ["", "2006-Q3", "", ""],  # 8: no code, no value
            ["L2", "2030-Q1", "5", ""],  # 9: not started
            ["L2", "2006-Q4", "1.23456", ""],  # 10: too many places
            ["P1", "2006/07", "4", ""],  # 11: a year for a monthly KPI
        ]
        result = run(world, kind, rows)
        assert not result.ok
        reasons = {e.row: e.reason for e in result.errors}
        assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
        assert "Unknown KPI code “X9”" in reasons[3]
        assert "is not a month" in reasons[4]
        assert "is a month but the KPI is measured quarterly" in reasons[5]
        assert "Value “abc” is not a number" in reasons[6]
        assert "Duplicate: row 2 already gives L2 for Q1 2006/07" in reasons[7]
        assert "KPI code is missing" in reasons[8] and "value is missing" in reasons[8].lower()
        assert "has not started yet" in reasons[9]
        assert "more than 4 decimal places" in reasons[10]
        assert "is a financial year but the KPI is measured monthly" in reasons[11]
        # All or nothing: the good row was not imported either.
        assert not Measurement.objects.exists()

    def test_mixed_file_leaves_existing_measurements_alone(self, world, kind):
        MeasurementFactory(kpi=world["quarterly"], period_start=dt.date(2006, 4, 1), value=D("1"))
        rows = [["L2", "2006-Q1", "57", ""], ["L2", "2006-Q2", "84", ""], ["L2", "oops", "1", ""]]
        result = run(world, kind, rows)
        assert [e.row for e in result.errors] == [4]
        assert list(Measurement.objects.values_list("value", flat=True)) == [D("1")]

    def test_duplicates_in_the_file_written_differently(self, world, kind):
        rows = [["L2", "2006-Q1", "57", ""], ["l2", "2006-q1", "57", ""]]
        result = run(world, kind, rows)
        assert [e.row for e in result.errors] == [3]
        assert "duplicate" in result.errors[0].reason.lower()


class TestFiles:
    def test_missing_columns(self, world):
        with pytest.raises(imports.ImportFileError, match="no column for: value"):
            imports.read_file("m.csv", csv_bytes([["L2", "2006-Q1"]], header=["code", "period"]))

    def test_columns_in_any_order_and_commentary_optional(self, world):
        MeasurementFactory(
            kpi=world["quarterly"], period_start=dt.date(2006, 4, 1), commentary="Keep me"
        )
        parsed = imports.read_file(
            "m.csv", csv_bytes([["5", "2006-Q1", "L2"]], header=["Value", "Period", "KPI_Code"])
        )
        assert "commentary" not in parsed.columns
        result = imports.import_measurements(world["plan"], parsed, by=None, today=TODAY)
        assert result.updated == 1
        assert Measurement.objects.get().commentary == "Keep me"

    def test_wrong_file_type_or_unreadable_workbook(self, world):
        with pytest.raises(imports.ImportFileError, match="CSV file"):
            imports.read_file("m.txt", b"kpi code,period,value")
        with pytest.raises(imports.ImportFileError, match="Excel workbook"):
            imports.read_file("m.xlsx", b"not a zip file")
        with pytest.raises(imports.ImportFileError, match="first row"):
            imports.read_file("m.csv", b"")

    def test_windows_csv_and_thousands_separators(self, world):
        content = 'kpi code,period,value,commentary\r\nL2,2006-Q1,"1,250.5",Café\r\n'
        parsed = imports.read_file("m.csv", content.encode("cp1252"))
        result = imports.import_measurements(world["plan"], parsed, by=None, today=TODAY)
        assert result.ok
        m = Measurement.objects.get()
        assert (m.value, m.commentary) == (D("1250.5"), "Café")

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("1,5", "decimal commas are not accepted, write 1.5 with a point"),
            ("190,1", "decimal commas are not accepted, write 190.1 with a point"),
            ("1,2,3", "misplaced thousands separators are not accepted"),
        ],
    )
    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_a_decimal_comma_is_refused(self, world, kind, value, reason):
        # Never 1901 for "190,1" nor 123 for "1,2,3".
        result = run(world, kind, [["L2", "2006-Q1", value, ""]])
        assert [e.row for e in result.errors] == [2]
        assert result.errors[0].reason.startswith(f"Value “{value}” is not a number: {reason}")
        assert not Measurement.objects.exists()

    def test_an_unquoted_decimal_comma_is_refused(self, world):
        content = b"kpi code,period,value\r\nL2,2006-Q1,1,5\r\n"
        result = imports.import_measurements(
            world["plan"], imports.read_file("m.csv", content), by=None, today=TODAY
        )
        assert "The row has 4 cells but there are 3 headings" in result.errors[0].reason
        assert not Measurement.objects.exists()

    @pytest.mark.parametrize(("value", "stored"), [("1,234", D("1234")), ("1,234.5", D("1234.5"))])
    def test_thousands_separators_are_accepted(self, world, value, stored):
        assert run(world, "xlsx", [["L2", "2006-Q1", value, ""]]).ok
        assert Measurement.objects.get().value == stored

    def test_another_plans_codes_are_unknown(self, world):
        KPIFactory(code="F9")  # another plan's KPI
        result = run(world, "csv", [["F9", "2006-Q1", "1", ""]])
        assert "Unknown KPI code" in result.errors[0].reason
