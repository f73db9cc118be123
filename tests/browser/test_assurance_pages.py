"""The risk register and the Board Assurance Framework in Chromium, with axe on every page, at a
phone's width (the page never scrolls sideways) and a desktop's; and a planner's bad input is
refused with a message next to the field."""

from __future__ import annotations

import pytest

from assurance.models import Risk, RiskCategory
from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "ssp-business-plan-2006-07"
SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture
def site(transactional_db, live_server):
    load_demo()
    return live_server


def _pages() -> list[tuple[str, str]]:
    risk = Risk.objects.filter(synthetic=True).order_by("pk").first()
    control = risk.controls.first()
    category = RiskCategory.objects.filter(organisation=risk.organisation).first()
    return [
        ("ssp-board", f"/plans/{SLUG}/board-assurance-framework/"),
        ("ssp-board", "/organisations/ssp/risks/"),
        ("ssp-board", f"/risks/{risk.pk}/"),
        ("ssp-manager", f"/risks/{risk.pk}/review"),
        ("ssp-planner", "/organisations/ssp/risks/add"),
        ("ssp-planner", f"/risks/{risk.pk}/edit"),
        ("ssp-planner", f"/risks/{risk.pk}/controls/add"),
        ("ssp-planner", f"/risk-controls/{control.pk}/"),
        ("ssp-planner", "/organisations/ssp/risks/settings"),
        ("ssp-planner", "/organisations/ssp/risks/categories/add"),
        ("ssp-planner", f"/risk-categories/{category.pk}/"),
        ("ssp-planner", "/organisations/ssp/risks/import"),
        ("hssp-board", "/organisations/hssp/risks/"),
    ]


class TestAssurancePages:
    def test_every_page_passes_axe_and_fits_a_phone(self, site, new_page):
        pages: dict[str, object] = {}
        for username, path in _pages():
            if username not in pages:
                pages[username] = new_page()
                sign_in(pages[username], username, DEMO_PASSWORD)
            page = pages[username]
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(path)
                assert response.status == 200, path
                assert not page.evaluate(SIDEWAYS), f"{path} scrolls sideways at {width}px"
                assert_accessible(page)

    def test_bad_scores_are_refused_next_to_the_field(self, site, new_page):
        page = new_page()
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        page.goto("/organisations/ssp/risks/add")
        page.get_by_label("Risk", exact=True).fill("Loss of the payroll contract")
        page.get_by_label("Inherent likelihood").select_option("2")
        page.get_by_label("Inherent consequence").select_option("2")
        page.get_by_label("Target likelihood").select_option("3")
        page.get_by_label("Target consequence").select_option("3")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        assert page.title().startswith("Error:")
        summary = page.locator(".nhsuk-error-summary")
        assert "cannot be higher than the inherent score" in summary.inner_text()
        assert page.locator("#id_target_likelihood_error").is_visible()
        assert not Risk.objects.filter(title="Loss of the payroll contract").exists()
        assert_accessible(page)
