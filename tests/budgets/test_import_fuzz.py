"""Property: whatever the cells of a budget import (lines or actuals, CSV or XLSX, through the
real page), the answer is a page or a redirect, never a 500, and nothing is written unless the
whole file was imported."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.budgets.test_imports import snapshot, url
from tests.planning import fuzz

COLUMNS = {
    "lines": ["type", "partner", "service line", "manager", "description", "amount"],
    "actuals": ["type", "partner", "service line", "manager", "description", "month", "amount"],
}


def rows(kind: str, xlsx: bool):
    """Expenditure lines (their text is stored as written) and Croydon's income lines."""
    columns = [
        ("expenditure",),
        ("",),
        ("",),
        ("Ann Smith", "Estates manager"),
        ("Premises", "Cleaning contract"),
    ]
    if kind == "actuals":  # an actual needs a line in the budget: these are SSP's
        columns = [("income",), ("Croydon PCT",), ("Estates Services",), ("",), ("",)]
        columns.append(("2006-09", "Sep 2006", "01/10/2006"))
    columns.append(("20,000", "210000", "0.5"))
    return fuzz.rows_of(*columns, xlsx=xlsx)


@pytest.mark.parametrize("file", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["lines", "actuals"])
def test_no_input_reaches_a_500_and_nothing_is_half_written(
    client, ssp_plan, ssp_planner, kind, file
):
    client.force_login(ssp_planner)

    @fuzz.IMPORTS
    @given(data=rows(kind, xlsx=file == "xlsx"))
    def check(data):
        before = snapshot()
        upload = fuzz.UPLOADS[file](COLUMNS[kind], data)
        response = client.post(url(ssp_plan), {"kind": kind, "file": upload})
        assert response.status_code in (302, 400), response.status_code
        if response.status_code != 302:
            assert snapshot() == before

    check()
