"""The spreadsheet exports: real dates and numbers, a title row, frozen and filtered header,
column widths, the same columns in CSV, the formula guard on text, and a file name that says
which plan and filter."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from objectives import exports
from tests.factories import ObjectiveFactory, OrgUnitFactory, PlanFactory, ProgressUpdateFactory

XLSX = reverse("objectives:export_xlsx")
CSV = reverse("objectives:export_csv")


def filename(response) -> str:
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


@pytest.fixture
def rows(plan):
    unit = OrgUnitFactory(organisation=plan.organisation, name="Estates")
    red = ObjectiveFactory(
        plan=plan,
        reference="MCP-5",
        text="=SUM(A1:A9)",
        org_unit=unit,
        due_date=dt.date(2006, 9, 30),
        rag="red",
        percent_complete=40,
    )
    ObjectiveFactory(plan=plan, reference="MCP-6", rag="green", due_date=None)
    return red


@pytest.mark.django_db
class TestXLSX:
    def test_title_header_frozen_and_filtered(self, client, viewer, plan, rows):
        client.force_login(viewer)
        response = client.get(XLSX, {"plan": plan.pk, "rag": "red"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        title = sheet["A1"].value
        assert str(plan) in title and "RAG: Red" in title
        assert [c.value for c in sheet[2]][:3] == ["Plan", "Reference", "Objective or action"]
        assert sheet.freeze_panes == "A3"
        last = sheet.cell(row=2, column=len(exports.COLUMNS)).column_letter
        assert sheet.auto_filter.ref == f"A2:{last}3"
        assert sheet.max_row == 3  # title, header, the one red row

    def test_dates_and_numbers_are_not_text(self, client, viewer, plan, rows):
        client.force_login(viewer)
        sheet = load_workbook(io.BytesIO(client.get(XLSX, {"rag": "red"}).content)).active
        header = [c.value for c in sheet[2]]
        due = sheet.cell(row=3, column=header.index("Due date") + 1)
        percent = sheet.cell(row=3, column=header.index("% complete") + 1)
        assert due.is_date and due.value.date() == dt.date(2006, 9, 30)
        assert percent.data_type == "n" and percent.value == 40

    def test_columns_have_widths(self, client, viewer, plan, rows):
        client.force_login(viewer)
        sheet = load_workbook(io.BytesIO(client.get(XLSX).content)).active
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[2]]
        assert widths == [column.width for column in exports.COLUMNS]

    def test_text_is_still_guarded(self, client, viewer, plan, rows):
        client.force_login(viewer)
        sheet = load_workbook(io.BytesIO(client.get(XLSX, {"rag": "red"}).content)).active
        cell = sheet.cell(row=3, column=3)
        assert cell.data_type == "s" and cell.value == "'=SUM(A1:A9)"

    def test_a_formula_in_a_filter_cannot_reach_the_title(self, client, viewer, plan, rows):
        client.force_login(viewer)
        sheet = load_workbook(io.BytesIO(client.get(XLSX, {"q": "=SUM"}).content)).active
        assert sheet["A1"].data_type == "s"
        assert not str(sheet["A1"].value).startswith("=")


@pytest.mark.django_db
class TestCSV:
    def test_same_columns_as_the_xlsx_without_a_title_row(self, client, viewer, plan, rows):
        ProgressUpdateFactory(objective=rows, narrative="Contractor late")
        client.force_login(viewer)
        table = list(csv.reader(io.StringIO(client.get(CSV, {"rag": "red"}).content.decode())))
        sheet = load_workbook(io.BytesIO(client.get(XLSX, {"rag": "red"}).content)).active
        assert table[0] == [c.value for c in sheet[2]]
        header = table[0]
        assert table[1][header.index("Due date")] == "2006-09-30"
        assert table[1][header.index("% complete")] == "40"
        assert table[1][header.index("Objective or action")] == "'=SUM(A1:A9)"


@pytest.mark.django_db
class TestFileNames:
    def test_plan_and_filter_in_the_name(self, client, viewer, plan, rows):
        client.force_login(viewer)
        response = client.get(XLSX, {"plan": plan.pk, "rag": "red"})
        assert filename(response) == f"{plan.slug}-objectives-red.xlsx"
        assert filename(client.get(CSV, {"plan": plan.pk})) == f"{plan.slug}-objectives.csv"

    def test_no_plan_chosen(self, client, viewer, plan, rows):
        PlanFactory(organisation=plan.organisation)
        client.force_login(viewer)
        assert filename(client.get(CSV)) == "all-plans-objectives.csv"
        assert filename(client.get(CSV, {"org_unit": rows.org_unit_id})) == (
            "all-plans-objectives-estates.csv"
        )
