"""Chromium (Debian's package) driven by Playwright, with axe-core checks on every page.

Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
thread with a running loop unless told it is safe. Here it is: the loop only drives the browser.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """A factory of pages, each in its own browser context (its own sign-in)."""
    contexts = []

    def make():
        # axe is injected as a script tag, which our Content-Security-Policy would block.
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def assert_accessible(page) -> None:
    """Run axe-core on the page as it is now; fail on any WCAG 2.2 A/AA violation."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in results["violations"]
    ]
    assert not problems, f"axe found violations on {page.url}:\n" + "\n".join(problems)


def sign_in(page, username: str, password: str = "password") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def reopen_demo_quarters(*quarters: tuple[str, int]) -> None:
    """The demo plans' quarters locked long ago (planning.reporting_window): reopen the ones a
    test reports on, as the plan's planner would for late figures. quarters: ("first" or
    "last" year of the SSP plan, quarter number)."""
    from django.contrib.auth import get_user_model

    from demo.ssp import PLAN_SLUG
    from planning import reporting_window
    from planning.fy import Quarter
    from planning.models import Plan

    plan = Plan.objects.get(slug=PLAN_SLUG)
    planner = get_user_model().objects.get(username="ssp-planner")
    for which, number in quarters:
        year = plan.start_year if which == "first" else plan.end_year
        reporting_window.quarter_reopen(
            plan=plan, quarter=Quarter(year, number), by=planner, reason="Late figures"
        )
