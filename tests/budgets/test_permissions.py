"""Every budget view × every role: viewer reads, contributor reads monitoring, planner edits,
outsider 404, anonymous to sign-in. Enforced on the server, for GET and POST alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import SavingsScheme

READ = {"viewer": 200, "contributor": 200, "planner": 200, "org_admin": 200, "outsider": 404}
EDIT = {"viewer": 403, "contributor": 403, "planner": 200, "org_admin": 200, "outsider": 404}


def urls(plan, scheme):
    s, y = plan.slug, 2006
    return {
        "summary": (reverse("budgets:summary", args=[s, y]), READ),
        "plan": (
            reverse("budgets:plan", args=[s]),
            {k: 302 if v == 200 else v for k, v in READ.items()},
        ),
        "monitoring": (reverse("budgets:monitoring", args=[s, y]), READ),
        "monitoring_month": (reverse("budgets:monitoring", args=[s, y]) + "?month=2006-09", READ),
        "savings": (reverse("budgets:savings", args=[s]), READ),
        "partner": (reverse("budgets:partner", args=[plan.organisation.slug]), READ),
        "income_edit": (reverse("budgets:income_edit", args=[s, y]), EDIT),
        "expenditure_edit": (reverse("budgets:expenditure_edit", args=[s, y]), EDIT),
        "service_lines": (reverse("budgets:service_lines", args=[s]), EDIT),
        "actuals": (reverse("budgets:actuals", args=[s, y, "2006-09"]), EDIT),
        "thresholds": (reverse("budgets:thresholds", args=[s]), EDIT),
        "import": (reverse("budgets:import", args=[s, y]), EDIT),
        "import_template": (reverse("budgets:import_template", args=[s, y, "lines"]), EDIT),
        "savings_create": (reverse("budgets:savings_create", args=[s]), EDIT),
        "savings_edit": (reverse("budgets:savings_edit", args=[s, scheme.pk]), EDIT),
    }


WRITES = [
    "income_edit",
    "expenditure_edit",
    "service_lines",
    "actuals",
    "thresholds",
    "import",
    "savings_create",
    "savings_edit",
]
VIEWS = [
    "summary",
    "plan",
    "monitoring",
    "monitoring_month",
    "savings",
    "partner",
    "income_edit",
    "expenditure_edit",
    "service_lines",
    "actuals",
    "thresholds",
    "import",
    "import_template",
    "savings_create",
    "savings_edit",
]
ROLES = ["viewer", "contributor", "planner", "org_admin", "outsider"]


@pytest.fixture
def scheme(plan):
    return SavingsScheme.objects.create(plan=plan, title="Procurement savings")


@pytest.mark.django_db
class TestBudgetPermissions:
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("view", VIEWS)
    def test_get(self, client, request, plan, budget, scheme, role, view):
        user = request.getfixturevalue(role)
        client.force_login(user)
        url, expected = urls(plan, scheme)[view]
        assert client.get(url).status_code == expected[role]

    @pytest.mark.parametrize("role", ["viewer", "contributor", "outsider"])
    @pytest.mark.parametrize("view", WRITES)
    def test_post_refused_and_nothing_written(
        self, client, request, plan, budget, scheme, role, view
    ):
        from budgets.models import BudgetYear, ExpenditureLine, IncomeLine

        before = (
            list(IncomeLine.objects.values_list("pk", "amount")),
            list(ExpenditureLine.objects.values_list("pk", "amount")),
        )
        client.force_login(request.getfixturevalue(role))
        url, expected = urls(plan, scheme)[view]
        response = client.post(
            url, {"version": "0", "title": "Hijack", "amber_at_percent": "1", "red_at_percent": "2"}
        )
        assert response.status_code == expected[role]
        assert before == (
            list(IncomeLine.objects.values_list("pk", "amount")),
            list(ExpenditureLine.objects.values_list("pk", "amount")),
        )
        assert not BudgetYear.objects.exists()
        assert not SavingsScheme.objects.filter(title="Hijack").exists()

    @pytest.mark.parametrize(
        "view",
        [
            "summary",
            "monitoring",
            "savings",
            "partner",
            "income_edit",
            "actuals",
            "import",
            "savings_edit",
        ],
    )
    def test_anonymous_is_sent_to_sign_in(self, client, plan, scheme, view):
        url, _ = urls(plan, scheme)[view]
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_index_lists_only_own_plans(self, client, plan, outsider):
        client.force_login(outsider)
        response = client.get(reverse("budgets:index"))
        assert response.status_code == 200
        assert plan.slug not in response.text

    def test_a_year_the_plan_does_not_cover_is_not_found(self, client, plan, viewer):
        client.force_login(viewer)
        assert client.get(reverse("budgets:summary", args=[plan.slug, 2007])).status_code == 404
        url = reverse("budgets:monitoring", args=[plan.slug, 2006])
        assert client.get(url + "?month=2007-04").status_code == 404
        assert client.get(url + "?month=rubbish").status_code == 404

    def test_a_scheme_of_another_plan_is_not_found(self, client, plan, planner, outsider):
        from tests.factories import PlanFactory

        other = SavingsScheme.objects.create(
            plan=PlanFactory(organisation=outsider.memberships.get().organisation), title="Theirs"
        )
        client.force_login(planner)
        url = reverse("budgets:savings_edit", args=[plan.slug, other.pk])
        assert client.get(url).status_code == 404
