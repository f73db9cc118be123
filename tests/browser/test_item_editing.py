"""Issue 12, item 1 in Chromium: the SSP planner adds an objective (a taken reference is refused
next to the field), moves it, moves it to another department, and deletes it; the close page
too. Axe on every page."""

from __future__ import annotations

import pytest

from demo.loader import load_demo
from demo.ssp import PLAN_SLUG
from demo.users import DEMO_PASSWORD
from objectives.models import Objective
from planning.models import OrgUnit, Plan
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    return live_server


class TestPlannerEditsItems:
    def test_add_move_and_delete_an_objective(self, demo_site, page):
        plan = Plan.objects.get(slug=PLAN_SLUG)
        taken = Objective.objects.filter(plan=plan).exclude(reference="").first().reference
        units = list(OrgUnit.objects.filter(organisation=plan.organisation).order_by("name")[:2])
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        page.goto(plan.get_absolute_url())
        page.get_by_role("link", name="Add an objective or action").click()
        page.wait_for_load_state()
        assert_accessible(page)

        page.get_by_label("Reference").fill(taken)
        page.get_by_label("Objective or action", exact=True).fill("Open the new clinic")
        page.get_by_label("Department").select_option(label=units[0].name)
        page.get_by_role("button", name="Save item").click()
        page.wait_for_load_state()
        page.get_by_text("There is a problem").wait_for()
        assert f"already has the reference {taken}" in page.content()
        assert_accessible(page)

        page.get_by_label("Reference").fill("99.1")
        page.get_by_role("button", name="Save item").click()
        page.wait_for_load_state()
        page.get_by_text("The item has been added to the plan").wait_for()
        assert_accessible(page)
        item = Objective.objects.get(plan=plan, reference="99.1")
        assert item.org_unit == units[0]

        page.get_by_role("button", name="Move up its list").click()
        page.wait_for_load_state()
        assert_accessible(page)

        page.get_by_role("button", name="Edit this item").click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.get_by_label("Department").select_option(label=units[1].name)
        page.get_by_role("button", name="Save item").click()
        page.wait_for_load_state()
        page.get_by_text("The item has been saved").wait_for()
        item.refresh_from_db()
        assert item.org_unit == units[1]

        page.get_by_role("link", name="Close or cancel this item").click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.go_back()
        page.wait_for_load_state()

        page.get_by_role("link", name="Delete this item").click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.get_by_role("button", name="Delete item").click()
        page.wait_for_load_state()
        page.get_by_text("has been deleted").wait_for()
        assert not Objective.objects.filter(pk=item.pk).exists()
