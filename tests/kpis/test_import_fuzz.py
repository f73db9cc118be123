"""Property: whatever the cells of a measurement import (CSV or XLSX, through the real page),
the answer is a page or a redirect, never a 500, and nothing is written unless the whole file
was imported."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from kpis.models import Measurement
from tests.factories import KPIFactory
from tests.planning import fuzz

HEADER = ["kpi code", "period", "value", "commentary"]


def rows(xlsx: bool):
    return fuzz.rows_of(
        ("L2", "l2"),
        ("2006-Q1", "2006-Q2", "2004-Q1", "2007-Q4"),
        ("57.5", "1,234.5", "0", "-3"),
        ("", "Fine", "two\nlines"),
        xlsx=xlsx,
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_no_input_reaches_a_500_and_nothing_is_half_written(client, plan, contributor, kind):
    client.force_login(contributor)
    KPIFactory(plan=plan, code="L2", frequency="quarterly")
    KPIFactory(plan=plan, code="M1", frequency="monthly")
    url = reverse("kpis:import", args=[plan.slug])

    @fuzz.IMPORTS
    @given(data=rows(xlsx=kind == "xlsx"), commentary=st.booleans())
    def check(data, commentary):
        header = HEADER if commentary else HEADER[:3]
        data = [row if commentary else row[:3] for row in data]
        before = list(Measurement.objects.order_by("pk").values_list("pk", "value", "commentary"))
        response = client.post(url, {"file": fuzz.UPLOADS[kind](header, data)})
        assert response.status_code in (302, 400), response.status_code
        if response.status_code != 302:
            after = Measurement.objects.order_by("pk").values_list("pk", "value", "commentary")
            assert list(after) == before

    check()
