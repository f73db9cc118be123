"""The corporate business manager downloads the demo plan as a workbook, uploads it again as a
new draft plan (problems first, then the preview), in Chromium, with axe on every page."""

from __future__ import annotations

import pytest

from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from planning.models import Plan
from tests.browser.conftest import assert_accessible, sign_in
from tests.workbook.handmade import changed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "/plans/ssp-business-plan-2006-07/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    return live_server


class TestWorkbookJourney:
    def test_the_planner_exports_and_imports_the_plan(self, demo_site, page, tmp_path):
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        page.goto(PLAN)
        with page.expect_download() as info:
            page.get_by_role("link", name="Download the whole plan as a workbook (.xlsx)").click()
        workbook = tmp_path / "plan.xlsx"
        info.value.save_as(workbook)

        page.goto("/")
        page.get_by_role("link", name="Import a plan from a workbook").click()
        assert_accessible(page)

        # A workbook with a problem: listed by sheet, row and column; nothing saved.
        page.get_by_label("Upload the plan's workbook (.xlsx)").set_input_files(
            files=[
                {
                    "name": "bad.xlsx",
                    "mimeType": XLSX,
                    "buffer": changed("Expenditure", 2, "Amount", -5),
                }
            ]
        )
        page.get_by_role("button", name="Check the workbook").click()
        page.get_by_role("heading", name="Problems, by sheet, row and column").wait_for()
        assert_accessible(page)

        page.get_by_label("Upload the plan's workbook (.xlsx)").set_input_files(workbook)
        page.get_by_role("button", name="Check the workbook").click()
        page.get_by_role("heading", name="Check and import the plan").wait_for()
        assert_accessible(page)
        assert page.get_by_role("row", name="Objectives and actions").is_visible()

        page.get_by_role("button", name="Import as a new draft plan").click()
        page.wait_for_load_state()
        copy = Plan.objects.exclude(slug="ssp-business-plan-2006-07").get(
            organisation__slug=Plan.objects.get(slug="ssp-business-plan-2006-07").organisation.slug,
            title=Plan.objects.get(slug="ssp-business-plan-2006-07").title,
        )
        assert page.url.endswith(copy.get_absolute_url())
        assert copy.status == "draft"
        assert_accessible(page)
