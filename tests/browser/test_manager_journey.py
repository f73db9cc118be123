"""A manager's journey through the demo, in Chromium, with axe on every page it visits."""

from __future__ import annotations

import re

import pytest

from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, reopen_demo_quarters, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM = "To develop SLAs in line with commercial contracts"


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    # Q4 2006/07, the quarter the update form offers first, is locked: reopen it.
    reopen_demo_quarters(("last", 4))
    return live_server


def open_estates_item(page):
    page.goto("/objectives/")
    assert_accessible(page)
    page.get_by_text("Filter the items").click()
    page.get_by_label("Department").select_option(label="Estates")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert re.search(r"org_unit=\d+", page.url)
    assert_accessible(page)
    page.get_by_role("link", name=ITEM).first.click()
    page.wait_for_load_state()
    assert_accessible(page)


def fill_update(page, *, rag: str, narrative: str, percent: str = "40"):
    page.get_by_label(rag, exact=True).check()
    page.get_by_label("Progress status").select_option(label="In progress")
    page.get_by_label("Percentage complete").fill(percent)
    page.get_by_label("Narrative").fill(narrative)
    page.get_by_role("button", name="Save update").click()


class TestManagerJourney:
    def test_sign_in_find_item_update_and_see_history(self, demo_site, page):
        sign_in(page, "ssp-manager", DEMO_PASSWORD)
        assert_accessible(page)
        page.get_by_role("link", name="My work").first.click()
        page.wait_for_load_state()
        assert_accessible(page)

        open_estates_item(page)

        # A Red rating without a narrative is refused next to the field.
        fill_update(page, rag="Red", narrative="")
        page.get_by_text("There is a problem").wait_for()
        assert_accessible(page)

        fill_update(page, rag="Amber", narrative="Draft SLAs agreed with three PCTs")
        history = page.locator("#progress table")
        history.get_by_text("Draft SLAs agreed with three PCTs").wait_for()
        assert "Sam Manager" in history.inner_text()
        assert_accessible(page)

    def test_concurrent_edit_is_refused_with_the_other_change_shown(self, demo_site, new_page):
        planner, manager = new_page(), new_page()
        sign_in(planner, "ssp-planner", DEMO_PASSWORD)
        sign_in(manager, "ssp-manager", DEMO_PASSWORD)
        open_estates_item(planner)
        open_estates_item(manager)

        fill_update(planner, rag="Green", narrative="Planner: all SLAs signed")
        planner.locator("#progress table").get_by_text("Planner: all SLAs signed").wait_for()

        fill_update(manager, rag="Amber", narrative="Manager: two SLAs outstanding")
        refusal = manager.locator("#stale-edit")
        refusal.wait_for()
        assert "not saved" in refusal.inner_text()
        assert "Planner: all SLAs signed" in refusal.inner_text()
        assert_accessible(manager)

        # The manager's words are still in the form; saving again now is a deliberate choice.
        assert manager.get_by_label("Narrative").input_value() == "Manager: two SLAs outstanding"
        manager.get_by_role("button", name="Save update").click()
        history = manager.locator("#progress table")
        history.get_by_text("Manager: two SLAs outstanding").wait_for()
        assert "Planner: all SLAs signed" in history.inner_text()
