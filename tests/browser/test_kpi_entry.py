"""Issue 11, items 3 and 4 in Chromium: a manager enters this quarter's KPI value (the form
offers it first), a planner changes a target from a date; axe on every page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from kpis import periods
from kpis.models import KPI
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    return live_server


def open_kpi(page, code: str) -> KPI:
    kpi = KPI.objects.get(plan__slug__startswith="ssp", code=code)
    page.goto(kpi.get_absolute_url())
    assert_accessible(page)
    return kpi


class TestKPIEntry:
    def test_manager_enters_this_quarters_value(self, demo_site, page):
        today = timezone.localdate()
        this_quarter = periods.current("quarterly", today)
        sign_in(page, "ssp-manager", DEMO_PASSWORD)
        kpi = open_kpi(page, "L2")
        page.get_by_role("button", name="Enter a measurement").click()
        page.wait_for_load_state()
        assert_accessible(page)
        period = page.get_by_label("Period", exact=True)
        assert period.input_value() == periods.key(this_quarter, "quarterly")  # the default
        page.get_by_label("Value (%)").fill("91.5")
        page.get_by_label("Commentary").fill("Entered in the quarter it belongs to.")
        page.get_by_role("button", name="Save measurement").click()
        page.wait_for_load_state()
        page.get_by_text("The measurement has been saved").wait_for()
        assert_accessible(page)
        saved = kpi.measurements.get(period_start=this_quarter)
        assert str(saved.value) == "91.5000" and saved.created_by.username == "ssp-manager"
        row = page.get_by_role("row").filter(has_text=periods.label(this_quarter, "quarterly"))
        assert "91.5%" in row.inner_text()

    def test_planner_changes_a_target_from_a_date(self, demo_site, page):
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        kpi = open_kpi(page, "L1")
        page.get_by_role("button", name="Change target").click()
        page.wait_for_load_state()
        assert_accessible(page)
        # A date in a quarter already reported is refused next to the field.
        page.get_by_label("Takes effect from").fill("2007-01-01")
        page.get_by_label("Target (%)").fill("97")
        page.get_by_role("button", name="Save target").click()
        page.wait_for_load_state()
        page.get_by_text("There is a problem").wait_for()
        assert_accessible(page)
        assert kpi.targets.count() == 1
