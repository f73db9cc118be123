"""The corporate business manager exports the plan as PDF, in Chromium, with axe on the export
pages: straight away for the demo plan, and through the background worker for a big one."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPORT_PAGE = "/plans/ssp-business-plan-2006-07/export/"


@pytest.fixture
def demo_site(transactional_db, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    return live_server


def download_pdf(page, name: str, tmp_path) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=name).click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return target.read_bytes()


class TestExportJourney:
    def test_the_planner_exports_and_downloads_the_plan(self, demo_site, page, tmp_path):
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        page.goto(EXPORT_PAGE)
        assert_accessible(page)
        page.get_by_role("heading", name="Annual plan").wait_for()

        data = download_pdf(page, "Download the annual plan (PDF)", tmp_path)
        assert data.startswith(b"%PDF")

        page.get_by_label("Quarter").select_option("2006-Q2")
        data = download_pdf(page, "Download the board pack (PDF)", tmp_path)
        assert data.startswith(b"%PDF")

    def test_a_big_export_is_prepared_in_the_background(self, demo_site, page, settings, tmp_path):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        settings.PDF_BACKGROUND_THRESHOLD = 10  # the demo plan has more objectives
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        page.goto(EXPORT_PAGE)
        assert_accessible(page)
        page.get_by_role("button", name="Download the annual plan (PDF)").click()
        page.wait_for_load_state()
        page.get_by_text("Waiting for the export worker").wait_for()
        assert_accessible(page)

        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        # htmx polls every 2 seconds and swaps in the download button.
        button = page.get_by_role("button", name="Download the PDF")
        button.wait_for(timeout=20_000)
        assert_accessible(page)
        data = download_pdf(page, "Download the PDF", tmp_path)
        assert data.startswith(b"%PDF")
