"""The measurement import page against hostile and malformed files: a clear message on the page
(never a 500), nothing saved, what the database would refuse found per cell, periods tied to
the plan. The bombs come from tests/planning/bombs.py."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis.models import Measurement
from tests.factories import KPIFactory, MeasurementFactory, reopen_reported_quarters
from tests.planning import bombs

REFUSALS = {
    "sheet": "more than 100 times its size",
    "shared_strings": "more than 100 times its size",
    "billion_laughs": "declares entities",
    "external_entity": "declares entities",
    "malformed_rows": "Its XML is damaged",
    "dimension": "Row 1048576 has something in column XFD",
}


@pytest.fixture(autouse=True)
def _reported_year_reopened(plan):
    """These tests report on 2006/07, whose quarters locked long ago (planning.reporting_window):
    they are reopened, as a planner would."""
    reopen_reported_quarters(plan)


@pytest.fixture(scope="module")
def bomb_files():
    return {name: bombs.build(name) for name in REFUSALS}


@pytest.fixture
def page(client, plan, contributor):
    client.force_login(contributor)
    KPIFactory(plan=plan, code="L2", frequency="quarterly")
    MeasurementFactory(kpi__plan=plan, kpi__code="M1", kpi__frequency="monthly")
    return reverse("kpis:import", args=[plan.slug])


def post(client, url, name, content):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def csv_bytes(*rows, header=("kpi code", "period", "value", "commentary")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class TestBombsThroughThePage:
    @pytest.mark.parametrize("bomb", sorted(REFUSALS))
    def test_refused_on_the_page_within_two_seconds_and_200_mb(
        self, client, page, bomb_files, bomb
    ):
        before = Measurement.objects.count()
        client.get(page)  # templates compiled and caches warm: the upload is what is measured
        response, seconds, megabytes = bombs.measured(
            lambda: post(client, page, "measurements.xlsx", bomb_files[bomb])
        )
        print(f"{bomb} through the page: {seconds:.3f} s, {megabytes:.1f} MB traced")
        assert response.status_code == 400
        assert REFUSALS[bomb] in response.content.decode()
        assert Measurement.objects.count() == before
        assert seconds < 2
        assert megabytes < 200


class TestCells:
    def test_a_nul_byte_is_a_row_error_not_a_500(self, client, page):
        response = post(
            client,
            page,
            "m.csv",
            csv_bytes(["L2", "2006-Q1", "5", "ok"], ["L2", "2006-Q2", "6", "a\x00b"]),
        )
        assert response.status_code == 400
        assert "Commentary contains a control character (U+0000), which cannot be stored" in (
            response.content.decode()
        )
        assert not Measurement.objects.filter(kpi__code="L2").exists()

    @pytest.mark.parametrize("value", ["190,1", "1,2,3"])
    def test_a_decimal_comma_is_refused_never_read_as_thousands(self, client, page, value):
        response = post(client, page, "m.csv", csv_bytes(["L2", "2006-Q1", value, ""]))
        assert response.status_code == 400
        assert "is not a number" in response.content.decode()
        assert not Measurement.objects.filter(kpi__code="L2").exists()


class TestPeriods:
    """Periods from two financial years before the plan (baselines) to one after it: not
    1900 to 2200."""

    @pytest.mark.parametrize("period", ["1900-Q1", "2003-Q4", "2008-Q1", "2199-Q1"])
    def test_outside_the_plans_years_is_refused(self, client, page, period):
        response = post(client, page, "m.csv", csv_bytes(["L2", period, "5", ""]))
        assert response.status_code == 400
        text = response.content.decode()
        assert "is outside the years this plan" in text or "has not started yet" in text
        assert not Measurement.objects.filter(kpi__code="L2").exists()

    def test_the_message_names_the_years(self, client, page):
        response = post(client, page, "m.csv", csv_bytes(["L2", "2003-Q4", "5", ""]))
        assert (
            "is outside the years this plan&#x27;s measurements may cover: 2004/05 (two years "
            "before the plan, for baselines) to 2007/08 (a year after it)"
        ) in response.content.decode()

    @pytest.mark.parametrize("period", ["2004-Q1", "2007-Q4"])
    def test_baselines_and_the_year_after_are_accepted(self, client, page, period):
        response = post(client, page, "m.csv", csv_bytes(["L2", period, "5", ""]))
        assert response.status_code == 302
        assert Measurement.objects.filter(kpi__code="L2").count() == 1
