"""Where each demo role lands after signing in, in Chromium, with axe on the landing page."""

from __future__ import annotations

import pytest

from demo.loader import load_demo
from demo.ssp import PLAN_SLUG
from demo.users import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    return live_server


class TestLanding:
    @pytest.mark.parametrize(
        ("username", "path", "heading"),
        [
            ("ssp-manager", "/my-work/", "My work"),
            ("ssp-board", f"/plans/{PLAN_SLUG}/scorecard/", "Quarterly scorecard: Q4 2006/07"),
            ("ssp-planner", f"/plans/{PLAN_SLUG}/", None),
        ],
    )
    def test_each_role_lands_on_its_page(self, demo_site, page, username, path, heading):
        sign_in(page, username, DEMO_PASSWORD)
        assert page.url == demo_site.url + path
        if heading:
            assert page.get_by_role("heading", level=1).inner_text() == heading
        assert_accessible(page)

    def test_planner_sees_what_needs_attention(self, demo_site, page):
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        panel = page.locator("#attention")
        assert panel.get_by_role("heading", name="Needs attention in Q4 2006/07").is_visible()

    def test_board_member_has_no_my_work_link(self, demo_site, page):
        sign_in(page, "ssp-board", DEMO_PASSWORD)
        assert page.get_by_role("link", name="My work").count() == 0
