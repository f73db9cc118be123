"""Issue 12, item 1 (part) in Chromium: the SSP planner opens the plan's editing pages from the
plan page, adds a formatted narrative section (a script in it is removed), moves a strategic
priority up with the button (no script needed), and axe passes on each page."""

from __future__ import annotations

import pytest

from demo.loader import load_demo
from demo.ssp import PLAN_SLUG
from demo.users import DEMO_PASSWORD
from planning.models import PlanSection, StrategicPriority
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    return live_server


class TestPlanEditing:
    def test_planner_edits_narrative_and_priorities(self, demo_site, page):
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        page.goto(f"/plans/{PLAN_SLUG}/")
        page.get_by_role("link", name="Narrative sections").click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.get_by_role("button", name="Add a section").click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.get_by_label("What kind of section is it?").select_option("other")
        page.get_by_label("Heading").fill("Our new section")
        page.get_by_label("Text").fill("<p>Plain <em>words</em><script>alert(1)</script></p>")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        page.get_by_text("The section has been added").wait_for()
        assert_accessible(page)
        assert page.locator(".app-narrative em", has_text="words").count() == 1
        stored = PlanSection.objects.get(plan__slug=PLAN_SLUG, title="Our new section")
        assert "script" not in stored.body

        # At a phone's width the list page does not scroll sideways.
        page.set_viewport_size({"width": 390, "height": 900})
        for kind in ("sections", "swot", "priorities"):
            page.goto(f"/plans/{PLAN_SLUG}/edit/{kind}/")
            wide = page.evaluate(
                "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not wide, kind
            assert_accessible(page)
        second = StrategicPriority.objects.filter(plan__slug=PLAN_SLUG).order_by("number")[1]
        page.get_by_role("button", name="Move up").first.wait_for()
        page.locator("li", has_text=second.title[:40]).get_by_role("button", name="Move up").click()
        page.wait_for_load_state()
        page.get_by_text("has been moved").wait_for()
        second.refresh_from_db()
        assert second.number == 1
