"""What an htmx save returns: the progress partial, the item header out of band (so the
page's badges follow the update), and a <title> htmx applies, "Error: …" when refused."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import ObjectiveFactory, reopen_reported_quarters


@pytest.fixture(autouse=True)
def _reported_year_reopened(plan):
    """These tests report on 2006/07, whose quarters locked long ago (planning.reporting_window):
    they are reopened, as a planner would."""
    reopen_reported_quarters(plan)


def post(client, objective, **overrides):
    data = {
        "period": "2006-Q2",
        "rag": "green",
        "status": "in_progress",
        "percent_complete": "30",
        "narrative": "",
        "next_steps": "",
        "evidence_url": "",
        "version": str(objective.version),
        **overrides,
    }
    return client.post(
        reverse("objectives:update", args=[objective.pk]), data, HTTP_HX_REQUEST="true"
    )


def oob_header(html: str) -> str:
    match = re.search(r'<div id="item-header" hx-swap-oob="true">(.*?)</div>', html, re.S)
    assert match, "the header comes out of band"
    return match.group(1)


def title(html: str) -> str:
    match = re.match(r"\s*<title>(.*?)</title>", html, re.S)
    assert match, "a top-level <title> first, which htmx applies to the document"
    return match.group(1)


@pytest.mark.django_db
class TestHtmxSaveFeedback:
    def test_saved_update_sends_the_new_header_and_a_plain_title(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan, rag="", status="not_started", percent_complete=0)
        client.force_login(planner)
        response = post(client, objective, rag="blue", status="completed", percent_complete="100")
        assert response.status_code == 200
        html = response.text
        header = oob_header(html)
        assert "Blue" in header and "Completed" in header and "100% complete" in header
        assert not title(html).startswith("Error:")
        assert 'role="alert"' in html and "Your progress update has been saved." in html

    def test_refused_update_sends_the_error_title_and_the_unchanged_header(
        self, client, planner, plan
    ):
        objective = ObjectiveFactory(plan=plan, rag="green", status="in_progress")
        client.force_login(planner)
        response = post(client, objective, rag="red", narrative="")
        assert response.status_code == 200  # htmx swaps 2xx only
        html = response.text
        assert title(html).startswith("Error: ")
        assert "nhsuk-error-summary" in html
        header = oob_header(html)
        assert "Green" in header and "Red" not in header
        objective.refresh_from_db()
        assert objective.rag == "green"

    def test_full_page_uses_the_same_header(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        html = client.get(reverse("objectives:detail", args=[objective.pk])).text
        assert html.count('id="item-header"') == 1
        assert "hx-swap-oob" not in html
