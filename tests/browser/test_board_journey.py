"""A board member's journey through the quarterly scorecard, in Chromium, with axe on every
page it visits."""

from __future__ import annotations

import re

import pytest

from demo.loader import load_demo
from demo.ssp import PLAN_SLUG
from demo.users import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, reopen_demo_quarters, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCORECARD = f"/plans/{PLAN_SLUG}/scorecard/"


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    return live_server


class TestBoardJourney:
    def test_read_the_scorecard_switch_quarter_and_open_a_chart(self, demo_site, page):
        sign_in(page, "ssp-board", DEMO_PASSWORD)
        assert_accessible(page)

        # The latest quarter of the plan with data: Q4 2006/07.
        page.goto(SCORECARD)
        heading = page.get_by_role("heading", level=1)
        assert heading.inner_text() == "Quarterly scorecard: Q4 2006/07"
        assert page.get_by_text("These are synthetic demo figures").is_visible()
        assert page.get_by_role("img", name=re.compile("^Trend of L2")).count() == 1
        assert_accessible(page)

        # Switch quarter with the select and its button (no JavaScript needed).
        page.get_by_label("Quarter", exact=True).select_option("2006-Q2")
        page.get_by_role("button", name="Show quarter").click()
        page.wait_for_load_state()
        assert page.url.endswith("?quarter=2006-Q2")
        assert heading.inner_text() == "Quarterly scorecard: Q2 2006/07"
        assert_accessible(page)

        # And with the previous-quarter link.
        page.get_by_role("link", name=re.compile("Previous quarter")).click()
        page.wait_for_load_state()
        assert heading.inner_text() == "Quarterly scorecard: Q1 2006/07"
        assert "What changed since Q4 2005/06" in page.content()
        assert_accessible(page)

        # Open a KPI's chart.
        page.get_by_role("link", name="L2 SSP % PDRs completed").first.click()
        page.wait_for_load_state()
        assert heading.inner_text() == "L2 SSP % PDRs completed"
        chart = page.get_by_role("img", name="SPC chart: L2 SSP % PDRs completed")
        assert chart.is_visible()
        assert page.get_by_text("These are synthetic demo figures").is_visible()
        assert_accessible(page)
        page.get_by_text("Show the chart’s data as a table").click()
        table = page.locator("#chart-data table")
        table.wait_for()
        assert "Special cause improvement" in table.inner_text()
        assert_accessible(page)

        # Back to the scorecard from the breadcrumbs; a board member sees no edit controls.
        page.get_by_role("link", name="Quarterly scorecard").first.click()
        page.wait_for_load_state()
        assert "Manage KPIs" not in page.content()


class TestPlannerManagesKPIs:
    def test_add_a_kpi_enter_and_import_measurements(self, demo_site, page, tmp_path):
        # The three quarters this test reports on are locked: the planner reopens them.
        reopen_demo_quarters(("first", 1), ("first", 2), ("first", 3))
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        page.goto(f"/plans/{PLAN_SLUG}/kpis/")
        assert_accessible(page)
        page.get_by_role("button", name="Add a KPI").click()
        page.wait_for_load_state()
        assert_accessible(page)

        # A code the plan already has is refused next to the field.
        page.get_by_label("Code", exact=True).fill("L2")
        page.get_by_label("Name", exact=True).fill("Managers trained in SPC")
        page.get_by_label("Scorecard perspective").select_option(label="Learning and growth")
        page.get_by_label("Higher is better").check()
        page.get_by_label("Target (optional)").fill("80")
        page.get_by_role("button", name="Save KPI").click()
        page.get_by_text("There is a problem").wait_for()
        assert (
            page.locator("#id_code_error")
            .inner_text()
            .endswith("This plan already has a KPI with the code L2.")
        )
        assert_accessible(page)
        page.get_by_label("Code", exact=True).fill("L8")
        page.get_by_role("button", name="Save KPI").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "L8 Managers trained in SPC"
        assert_accessible(page)

        page.get_by_role("button", name="Enter a measurement").click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.get_by_label("Period", exact=True).select_option("2006-Q1")
        page.get_by_label("Value (optional)", exact=False).or_(
            page.get_by_label("Value")
        ).first.fill("40")
        page.get_by_role("button", name="Save measurement").click()
        page.wait_for_load_state()
        assert "Latest 40 in Q1 2006/07" in page.content()

        # An import with a bad row imports nothing and lists the row.
        bad = tmp_path / "measurements.csv"
        bad.write_text("kpi code,period,value\nL8,2006-Q2,45\nL8,2006-Q3,lots\n")
        page.goto(f"/plans/{PLAN_SLUG}/kpis/import/")
        assert_accessible(page)
        page.get_by_label("Upload a CSV file or an Excel workbook (.xlsx)").set_input_files(bad)
        page.get_by_role("button", name="Import measurements").click()
        page.get_by_text("Nothing was imported: 1 row of 2 needs correcting").wait_for()
        assert "Value “lots” is not a number" in page.locator("#bad-rows").inner_text()
        assert_accessible(page)
        good = tmp_path / "good.csv"
        good.write_text("kpi code,period,value\nL8,2006-Q2,45\nL8,2006-Q3,52\n")
        page.get_by_label("Upload a CSV file or an Excel workbook (.xlsx)").set_input_files(good)
        page.get_by_role("button", name="Import measurements").click()
        page.get_by_text("2 created, 0 updated, 0 unchanged").wait_for()
        assert_accessible(page)
