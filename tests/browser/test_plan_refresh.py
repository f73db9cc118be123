"""Issue 12, item 3 in Chromium: the CCG planner starts a refresh of the ratified plan (4.0 →
4.1) from its status panel, changes an action, and compares the draft with version 4.0 at a
phone's width: the page does not scroll sideways, and axe passes."""

from __future__ import annotations

import pytest

from demo import ccg
from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from objectives import editing
from objectives.models import Objective
from planning.models import Plan, User
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    return live_server


class TestPlanRefresh:
    def test_planner_refreshes_and_compares(self, demo_site, page):
        sign_in(page, "ccg-planner", DEMO_PASSWORD)
        page.goto(f"/plans/{ccg.PLAN_SLUG}/")
        page.get_by_role("link", name="Start a refresh").click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.get_by_text("Leave it blank for version 4.1").wait_for()
        page.get_by_role("button", name="Start the refresh").click()
        page.wait_for_load_state()
        page.get_by_text("The refresh has started").wait_for()
        plan = Plan.objects.get(slug=ccg.PLAN_SLUG)
        assert (plan.version_label, plan.status) == ("4.1", "draft")

        action = Objective.objects.get(plan=plan, reference="6.1")
        editing.objective_update(
            objective=action,
            by=User.objects.get(username="ccg-planner"),
            expected_version=action.version,
            data={"text": "A revised first action"},
        )
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(f"/plans/{ccg.PLAN_SLUG}/")
        page.get_by_role("link", name="Compare versions of this plan").click()
        page.wait_for_load_state()
        page.get_by_text("0 added, 0 removed, 1 changed").first.wait_for()
        assert page.get_by_role("cell", name="A revised first action").count() == 1
        wide = page.evaluate(
            "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not wide
        assert_accessible(page)
