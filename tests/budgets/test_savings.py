"""The savings programme: schemes, targets by year against delivered, totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import savings
from budgets.models import SavingsScheme, SavingsStatus, SavingsTarget
from budgets.selectors import savings_programme
from tests.budgets.helpers import page_text
from tests.factories import ObjectiveFactory, PlanFactory, RoleFactory

D = Decimal


class TestTotals:
    def test_by_year_and_overall(self):
        items = [
            savings.TargetItem(2018, D(100), D(80)),
            savings.TargetItem(2019, D(50), D(0)),
            savings.TargetItem(2018, D(20), D(40)),
        ]
        by_year = savings.by_year(items, years=[2018, 2019, 2020])
        assert [(t.label, t.target, t.delivered, t.difference) for t in by_year] == [
            ("2018/19", D(120), D(120), D(0)),
            ("2019/20", D(50), D(0), D(-50)),
            ("2020/21", D(0), D(0), D(0)),
        ]
        assert by_year[1].is_shortfall and by_year[1].percent_delivered == D("0.0")
        assert by_year[2].percent_delivered is None  # no target: no percentage, no crash
        total = savings.overall(by_year)
        assert (total.target, total.delivered, total.percent_delivered) == (
            D(170),
            D(120),
            D("70.6"),
        )


@pytest.fixture
def multi_year_plan(organisation):
    return PlanFactory(organisation=organisation, start_year=2018, end_year=2020)


def scheme(plan, title, targets, status=SavingsStatus.IN_DELIVERY, fte="0"):
    created = SavingsScheme.objects.create(plan=plan, title=title, status=status, fte_effect=D(fte))
    for year, (amount, delivered) in targets.items():
        SavingsTarget.objects.create(
            scheme=created, financial_year=year, amount=D(amount), delivered=D(delivered)
        )
    return created


@pytest.mark.django_db
class TestProgramme:
    def test_totals_include_withdrawn_schemes(self, multi_year_plan):
        scheme(multi_year_plan, "Estates rationalisation", {2018: (100, 60), 2019: (200, 0)})
        scheme(
            multi_year_plan, "Agency", {2018: (50, 0)}, status=SavingsStatus.WITHDRAWN, fte="-2.5"
        )
        programme = savings_programme(multi_year_plan)
        assert programme.years == [2018, 2019, 2020]
        assert [(t.target, t.delivered) for t in programme.totals_by_year] == [
            (D(150), D(60)),
            (D(200), D(0)),
            (D(0), D(0)),
        ]
        assert (programme.total.target, programme.total.delivered) == (D(350), D(60))
        assert programme.fte_effect == D("-2.5")
        first = next(s for s in programme.schemes if s.title == "Estates rationalisation")
        assert first.total.target == D(300) and first.total.delivered == D(60)
        assert [c.amount if c else None for c in first.year_cells] == [D(100), D(200), None]

    def test_page_for_a_viewer(self, client, multi_year_plan, viewer):
        objective = ObjectiveFactory(plan=multi_year_plan, reference="OD-1", text="Reduce agency")
        s = scheme(multi_year_plan, "Agency", {2018: (1500, 500)}, fte="-2.5")
        s.objectives.add(objective)
        client.force_login(viewer)
        response = client.get(reverse("budgets:savings", args=[multi_year_plan.slug]))
        text = page_text(response)
        assert "Agency" in text and "£1,500" in text and "£500" in text
        assert "\u22122.5" in text  # FTE with a real minus sign
        assert "OD-1" in text and objective.get_absolute_url() in text
        assert "(shortfall)" in text and "33.3%" in text
        assert reverse("budgets:savings_create", args=[multi_year_plan.slug]) not in text


@pytest.mark.django_db
class TestSchemeForm:
    def url(self, plan, pk=None):
        if pk is None:
            return reverse("budgets:savings_create", args=[plan.slug])
        return reverse("budgets:savings_edit", args=[plan.slug, pk])

    def data(self, **overrides):
        data = {
            "title": "Procurement Alliance",
            "owner_text": "Head of Procurement",
            "owner_role": "",
            "status": "approved",
            "rag": "amber",
            "fte_effect": "-1.5",
            "target_2018": "100,000",
            "delivered_2018": "25,000",
            "target_2019": "",
            "delivered_2019": "",
            "target_2020": "50000",
            "delivered_2020": "",
        }
        data.update(overrides)
        return data

    def test_create_with_targets_objectives_and_role(
        self, client, multi_year_plan, planner, organisation
    ):
        role = RoleFactory(organisation=organisation, title="Head of Procurement")
        objective = ObjectiveFactory(plan=multi_year_plan)
        client.force_login(planner)
        data = self.data(owner_role=str(role.pk), objectives=[str(objective.pk)])
        response = client.post(self.url(multi_year_plan), data)
        assert response.status_code == 302
        created = SavingsScheme.objects.get()
        assert (created.owner_role, created.rag, created.fte_effect) == (role, "amber", D("-1.5"))
        assert list(created.objectives.all()) == [objective]
        assert sorted(created.targets.values_list("financial_year", "amount", "delivered")) == [
            (2018, D(100000), D(25000)),
            (2020, D(50000), D(0)),
        ]
        assert created.history.first().history_user == planner

    def test_edit_changes_removes_and_detects_a_stale_save(
        self, client, multi_year_plan, planner, org_admin
    ):
        existing = scheme(multi_year_plan, "Procurement Alliance", {2018: (100, 0), 2019: (5, 0)})
        client.force_login(org_admin)
        first = self.data(version=str(existing.version), target_2019="", delivered_2019="")
        assert client.post(self.url(multi_year_plan, existing.pk), first).status_code == 302
        existing.refresh_from_db()
        assert existing.version == 2
        assert sorted(existing.targets.values_list("financial_year", flat=True)) == [2018, 2020]

        client.force_login(planner)
        stale = self.data(version="1", title="Renamed")
        response = client.post(self.url(multi_year_plan, existing.pk), stale)
        assert response.status_code == 409
        assert "Somebody else changed this scheme" in page_text(response)
        existing.refresh_from_db()
        assert existing.title == "Procurement Alliance"
        # Saving again from the refreshed form is a deliberate choice, and is allowed.
        assert 'name="version" value="2"' in response.text
        again = self.data(version="2", title="Renamed")
        assert client.post(self.url(multi_year_plan, existing.pk), again).status_code == 302

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"target_2018": "-5"}, "amounts cannot be negative"),
            ({"target_2018": "ten"}, "Enter an amount in pounds as a number"),
            ({"target_2019": "", "delivered_2019": "5"}, "Enter the target for 2019/20, or 0"),
            ({"fte_effect": "some"}, "Enter the effect on staff as a number of FTE"),
            ({"title": ""}, "This field is required"),
        ],
    )
    def test_bad_input_refused_next_to_the_field(
        self, client, multi_year_plan, planner, overrides, message
    ):
        client.force_login(planner)
        response = client.post(self.url(multi_year_plan), self.data(**overrides))
        assert response.status_code == 400
        assert message in page_text(response)
        assert not SavingsScheme.objects.exists()

    def test_duplicate_title_refused(self, client, multi_year_plan, planner):
        scheme(multi_year_plan, "Procurement Alliance", {})
        client.force_login(planner)
        response = client.post(self.url(multi_year_plan), self.data(title="procurement alliance"))
        assert response.status_code == 400
        assert "already has a scheme with this name" in page_text(response)

    def test_objectives_of_another_plan_cannot_be_linked(self, client, multi_year_plan, planner):
        foreign = ObjectiveFactory()
        client.force_login(planner)
        response = client.post(self.url(multi_year_plan), self.data(objectives=[str(foreign.pk)]))
        assert response.status_code == 400
        assert "Select a valid choice" in page_text(response)
