"""KPI pages and forms: NHS.UK error summaries, codes unique per plan, lost updates refused,
measurement entry and the import page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis.models import KPI, Measurement
from tests.factories import KPIFactory, MeasurementFactory, reopen_reported_quarters


@pytest.fixture(autouse=True)
def _reported_year_reopened(plan):
    """These tests report on 2006/07, whose quarters locked long ago (planning.reporting_window):
    they are reopened, as a planner would."""
    reopen_reported_quarters(plan)


def kpi_data(**overrides):
    data = {
        "code": "L9",
        "name": "Staff trained in SPC",
        "description": "",
        "perspective": "L",
        "unit": "%",
        "polarity": "higher",
        "frequency": "quarterly",
        "target": "90",
        "tolerance": "5",
        "owner_text": "Head of HR",
        "owner_role": "",
        "data_source": "ESR",
        "definition_due": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def kpi(plan):
    return KPIFactory(plan=plan, code="L2", name="PDRs completed", unit="%", target=D("90"))


@pytest.mark.django_db
class TestKPICreate:
    def test_planner_adds_a_kpi(self, client, planner, plan):
        client.force_login(planner)
        url = reverse("kpis:create", args=[plan.slug])
        assert client.get(url).status_code == 200
        response = client.post(url, kpi_data())
        kpi = KPI.objects.get(plan=plan, code="L9")
        assert response.status_code == 302 and response["Location"] == kpi.get_absolute_url()
        first = kpi.targets.get()  # the first target, in force from the plan's start
        assert (first.target, first.tolerance, kpi.version) == (D("90"), D("5"), 1)
        assert first.effective_from == dt.date(plan.start_year, 4, 1)
        assert kpi.history.first().history_user == planner
        assert first.history.first().history_user == planner

    def test_duplicate_code_is_reported_on_the_field(self, client, planner, plan, kpi):
        client.force_login(planner)
        response = client.post(reverse("kpis:create", args=[plan.slug]), kpi_data(code="L2"))
        assert response.status_code == 400
        body = response.text
        assert "<title>Error: " in body
        assert 'class="nhsuk-error-summary"' in body and "There is a problem" in body
        assert '<a href="#id_code">This plan already has a KPI with the code L2.</a>' in body
        assert 'id="id_code_error"' in body
        assert KPI.objects.filter(plan=plan).count() == 1

    def test_the_same_code_in_another_plan_is_fine(self, client, planner, plan):
        KPIFactory(code="L9")  # another organisation's plan
        client.force_login(planner)
        response = client.post(reverse("kpis:create", args=[plan.slug]), kpi_data())
        assert response.status_code == 302

    def test_field_errors(self, client, planner, plan):
        client.force_login(planner)
        response = client.post(
            reverse("kpis:create", args=[plan.slug]),
            kpi_data(name="", tolerance="-1", target="lots", definition_due="2006-06-30"),
        )
        assert response.status_code == 400
        errors = dict(re.findall(r'<a href="#(id_\w+)">([^<]+)</a>', response.text))
        assert set(errors) == {"id_name", "id_tolerance", "id_target", "id_definition_due"}
        assert "still being developed" in errors["id_definition_due"]


@pytest.mark.django_db
class TestKPIEdit:
    def test_save_bumps_the_version(self, client, planner, kpi):
        client.force_login(planner)
        url = reverse("kpis:edit", args=[kpi.pk])
        assert 'name="version" value="1"' in client.get(url).text
        response = client.post(url, kpi_data(code="L2", name="PDRs done", version="1"))
        assert response.status_code == 302
        kpi.refresh_from_db()
        assert (kpi.name, kpi.version) == ("PDRs done", 2)

    def test_a_concurrent_edit_is_refused_and_shown(self, client, planner, org_admin, kpi):
        # Both opened the form at version 1; the administrator saves first.
        client.force_login(org_admin)
        url = reverse("kpis:edit", args=[kpi.pk])
        client.post(url, kpi_data(code="L2", name="Admin's name", version="1"))
        client.force_login(planner)
        response = client.post(url, kpi_data(code="L2", name="Planner's name", version="1"))
        assert response.status_code == 409
        body = response.text
        assert "Somebody else changed this KPI after you opened it" in body
        assert "Admin&#x27;s name" in body  # their value, shown
        assert 'value="Planner&#x27;s name"' in body  # the planner's edit is still in the form
        assert 'name="version" value="2"' in body  # saving again means "mine still stands"
        kpi.refresh_from_db()
        assert kpi.name == "Admin's name"
        response = client.post(url, kpi_data(code="L2", name="Planner's name", version="2"))
        assert response.status_code == 302
        kpi.refresh_from_db()
        assert (kpi.name, kpi.version) == ("Planner's name", 3)

    def test_renaming_to_a_taken_code(self, client, planner, plan, kpi):
        KPIFactory(plan=plan, code="L3")
        client.force_login(planner)
        response = client.post(
            reverse("kpis:edit", args=[kpi.pk]), kpi_data(code="L3", version="1")
        )
        assert response.status_code == 400
        assert "This plan already has a KPI with the code L3." in response.text


@pytest.mark.django_db
class TestMeasurements:
    def test_contributor_enters_a_measurement(self, client, contributor, kpi):
        client.force_login(contributor)
        url = reverse("kpis:measurement_create", args=[kpi.pk])
        page = client.get(url).text
        assert '<option value="2006-Q2">Q2 2006/07</option>' in page
        response = client.post(
            url, {"period": "2006-Q2", "value": "84.5", "commentary": "Action plan launched"}
        )
        assert response.status_code == 302
        m = Measurement.objects.get(kpi=kpi)
        assert (m.period_start, m.value, m.created_by) == (
            dt.date(2006, 7, 1),
            D("84.5"),
            contributor,
        )
        # The period is no longer offered.
        assert 'value="2006-Q2"' not in client.get(url).text

    def test_a_period_filled_meanwhile_is_refused(self, client, contributor, planner, kpi):
        client.force_login(contributor)
        url = reverse("kpis:measurement_create", args=[kpi.pk])
        MeasurementFactory(
            kpi=kpi, period_start=dt.date(2006, 7, 1), value=D("80"), created_by=planner
        )
        response = client.post(url, {"period": "2006-Q2", "value": "84.5"})
        assert response.status_code == 409
        assert "Somebody else entered a value for this period" in response.text
        assert "80%" in response.text
        assert Measurement.objects.get(kpi=kpi).value == D("80")

    def test_bad_values(self, client, contributor, kpi):
        client.force_login(contributor)
        url = reverse("kpis:measurement_create", args=[kpi.pk])
        response = client.post(url, {"period": "2006-Q5", "value": "lots"})
        assert response.status_code == 400
        assert '<a href="#id_value">' in response.text and '<a href="#id_period">' in response.text

    def test_correction_with_a_stale_version_is_refused(
        self, client, contributor, planner, kpi, time_machine
    ):
        time_machine.move_to(dt.datetime(2006, 7, 3, 12, 0))  # within Q1 2006/07's window
        m = MeasurementFactory(
            kpi=kpi, period_start=dt.date(2006, 4, 1), value=D("57"), synthetic=True
        )
        url = reverse("kpis:measurement_edit", args=[m.pk])
        client.force_login(contributor)
        assert 'value="57"' in client.get(url).text
        assert client.post(url, {"value": "58", "version": "1"}).status_code == 302
        client.force_login(planner)  # a planner may correct the contributor's value
        response = client.post(url, {"value": "59", "commentary": "Mine", "version": "1"})
        assert response.status_code == 409
        assert "Somebody else changed this measurement" in response.text
        m.refresh_from_db()
        assert (m.value, m.version, m.synthetic) == (D("58"), 2, False)
        assert client.post(url, {"value": "59", "version": "2"}).status_code == 302

    def test_rebase_flag_is_saved(self, client, planner, kpi):
        client.force_login(planner)
        client.post(
            reverse("kpis:measurement_create", args=[kpi.pk]),
            {"period": "2006-Q1", "value": "5", "starts_new_limits": "on"},
        )
        assert Measurement.objects.get().starts_new_limits


@pytest.mark.django_db
class TestImportPage:
    def upload(self, client, plan, text, name="m.csv"):
        return client.post(
            reverse("kpis:import", args=[plan.slug]),
            {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
        )

    def test_good_file_reports_counts(self, client, planner, plan, kpi):
        client.force_login(planner)
        response = self.upload(client, plan, "kpi code,period,value\nL2,2006-Q1,57\n")
        assert response.status_code == 302
        page = client.get(response["Location"]).text
        assert "Measurements imported: 1 created, 0 updated, 0 unchanged." in page
        response = self.upload(client, plan, "kpi code,period,value\nL2,2006-Q1,57\n")
        page = client.get(response["Location"]).text
        assert "0 created, 0 updated, 1 unchanged" in page

    def test_bad_rows_are_listed_and_nothing_imported(self, client, planner, plan, kpi):
        client.force_login(planner)
        response = self.upload(
            client, plan, "kpi code,period,value\nL2,2006-Q1,57\nZZ,2006-Q1,1\nL2,2006-Q2,x\n"
        )
        assert response.status_code == 400
        body = response.text
        assert "Nothing was imported: 2 rows of 3 need correcting" in body
        assert 'href="#row-problems"' in body
        assert 'id="bad-rows"' in body
        assert "Unknown KPI code “ZZ”" in body and "Value “x” is not a number" in body
        assert not Measurement.objects.exists()

    def test_unreadable_file(self, client, planner, plan):
        client.force_login(planner)
        response = self.upload(client, plan, "hello", name="m.pdf")
        assert response.status_code == 400
        assert "The file must be a CSV file" in response.text


@pytest.mark.django_db
class TestScorecardPage:
    def test_default_quarter_and_switcher(self, client, viewer, plan, kpi):
        MeasurementFactory(kpi=kpi, period_start=dt.date(2006, 7, 1), value=D("84"))
        client.force_login(viewer)
        url = reverse("reporting:scorecard", args=[plan.slug])
        body = client.get(url).text
        assert "<h1>Quarterly scorecard: Q2 2006/07</h1>" in body
        assert '<option value="2006-Q2" selected>' in body
        assert f'href="{url}?quarter=2006-Q1" rel="prev"' in body
        assert f'href="{url}?quarter=2006-Q3" rel="next"' in body
        body = client.get(url, {"quarter": "2006-Q1"}).text
        assert "<h1>Quarterly scorecard: Q1 2006/07</h1>" in body
        assert 'rel="prev"' not in body  # the plan's first quarter

    def test_bad_or_outside_quarter_is_not_found(self, client, viewer, plan):
        client.force_login(viewer)
        url = reverse("reporting:scorecard", args=[plan.slug])
        assert client.get(url, {"quarter": "nonsense"}).status_code == 404
        assert client.get(url, {"quarter": "2009-Q1"}).status_code == 404

    def test_synthetic_data_is_flagged(self, client, viewer, plan, kpi):
        client.force_login(viewer)
        url = reverse("reporting:scorecard", args=[plan.slug])
        m = MeasurementFactory(kpi=kpi, period_start=dt.date(2006, 7, 1), value=D("84"))
        assert "synthetic demo figures" not in client.get(url).text
        assert "synthetic demo figures" not in client.get(kpi.get_absolute_url()).text
        Measurement.objects.filter(pk=m.pk).update(synthetic=True)
        assert "synthetic demo figures" in client.get(url).text
        assert "synthetic demo figures" in client.get(kpi.get_absolute_url()).text

    def test_kpi_page_shows_chart_table_and_commentary(self, client, viewer, kpi):
        for i, value in enumerate(["57", "61", "59", "84"]):
            MeasurementFactory(
                kpi=kpi,
                period_start=dt.date(2006 + (4 + 3 * i) // 13, (3 + 3 * i) % 12 + 1, 1),
                value=D(value),
                commentary=f"Note {i}" if i == 3 else "",
            )
        client.force_login(viewer)
        body = client.get(kpi.get_absolute_url()).text
        assert 'role="img" aria-labelledby="kpi-chart-title"' in body
        assert "Show the chart’s data as a table" in body
        assert "Note 3" in body
        assert "Latest 84% in Q4 2006/07" in body
        assert "Enter a measurement" not in body  # a viewer reads only
        assert "style=" not in body


@pytest.mark.django_db
def test_scorecard_prints_with_its_own_stylesheet(client, viewer, plan):
    from django.contrib.staticfiles import finders

    client.force_login(viewer)
    body = client.get(reverse("reporting:scorecard", args=[plan.slug])).text
    assert 'href="/static/kpis/scorecard.css"' in body
    text = Path(finders.find("kpis/scorecard.css")).read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # the rules, without comments
    assert "@media print" in css
    # App classes are prefixed; nothing weakens NHS.UK's focus state.
    assert ":focus" not in css
    classes = set(re.findall(r"\.([a-z][\w-]*)", css))
    assert all(c.startswith(("app-", "nhsuk-")) for c in classes), classes
