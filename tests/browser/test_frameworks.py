"""The competency framework and gap-analysis pages in Chromium, with the demo's synthetic SSP
framework: every page of the frameworks app, at a phone's and a desktop's width, never scrolls
sideways and passes axe; the planner records an assessment, is told next to the field when a
level is outside the framework's, and sets a target for every competency at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demo.frameworks import FRAMEWORK_NAME, GAP_TITLE
from demo.loader import load_demo
from demo.ssp import PLAN_SLUG
from demo.users import DEMO_PASSWORD
from frameworks.models import Assessment, CompetencyTarget, Framework, GapAnalysis
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    return live_server


def every_page() -> list[str]:
    framework = Framework.objects.get(name=FRAMEWORK_NAME)
    competency = framework.competencies.order_by("number").first()
    assessment = framework.assessments.order_by("assessed_on").first()
    target = CompetencyTarget.objects.filter(competency=competency).first()
    analysis = GapAnalysis.objects.get(title=GAP_TITLE)
    dimension = analysis.dimensions.order_by("order").first()
    organisation = framework.organisation.slug
    return [
        reverse("frameworks:list", args=[organisation]),
        reverse("frameworks:create", args=[organisation]),
        reverse("frameworks:detail", args=[framework.pk]),
        reverse("frameworks:edit", args=[framework.pk]),
        reverse("frameworks:competency_create", args=[framework.pk]),
        reverse("frameworks:competency_edit", args=[competency.pk]),
        reverse("frameworks:assessments", args=[framework.pk]),
        reverse("frameworks:assessment_create", args=[framework.pk]),
        reverse("frameworks:assessment_edit", args=[assessment.pk]),
        reverse("frameworks:import", args=[framework.pk]),
        reverse("frameworks:target_create", args=[framework.pk]),
        reverse("frameworks:target_edit", args=[target.pk]),
        reverse("frameworks:target_delete", args=[target.pk]),
        reverse("frameworks:assessment_delete", args=[assessment.pk]),
        reverse("frameworks:gap_list", args=[PLAN_SLUG]),
        reverse("frameworks:gap_create", args=[PLAN_SLUG]),
        reverse("frameworks:gap_detail", args=[analysis.pk]),
        reverse("frameworks:gap_edit", args=[analysis.pk]),
        reverse("frameworks:dimension_create", args=[analysis.pk]),
        reverse("frameworks:dimension_edit", args=[dimension.pk]),
    ]


class TestFrameworkPages:
    def test_every_page_fits_a_phone_and_passes_axe(self, demo_site, page):
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        problems = []
        for path in every_page():
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(path)
                assert response.status == 200, path
                if page.evaluate(WIDE):
                    problems.append(f"{path} scrolls sideways at {width}px")
                assert_accessible(page)
        assert not problems, problems

    def test_board_member_reads_the_synthetic_framework(self, demo_site, page):
        sign_in(page, "ssp-board", DEMO_PASSWORD)
        page.goto(f"/plans/{PLAN_SLUG}/")
        page.get_by_role("link", name="Competency frameworks").click()
        page.get_by_role("link", name=FRAMEWORK_NAME).click()
        page.wait_for_load_state()
        page.get_by_text("Synthetic demo data").first.wait_for()
        assert page.locator("svg.app-competency-chart").count() == 6
        assert page.get_by_role("button", name="Record an assessment").count() == 0
        assert_accessible(page)

    def test_planner_records_an_assessment_and_sets_targets(self, demo_site, page):
        framework = Framework.objects.get(name=FRAMEWORK_NAME)
        first = framework.competencies.order_by("number").first()
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        page.goto(reverse("frameworks:detail", args=[framework.pk]))
        page.get_by_role("button", name="Record an assessment").click()
        page.wait_for_load_state()
        page.get_by_label("Date of the assessment").fill("2007-03-30")
        page.get_by_label("Self-assessment").check()
        page.get_by_label(f"{first}: level").fill("7")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        page.locator(".nhsuk-error-message", has_text="Enter a level from 1 to 4").wait_for()
        assert_accessible(page)
        assert framework.assessments.count() == 3
        page.get_by_label(f"{first}: level").fill("4")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        page.get_by_text("The assessment has been recorded").wait_for()
        assert Assessment.objects.filter(framework=framework).count() == 4

        page.goto(reverse("frameworks:target_create", args=[framework.pk]))
        page.get_by_label("Which competency?").select_option("all")
        page.get_by_label("By when?").fill("2010-03-31")
        page.get_by_label("Target level").fill("4")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        page.locator(".nhsuk-error-message", has_text="plan periods").wait_for()
        page.get_by_label("By when?").fill("2007-03-01")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        page.get_by_text("The target has been set").wait_for()
        assert (
            CompetencyTarget.objects.filter(competency__framework=framework, level=4).count() == 6
        )
