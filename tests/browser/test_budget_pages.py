"""Budget pages in Chromium, as the people who use them, with axe on every page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budgets.models import IncomeLine, MonthlyActual, SavingsScheme, SavingsTarget
from demo.loader import load_demo
from demo.users import DEMO_PASSWORD
from planning.models import Organisation, Plan
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "ssp-business-plan-2006-07"
BASE = f"/budgets/plans/{SLUG}/2006"


@pytest.fixture
def budget_site(transactional_db, live_server):
    load_demo()
    plan = Plan.objects.get(slug=SLUG)
    line = IncomeLine.objects.get(
        plan=plan, funder_label="Croydon PCT", service_line__name="Management Services"
    )
    for month, amount in [(4, "16000"), (5, "17000")]:
        MonthlyActual.objects.create(
            income_line=line, month=dt.date(2006, month, 1), amount=Decimal(amount)
        )
    scheme = SavingsScheme.objects.create(
        plan=plan, title="Procurement Alliance savings", fte_effect=Decimal("-1.5"), rag="amber"
    )
    SavingsTarget.objects.create(
        scheme=scheme, financial_year=2006, amount=Decimal(100000), delivered=Decimal(40000)
    )
    croydon = UserFactory(username="croydon-finance")
    MembershipFactory(user=croydon, organisation=Organisation.objects.get(slug="croydon-pct"))
    return live_server


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)


class TestBudgetPages:
    def test_board_member_reads_the_summary_monitoring_and_savings(self, budget_site, page):
        sign_in(page, "ssp-board", DEMO_PASSWORD)
        visit(page, "/budgets/")
        visit(page, f"{BASE}/")
        assert "a deficit of £1" in page.inner_text("main")
        visit(page, f"{BASE}/monitoring/")
        page.get_by_label("Month", exact=True).select_option(label="September 2006")
        page.get_by_role("button", name="Show month").click()
        page.wait_for_load_state()
        assert "Position at the end of September 2006" in page.inner_text("main")
        assert_accessible(page)
        visit(page, f"/budgets/plans/{SLUG}/savings/")

    def test_manager_reads_the_monitoring(self, budget_site, page):
        sign_in(page, "ssp-manager", DEMO_PASSWORD)
        visit(page, f"{BASE}/monitoring/?month=2006-05")
        assert "£916.67 adverse" in page.inner_text("main")

    def test_partner_sees_its_contributions(self, budget_site, page):
        sign_in(page, "croydon-finance")
        visit(page, "/budgets/partner/ssp/")
        text = page.inner_text("main")
        assert "£203,500" in text and "Kingston" not in text

    def test_planner_edits_and_is_told_what_is_wrong(self, budget_site, page):
        sign_in(page, "ssp-planner", DEMO_PASSWORD)
        visit(page, f"{BASE}/expenditure/")
        page.locator("#id_expenditure-0-amount").fill("-5")
        page.get_by_role("button", name="Save changes").click()
        page.get_by_text("There is a problem").wait_for()
        assert "amounts cannot be negative" in page.inner_text("main")
        assert_accessible(page)
        visit(page, f"{BASE}/income/")
        visit(page, f"{BASE}/actuals/2006-05/")
        visit(page, f"{BASE}/import/")
        visit(page, f"/budgets/plans/{SLUG}/thresholds/")
        visit(page, f"/budgets/plans/{SLUG}/service-lines/")
        visit(page, f"/budgets/plans/{SLUG}/savings/new/")
        page.get_by_label("Scheme name", exact=True).fill("Agency reduction")
        page.get_by_label("Target saving 2006/07 in pounds (optional)", exact=True).fill("-1")
        page.get_by_role("button", name="Save scheme").click()
        page.get_by_text("There is a problem").wait_for()
        assert_accessible(page)
        visit(page, "/budgets/partner/ssp/")
        visit(page, "/budgets/partner/ssp/?partner=croydon-pct")
