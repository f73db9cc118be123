"""Where each demo sign-in lands (planning.landing), with the demo loaded as `make run` loads it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demo import ccg, ssp
from demo.users import DEMO_PASSWORD


def scorecard(slug):
    return reverse("reporting:scorecard", args=[slug])


def plan_page(slug):
    return reverse("reporting:plan_detail", args=[slug])


@pytest.mark.django_db
class TestDemoLanding:
    @pytest.mark.parametrize(
        ("username", "expected"),
        [
            ("ssp-board", scorecard(ssp.PLAN_SLUG)),
            ("ssp-manager", reverse("objectives:my_work")),
            ("ssp-planner", plan_page(ssp.PLAN_SLUG)),
            ("ssp-admin", plan_page(ssp.PLAN_SLUG)),
            # Croydon PCT holds no plan of its own: the list of plans (and the partner view).
            ("ssp-partner", reverse("planning:home")),
            ("ccg-board", scorecard(ccg.PLAN_SLUG)),
            ("ccg-manager", reverse("objectives:my_work")),
            ("ccg-planner", plan_page(ccg.PLAN_SLUG)),
            ("ccg-admin", plan_page(ccg.PLAN_SLUG)),
        ],
    )
    def test_sign_in_lands_by_role(self, client, demo, username, expected):
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response["Location"] == expected
        assert client.get(expected).status_code == 200
