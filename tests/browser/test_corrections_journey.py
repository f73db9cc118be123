"""A manager corrects an update, withdraws another and completes a milestone, in Chromium, with
axe on every page. The item's plan covers this year, so this quarter's reporting window is open
(the demo plans are years old: their windows closed long ago)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from objectives.models import Milestone, ProgressUpdate, UpdateState
from planning.fy import Quarter
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    MembershipFactory,
    MilestoneFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM = "Refurbish the day unit"


@pytest.fixture
def item(transactional_db, live_server):
    today = timezone.localdate()
    now = Quarter.containing(today)
    organisation = OrganisationFactory(name="Riverside Trust")
    unit = OrgUnitFactory(organisation=organisation, name="Estates")
    plan = PlanFactory(organisation=organisation, start_year=now.year, end_year=now.year)
    objective = ObjectiveFactory(plan=plan, text=ITEM, org_unit=unit, reference="3.1")
    manager = UserFactory(username="manager")
    MembershipFactory(user=manager, organisation=organisation, role="contributor").org_units.add(
        unit
    )
    MilestoneFactory(
        objective=objective, text="Survey the unit", due_date=today - dt.timedelta(days=2)
    )
    return objective


def post_update(page, *, percent: str, narrative: str = ""):
    page.get_by_label("Green", exact=True).check()
    page.get_by_label("Progress status").select_option(label="In progress")
    page.get_by_label("Percentage complete").fill(percent)
    page.get_by_label("Narrative").fill(narrative)
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("Your progress update has been saved.").wait_for()


class TestCorrectionsJourney:
    def test_manager_corrects_withdraws_and_completes(self, item, page):
        sign_in(page, "manager")
        page.goto("/my-work/")
        page.get_by_role("heading", name="Overdue milestones").wait_for()
        assert page.get_by_text("Survey the unit").is_visible()
        assert_accessible(page)

        page.goto(item.get_absolute_url())
        assert_accessible(page)
        post_update(page, percent="4", narrative="Started the survey")

        # Correct it: the page shows the update, asks why, and takes its place.
        page.get_by_role("link", name="Correct the update").first.click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.get_by_label("Percentage complete").fill("40")
        page.get_by_role("button", name="Save correction").click()
        page.get_by_text("There is a problem").wait_for()  # no reason given
        assert_accessible(page)
        page.get_by_label("Why are you correcting this update?").fill("Typed 4 for 40")
        page.get_by_role("button", name="Save correction").click()
        page.get_by_text("The update has been corrected").wait_for()
        assert page.get_by_text("Typed 4 for 40").is_visible()
        assert_accessible(page)

        # A second update, withdrawn with a reason.
        post_update(page, percent="90", narrative="Wrong item")
        page.get_by_role("link", name="Withdraw the update").first.click()
        page.wait_for_load_state()
        assert_accessible(page)
        page.get_by_label("Why are you withdrawing it?").fill("Entered against the wrong item")
        page.get_by_role("button", name="Withdraw update").click()
        page.get_by_text("The update has been withdrawn").wait_for()
        assert_accessible(page)

        item.refresh_from_db()
        assert item.percent_complete == 40  # back to the corrected update
        states = sorted(ProgressUpdate.all_objects.values_list("state", flat=True))
        assert states == sorted([UpdateState.CORRECTED, UpdateState.CURRENT, UpdateState.WITHDRAWN])

        # Complete the overdue milestone.
        page.get_by_role("button", name="Mark complete").click()
        page.get_by_text("The milestone is complete.").wait_for()
        assert page.get_by_role("button", name="Reopen").is_visible()
        assert_accessible(page)
        assert Milestone.objects.get().completed_on == timezone.localdate()

        page.get_by_role("button", name="Add a milestone").click()
        page.wait_for_load_state()
        assert_accessible(page)
