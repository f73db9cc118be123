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
    cells = [
        fuzz.cell("income", "expenditure", "Income"),
        fuzz.cell("Croydon PCT", "croydon-pct", "Kingston PCT", ""),
        fuzz.cell("Estates Services", "Management Services", ""),
        fuzz.cell("", "Ann Smith", "M" * 121),
        fuzz.cell("", "Premises", "D" * 201),
    ]
    if kind == "actuals":
        cells.append(fuzz.cell("2006-09", "Sep 2006", "2007-04", "01/10/2006"))
    cells.append(fuzz.cell("20,000", "210000", "0.5", "-1"))
    return fuzz.rows_of(*cells, xlsx=xlsx)


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
