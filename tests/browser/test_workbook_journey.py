"""The corporate business manager downloads the demo plan as a workbook, uploads it again as a
new draft plan (problems first, then the preview), in Chromium, with axe on every page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from planning.models import Plan
from tests.browser.conftest import assert_accessible, sign_in
from tests.workbook.handmade import changed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "/plans/ssp-business-plan-2006-07/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Records unique in their organisation (risk references, framework names): a copy of a plan in
# its own organisation leaves them out (docs/decisions/workbook.md).
ORGANISATION_SHEETS = (
    "Risks",
    "Risk controls",
    "Risk reviews",
    "Frameworks",
    "Framework levels",
    "Competencies",
    "Competency descriptors",
    "Assessments",
    "Assessment scores",
    "Competency targets",
)


def _without(content: bytes, sheets) -> bytes:
    """The workbook with the rows (not the headings) of `sheets` removed."""
    book = load_workbook(io.BytesIO(content))
    for name in sheets:
        sheet = book[name]
        if sheet.max_row > 1:
            sheet.delete_rows(2, sheet.max_row - 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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

        # The plan's own workbook, back into its own organisation: its risk references and its
        # framework are the organisation's already (unique there), so each is refused by name.
        page.get_by_label("Upload the plan's workbook (.xlsx)").set_input_files(workbook)
        page.get_by_role("button", name="Check the workbook").click()
        page.get_by_role("heading", name="Problems, by sheet, row and column").wait_for()
        assert page.get_by_text("your organisation already has a risk").first.is_visible()

        # Without the organisation's register and framework, the copy imports.
        copy_file = tmp_path / "copy.xlsx"
        copy_file.write_bytes(_without(workbook.read_bytes(), ORGANISATION_SHEETS))
        page.get_by_label("Upload the plan's workbook (.xlsx)").set_input_files(copy_file)
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
