"""Issue 12, item 6: the corporate business manager's year in Chromium, axe on every page.

The SSP planner rolls 2006/07 forward to 2007/08 through the preview page, rewords a strategic
priority, adds an objective with a milestone and a KPI link, and submits the plan; the
administrator approves it and records the board's ratification with its minute; the plan's PDF
then holds the new objective and no DRAFT mark."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from demo.loader import load_demo
from demo.ssp import PLAN_SLUG
from demo.users import DEMO_PASSWORD
from kpis.models import KPI
from objectives.models import Milestone, Objective
from planning.models import Plan, PlanStatus, StrategicPriority
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_SLUG = "ssp-business-plan-2007-08"
NEW_ITEM = "Open a shared service desk for the partner PCTs"
NEW_WORDING = "Deliver high quality, cost effective support services in 2007/08"
MINUTE = "SSP/BD/2007/031"


@pytest.fixture
def demo_site(transactional_db, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    return live_server


def _go(page, action) -> None:
    action()
    page.wait_for_load_state()
    assert_accessible(page)


class TestPlanningYear:
    def test_roll_forward_edit_submit_approve_ratify_export(self, demo_site, new_page, tmp_path):
        source = Plan.objects.get(slug=PLAN_SLUG)
        open_items = Objective.objects.filter(plan=source).open().count()
        today = timezone.localdate().isoformat()

        # --- the planner: roll forward, edit, add, submit ---------------------------------
        planner = new_page()
        sign_in(planner, "ssp-planner", DEMO_PASSWORD)
        planner.goto(source.get_absolute_url())
        _go(planner, lambda: planner.get_by_role("link", name="Roll forward to next year").click())
        planner.get_by_role("heading", name="Roll forward to next year").wait_for()
        assert planner.get_by_label("First financial year of the new plan").input_value() == "2007"
        _go(planner, lambda: planner.get_by_role("button", name="Start the new plan").click())
        planner.get_by_text("has been started from 2006/07's plan").wait_for()
        assert planner.url.endswith(f"/plans/{NEW_SLUG}/")
        new = Plan.objects.get(slug=NEW_SLUG)
        assert new.status == PlanStatus.DRAFT and new.rolled_forward_from == source
        assert Objective.objects.filter(plan=new).count() == open_items

        _go(
            planner,
            lambda: planner.get_by_role("link", name="Strategic priorities", exact=True).click(),
        )
        first = StrategicPriority.objects.filter(plan=new).order_by("number").first()
        _go(
            planner,
            lambda: planner.get_by_role("link", name=f"Edit {str(first)[:40]}").first.click(),
        )
        planner.get_by_label("Strategic priority").fill(NEW_WORDING)
        _go(planner, lambda: planner.get_by_role("button", name="Save").click())
        first.refresh_from_db()
        assert first.title == NEW_WORDING

        kpi = KPI.objects.filter(plan=new).order_by("code").first()
        planner.goto(new.get_absolute_url())
        _go(planner, lambda: planner.get_by_role("link", name="Add an objective or action").click())
        planner.get_by_label("Reference").fill("13.1")
        planner.get_by_label("Objective or action", exact=True).fill(NEW_ITEM)
        planner.get_by_label(str(kpi)).check()
        _go(planner, lambda: planner.get_by_role("button", name="Save item").click())
        planner.get_by_text("The item has been added to the plan").wait_for()
        item = Objective.objects.get(plan=new, reference="13.1")
        assert list(item.kpis.all()) == [kpi]

        _go(planner, lambda: planner.locator("a", has_text="Add a milestone").click())
        planner.get_by_label("Milestone").fill("Desk staffed and open to callers")
        _go(planner, lambda: planner.get_by_role("button", name="Save milestone").click())
        planner.get_by_text("The milestone has been added").wait_for()
        assert Milestone.objects.filter(objective=item).count() == 1

        planner.goto(new.get_absolute_url())
        _go(
            planner,
            lambda: planner.get_by_role("link", name="Submit the plan for approval").click(),
        )
        _go(planner, lambda: planner.get_by_role("button", name="Submit for approval").click())
        planner.get_by_text("has been submitted for approval").wait_for()

        # --- the administrator: approve, ratify, export ---------------------------------------
        admin = new_page()
        sign_in(admin, "ssp-admin", DEMO_PASSWORD)
        admin.goto(new.get_absolute_url())
        _go(admin, lambda: admin.get_by_role("link", name="Record the plan's approval").click())
        admin.get_by_label("Approved by").fill("Executive team")
        admin.get_by_label("Date approved").fill(today)
        _go(admin, lambda: admin.get_by_role("button", name="Record approval").click())
        admin.get_by_text("approval has been recorded").wait_for()
        _go(
            admin,
            lambda: admin.get_by_role("link", name="Record the board's ratification").click(),
        )
        admin.get_by_label("Ratified by").fill("SSP Board")
        admin.get_by_label("Date ratified").fill(today)
        admin.get_by_label("Board minute reference").fill(MINUTE)
        _go(admin, lambda: admin.get_by_role("button", name="Record ratification").click())
        admin.get_by_text("ratification has been recorded").wait_for()
        new.refresh_from_db()
        assert new.status == PlanStatus.RATIFIED and new.board_minute_reference == MINUTE

        admin.goto(f"/plans/{NEW_SLUG}/export/")
        assert_accessible(admin)
        # Rendering the PDF takes a while on a busy machine: a generous wait for it.
        with admin.expect_download(timeout=120_000) as info:
            admin.get_by_role("button", name="Download the annual plan (PDF)").click(
                timeout=120_000
            )
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        data = target.read_bytes()
        assert data.startswith(b"%PDF")
        text = " ".join(
            " ".join((page.extract_text() or "").split())
            for page in PdfReader(io.BytesIO(data)).pages
        )
        assert NEW_ITEM in text
        assert NEW_WORDING in text
        assert MINUTE in text
        assert "DRAFT" not in text
