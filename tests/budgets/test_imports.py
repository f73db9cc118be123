"""Importing lines and actuals: every bad row listed by number and reason, nothing imported
unless every row is good, and importing the same file twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from budgets.models import BudgetYear, ExpenditureLine, IncomeLine, MonthlyActual
from tests.budgets.helpers import page_text

D = Decimal
LINES_HEADER = "type,partner,service line,manager,description,amount\n"
ACTUALS_HEADER = "type,partner,service line,manager,description,month,amount\n"


def csv_file(text: str, name="budget.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="budget.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def url(plan, year=2006):
    return reverse("budgets:import", args=[plan.slug, year])


def post(client, plan, kind, upload):
    return client.post(url(plan), {"kind": kind, "file": upload})


def snapshot():
    return (
        sorted(IncomeLine.objects.values_list("funder_label", "service_line__name", "amount")),
        sorted(ExpenditureLine.objects.values_list("manager", "description", "amount")),
        sorted(MonthlyActual.objects.values_list("month", "amount")),
        IncomeLine.history.count()
        + ExpenditureLine.history.count()
        + MonthlyActual.history.count(),
    )


GOOD_LINES = (
    LINES_HEADER
    + 'income,Croydon PCT,Estates Services,,,"20,000"\n'
    + "income,Croydon PCT,Management Services,,,210000\n"  # changes 203,500
    + "Income,croydon-pct,Shared Services,,,12000\n"  # as it is: unchanged
    + "expenditure,,,Head of Services,Transport,438376\n"  # unchanged
    + 'expenditure,,,Head of Services,Catering,"£1,500.50"\n'  # new
)


@pytest.mark.django_db
class TestImportLines:
    def test_imports_and_reimporting_changes_nothing(self, client, ssp_plan, ssp_planner):
        client.force_login(ssp_planner)
        response = post(client, ssp_plan, "lines", csv_file(GOOD_LINES))
        assert response.status_code == 302
        croydon = IncomeLine.objects.filter(plan=ssp_plan, funder_label="Croydon PCT")
        assert croydon.get(service_line__name="Estates Services").amount == D(20000)
        assert croydon.get(service_line__name="Management Services").amount == D(210000)
        catering = ExpenditureLine.objects.get(description="Catering")
        assert (catering.manager, catering.amount, catering.order) == (
            "Head of Services",
            D("1500.50"),
            13,
        )
        assert croydon.get(service_line__name="Estates Services").funder.slug == "croydon-pct"
        messages = page_text(client.get(response["Location"]))
        assert "Imported 5 rows: 1 added, 2 changed, 2 already as in the file." in messages
        version = BudgetYear.objects.get(plan=ssp_plan).version

        before = snapshot()
        response = post(client, ssp_plan, "lines", csv_file(GOOD_LINES))
        assert response.status_code == 302
        assert snapshot() == before  # not even a history record
        assert BudgetYear.objects.get(plan=ssp_plan).version == version
        follow = page_text(client.get(response["Location"]))
        assert "0 added, 0 changed, 5 already as in the file" in follow

    def test_the_template_imports_back_unchanged(self, client, ssp_plan, ssp_planner):
        client.force_login(ssp_planner)
        template = client.get(
            reverse("budgets:import_template", args=[ssp_plan.slug, 2006, "lines"])
        )
        assert template["Content-Type"].startswith("text/csv")
        body = template.content.decode()
        assert body.startswith("type,partner,service line,manager,description,amount")
        assert "income,Croydon PCT,Estates Services,,,17230.00" in body
        before = snapshot()
        response = post(client, ssp_plan, "lines", csv_file(body))
        assert response.status_code == 302
        assert snapshot() == before

    def test_every_bad_row_listed_and_nothing_imported(self, client, ssp_plan, ssp_planner):
        client.force_login(ssp_planner)
        before = snapshot()
        bad = (
            LINES_HEADER
            + "income,Croydon PCT,Estates Services,,,99\n"  # 2: good, but not imported
            + "income,Croydon PCT,Estates Services,,,-5\n"  # 3: negative
            + "income,Croydon PCT,Shared Services,,,lots\n"  # 4: not a number
            + "income,Narnia PCT,Estates Services,,,1\n"  # 5: unknown partner
            + "income,Croydon PCT,Catering,,,1\n"  # 6: unknown service line
            + "income,Croydon PCT,estates services,,,100\n"  # 7: duplicates row 2
            + ",,,,,\n"  # blank: skipped
            + "expenditure,,,Head of Services,,5\n"  # 9: no description
            + "transfer,,,,,5\n"  # 10: unknown type
            + "expenditure,,,Head of Services,Transport,\n"  # 11: no amount
            + "expenditure,,,Head of Services,Catering,1.234\n"  # 12: too many decimals
            + "expenditure,,,Head of Services,Catering,1,500\n"  # 13: comma, no quotes
        )
        response = post(client, ssp_plan, "lines", csv_file(bad))
        assert response.status_code == 400
        text = page_text(response)
        assert "Nothing was imported: 10 rows of 11 need correcting" in text
        # The summary links to the table of rows, as the NHS.UK pattern asks.
        assert 'href="#row-problems"' in response.content.decode()
        expected = {
            3: "Amount -5 is negative: amounts must be £0 or more",
            4: "Amount “lots” is not an amount in pounds",
            5: "Unknown partner “Narnia PCT”: not a partner or client of SSP",
            6: "Unknown service line “Catering”: this plan's are Membership Fee / O'heads, "
            "Management Services, Shared Services, Estates Services, Facilities Services",
            7: "Duplicates row 2: a line may appear only once",
            9: "Description is missing",
            10: "Type “transfer” is not income or expenditure",
            11: "Amount is missing",
            12: "Amount 1.234 has more than 2 digits after the point",
            13: "The row has 7 cells but there are 6 headings: in a CSV file, put an amount",
        }
        for row, message in expected.items():
            assert f"Row {row}" in text, row
            assert message in text, message
        assert "Row 2<" not in text and "Row 8<" not in text
        assert snapshot() == before

    def test_bad_files(self, client, ssp_plan, ssp_planner):
        client.force_login(ssp_planner)
        cases = [
            (csv_file("", "empty.csv"), "The file is empty"),
            (csv_file("a,b\n1,2\n"), "The file has no column for: type, partner"),
            (csv_file(LINES_HEADER), "The file has a heading row but no rows to import"),
            (SimpleUploadedFile("budget.pdf", b"%PDF"), "must be a CSV file or an Excel"),
            (SimpleUploadedFile("budget.xlsx", b"not a zip"), "could not be read as an Excel"),
            (SimpleUploadedFile("b.csv", b"\x81\x8d\x8f\x90\x9d"), "could not be read as text"),
        ]
        for upload, message in cases:
            response = post(client, ssp_plan, "lines", upload)
            assert response.status_code == 400
            assert message in page_text(response), message
        response = client.post(url(ssp_plan), {"kind": "lines"})
        assert "Choose a CSV or Excel file to import" in page_text(response)

    def test_xlsx_with_numbers_as_numbers(self, client, ssp_plan, ssp_planner):
        client.force_login(ssp_planner)
        rows = [
            ["Type", "Partner", "Service line", "Manager", "Description", "Amount"],
            ["income", "Kingston PCT", "Estates Services", None, None, 1000.5],
            ["income", "Others", "Management Services", None, None, 102536],
            ["expenditure", None, None, "Head of Operations", "Head of Operations", 487866.0],
        ]
        response = post(client, ssp_plan, "lines", xlsx_file(rows))
        assert response.status_code == 302
        kingston = IncomeLine.objects.get(
            funder_label="Kingston PCT", service_line__name="Estates Services"
        )
        assert kingston.amount == D("1000.50")
        before = snapshot()
        assert post(client, ssp_plan, "lines", xlsx_file(rows)).status_code == 302
        assert snapshot() == before


@pytest.mark.django_db
class TestImportActuals:
    def test_actuals_imported_and_reimport_changes_nothing(self, client, ssp_plan, ssp_planner):
        client.force_login(ssp_planner)
        data = (
            ACTUALS_HEADER
            + "income,Croydon PCT,Management Services,,,2006-04,16958.33\n"
            + "income,Croydon PCT,Management Services,,,01/05/2006,16958.33\n"
            + "expenditure,,,Head of Services,Transport,Jun 2006,40000\n"
        )
        response = post(client, ssp_plan, "actuals", csv_file(data))
        assert response.status_code == 302
        assert "/monitoring/" in response["Location"]
        assert sorted(MonthlyActual.objects.values_list("month", "amount")) == [
            (dt.date(2006, 4, 1), D("16958.33")),
            (dt.date(2006, 5, 1), D("16958.33")),
            (dt.date(2006, 6, 1), D(40000)),
        ]
        assert BudgetYear.objects.get(plan=ssp_plan).actuals_version == 1
        before = snapshot()
        assert post(client, ssp_plan, "actuals", csv_file(data)).status_code == 302
        assert snapshot() == before
        template = client.get(
            reverse("budgets:import_template", args=[ssp_plan.slug, 2006, "actuals"])
        ).content.decode()
        assert "expenditure,,,Head of Services,Transport,2006-06,40000.00" in template
        assert post(client, ssp_plan, "actuals", csv_file(template)).status_code == 302
        assert snapshot() == before

    def test_bad_actual_rows(self, client, ssp_plan, ssp_planner):
        client.force_login(ssp_planner)
        data = (
            ACTUALS_HEADER
            + "income,Croydon PCT,Management Services,,,2007-04,1\n"  # 2: after March
            + "income,Croydon PCT,Management Services,,,2006-03,1\n"  # 3: before April
            + "income,Croydon PCT,Management Services,,,someday,1\n"  # 4: not a month
            + "income,St Georges NHS T,Estates Services,,,2006-05,1\n"  # 5: no such line
            + "expenditure,,,Head of Services,Catering,2006-05,1\n"  # 6: no such line
            + "expenditure,,,Head of Services,Transport,2006-05,1\n"  # 7: good
            + "expenditure,,,Head of Services,Transport,2006-05-01,2\n"  # 8: duplicates 7
            + "income,Croydon PCT,Management Services,,,,1\n"  # 9: no month
        )
        response = post(client, ssp_plan, "actuals", csv_file(data))
        assert response.status_code == 400
        text = page_text(response)
        for row, message in {
            2: "Month April 2007 is outside 2006/07 (April 2006 to March 2007)",
            3: "Month March 2006 is outside 2006/07",
            4: "Month “someday” is not a month: write it like 2006-09",
            5: "There is no income line “St Georges NHS T, Estates Services” in 2006/07",
            6: "There is no expenditure line “Head of Services, Catering” in 2006/07",
            8: "Duplicates row 7",
            9: "Month is missing",
        }.items():
            assert f"Row {row}" in text and message in text, message
        assert not MonthlyActual.objects.exists()

    def test_xlsx_date_cells(self, client, ssp_plan, ssp_planner):
        client.force_login(ssp_planner)
        rows = [
            ["type", "partner", "service line", "manager", "description", "month", "amount"],
            [
                "income",
                "Croydon PCT",
                "Estates Services",
                None,
                None,
                dt.datetime(2006, 9, 1),
                1435.83,
            ],
        ]
        assert post(client, ssp_plan, "actuals", xlsx_file(rows)).status_code == 302
        actual = MonthlyActual.objects.get()
        assert (actual.month, actual.amount) == (dt.date(2006, 9, 1), D("1435.83"))
