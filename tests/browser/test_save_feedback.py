"""After an htmx save on the item page: the header reflects the update, focus moves to what
happened (success banner or error summary), and an error shows in the title, in Chromium."""

from __future__ import annotations

import pytest

from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from objectives.models import Objective, ProgressStatus
from planning.rag import RAG
from tests.browser.conftest import assert_accessible, reopen_demo_quarters, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM = "To develop SLAs in line with commercial contracts"

# What assistive technology is told about the focused element.
FOCUSED = """() => {
  const el = document.activeElement;
  const alert = el.getAttribute("role") === "alert" ? el : el.querySelector("[role=alert]");
  return {
    classes: el.className,
    tabindex: el.getAttribute("tabindex"),
    alert: alert !== null,
    labelledby: el.getAttribute("aria-labelledby"),
    text: el.innerText,
  };
}"""


@pytest.fixture
def item_page(transactional_db, live_server, page):
    load_demo()
    # Q4 2006/07, the quarter the update form offers first, is locked: reopen it.
    reopen_demo_quarters(("last", 4))
    objective = Objective.objects.filter(text=ITEM).order_by("pk").first()
    assert objective.is_overdue(), "the demo item is overdue, so completing it clears the mark"
    sign_in(page, "ssp-manager", DEMO_PASSWORD)
    page.goto(f"/objectives/{objective.pk}/")
    return page


def header_text(page) -> str:
    return page.locator("#item-header .app-item-status").inner_text()


class TestSaveFeedback:
    def test_success_updates_the_header_and_focuses_the_banner(self, item_page):
        page = item_page
        before = header_text(page)
        assert "Overdue" in before
        assert RAG.BLUE.label not in before

        page.get_by_label(RAG.BLUE.label, exact=True).check()
        page.get_by_label("Progress status").select_option(ProgressStatus.COMPLETED.value)
        page.get_by_label("Percentage complete").fill("100")
        page.get_by_label("Narrative").fill("All SLAs signed")
        page.get_by_role("button", name="Save update").click()
        page.locator("#progress .nhsuk-notification-banner").wait_for()
        page.wait_for_function(
            "document.activeElement.classList.contains('nhsuk-notification-banner')"
        )

        # The header was swapped without a reload: new RAG, status and percentage, no Overdue.
        after = header_text(page)
        assert RAG.BLUE.label in after
        assert ProgressStatus.COMPLETED.label in after
        assert "100% complete" in after
        assert "Overdue" not in after
        assert page.locator("#item-header").count() == 1

        focused = page.evaluate(FOCUSED)
        assert "nhsuk-notification-banner--success" in focused["classes"]
        assert focused["tabindex"] == "-1"  # focusable by script, not a tab stop
        assert focused["alert"], "role=alert makes screen readers announce it"
        assert focused["labelledby"] == "saved-title"
        assert "Your progress update has been saved." in focused["text"]
        assert not page.title().startswith("Error:")
        assert_accessible(page)

    def test_error_focuses_the_summary_and_prefixes_the_title(self, item_page):
        page = item_page
        title = page.title()
        assert not title.startswith("Error:")
        before = header_text(page)

        page.get_by_label(RAG.RED.label, exact=True).check()
        page.get_by_label("Narrative").fill("")
        page.get_by_role("button", name="Save update").click()
        page.wait_for_function("document.activeElement.classList.contains('nhsuk-error-summary')")

        focused = page.evaluate(FOCUSED)
        assert focused["tabindex"] == "-1"
        assert focused["alert"], "the summary's role=alert makes screen readers announce it"
        assert "There is a problem" in focused["text"]
        assert page.title() == f"Error: {title}"
        assert header_text(page) == before  # nothing saved, nothing changed
        assert_accessible(page)

        # Putting it right clears the prefix and focuses the success banner.
        page.get_by_label("Narrative").fill("Two SLAs outstanding")
        page.get_by_role("button", name="Save update").click()
        page.wait_for_function(
            "document.activeElement.classList.contains('nhsuk-notification-banner')"
        )
        assert page.title() == title
        assert RAG.RED.label in header_text(page)
