"""budgets.services take plain values (the forms' cleaned data), never forms or formsets."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from budgets import services
from budgets.models import (
    BudgetSettings,
    BudgetYear,
    ExpenditureLine,
    IncomeLine,
    SavingsScheme,
    ServiceLine,
)
from budgets.services import (
    ExpenditureLineValues,
    IncomeLineValues,
    ServiceLineValues,
    StaleEditError,
)
from tests.factories import (
    ExpenditureLineFactory,
    IncomeLineFactory,
    PlanFactory,
    ServiceLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory()


@pytest.fixture
def user():
    return UserFactory()


def version(plan) -> int:
    year = BudgetYear.objects.filter(plan=plan, financial_year=2006).first()
    return year.version if year else 0


class TestIncomeLinesSave:
    def test_creates_changes_and_deletes_from_plain_values(self, plan, user):
        estates = ServiceLineFactory(plan=plan, name="Estates")
        kept = IncomeLineFactory(plan=plan, funder_label="Croydon", funder_order=1)
        gone = IncomeLineFactory(plan=plan, funder_label="Kingston", funder_order=2)
        changed = services.income_lines_save(
            plan=plan,
            financial_year=2006,
            deleted=[gone.pk],
            saved=[
                IncomeLineValues(
                    pk=kept.pk,
                    funder_id=None,
                    funder_label="Croydon",
                    service_line_id=estates.pk,
                    amount=D("250.50"),
                ),
                IncomeLineValues(
                    pk=None,
                    funder_id=None,
                    funder_label="Others",
                    service_line_id=estates.pk,
                    amount=D("10"),
                ),
            ],
            expected_version=0,
            by=user,
        )
        assert changed == 3
        assert not IncomeLine.objects.filter(pk=gone.pk).exists()
        kept.refresh_from_db()
        assert (kept.amount, kept.service_line_id, kept.funder_order) == (
            D("250.50"),
            estates.pk,
            1,
        )
        new = IncomeLine.objects.get(funder_label="Others")
        assert (new.plan, new.financial_year, new.funder_order) == (plan, 2006, 2)
        assert version(plan) == 1
        assert new.history.first().history_user == user

    def test_a_stale_version_writes_nothing(self, plan, user):
        line = IncomeLineFactory(plan=plan)
        BudgetYear.objects.create(plan=plan, financial_year=2006, version=3)
        with pytest.raises(StaleEditError):
            services.income_lines_save(
                plan=plan,
                financial_year=2006,
                deleted=[line.pk],
                saved=[],
                expected_version=2,
                by=user,
            )
        assert IncomeLine.objects.filter(pk=line.pk).exists()
        assert version(plan) == 3

    def test_a_line_of_another_plan_is_refused(self, plan, user):
        elsewhere = IncomeLineFactory()
        with pytest.raises(StaleEditError):
            services.income_lines_save(
                plan=plan,
                financial_year=2006,
                deleted=[elsewhere.pk],
                saved=[],
                expected_version=0,
                by=user,
            )
        assert IncomeLine.objects.filter(pk=elsewhere.pk).exists()

    def test_a_clash_is_a_validation_error_and_nothing_is_saved(self, plan, user):
        estates = ServiceLineFactory(plan=plan)
        IncomeLineFactory(plan=plan, funder_label="Croydon", service_line=estates)
        values = IncomeLineValues(
            pk=None,
            funder_id=None,
            funder_label="Croydon",
            service_line_id=estates.pk,
            amount=D("1"),
        )
        with pytest.raises(ValidationError):
            services.income_lines_save(
                plan=plan,
                financial_year=2006,
                deleted=[],
                saved=[values],
                expected_version=0,
                by=user,
            )
        assert IncomeLine.objects.filter(plan=plan).count() == 1
        assert version(plan) == 0


class TestExpenditureLinesSave:
    def test_new_lines_go_after_the_others(self, plan, user):
        ExpenditureLineFactory(plan=plan, order=4)
        services.expenditure_lines_save(
            plan=plan,
            financial_year=2006,
            deleted=[],
            saved=[
                ExpenditureLineValues(pk=None, manager="Head", description="A", amount=D("1")),
                ExpenditureLineValues(pk=None, manager="Head", description="B", amount=D("2")),
            ],
            expected_version=0,
            by=user,
        )
        orders = dict(
            ExpenditureLine.objects.filter(plan=plan, manager="Head").values_list(
                "description", "order"
            )
        )
        assert orders == {"A": 5, "B": 6}

    def test_nothing_to_do_leaves_the_version(self, plan, user):
        changed = services.expenditure_lines_save(
            plan=plan, financial_year=2006, deleted=[], saved=[], expected_version=0, by=user
        )
        assert changed == 0 and version(plan) == 0


class TestServiceLinesSave:
    def test_blank_order_adds_after_the_others_left_and_deletes(self, plan, user):
        first = ServiceLineFactory(plan=plan, name="Estates", order=2)
        gone = ServiceLineFactory(plan=plan, name="Payroll", order=3)
        changed = services.service_lines_save(
            plan=plan,
            deleted=[gone.pk],
            saved=[
                ServiceLineValues(pk=first.pk, name="Estates and facilities", order=2),
                ServiceLineValues(pk=None, name="Procurement", order=0),
            ],
            expected_version=0,
            by=user,
        )
        assert changed == 3
        names = list(ServiceLine.objects.filter(plan=plan).order_by("order"))
        assert [(s.name, s.order) for s in names] == [
            ("Estates and facilities", 2),
            ("Procurement", 3),  # after Estates: Payroll was deleted first
        ]
        assert BudgetSettings.objects.get(plan=plan).version == 1

    def test_stale_settings_are_refused(self, plan, user):
        BudgetSettings.objects.create(plan=plan, version=1)
        with pytest.raises(StaleEditError):
            services.service_lines_save(
                plan=plan,
                deleted=[],
                saved=[ServiceLineValues(pk=None, name="New", order=0)],
                expected_version=0,
                by=user,
            )
        assert not ServiceLine.objects.filter(plan=plan).exists()


class TestSchemeSave:
    FIELDS = {
        "title": "Shared estates",
        "owner_text": "",
        "owner_role": None,
        "status": "proposed",
        "rag": "",
        "fte_effect": D("0"),
    }

    def test_creates_then_changes_by_id(self, plan, user):
        scheme = services.scheme_save(
            plan=plan,
            scheme_id=None,
            fields=self.FIELDS,
            objectives=[],
            targets={2006: (D("1000"), None)},
            expected_version=None,
            by=user,
        )
        assert (scheme.plan, scheme.order, scheme.version) == (plan, 1, 1)
        assert scheme.targets.get().delivered == D("0")
        services.scheme_save(
            plan=plan,
            scheme_id=scheme.pk,
            fields={**self.FIELDS, "title": "Shared estates and facilities"},
            objectives=[],
            targets={2006: (None, None)},
            expected_version=1,
            by=user,
        )
        scheme = SavingsScheme.objects.get(pk=scheme.pk)
        assert (scheme.title, scheme.version) == ("Shared estates and facilities", 2)
        assert not scheme.targets.exists()

    def test_a_stale_scheme_is_refused(self, plan, user):
        scheme = services.scheme_save(
            plan=plan,
            scheme_id=None,
            fields=self.FIELDS,
            objectives=[],
            targets={},
            expected_version=None,
            by=user,
        )
        with pytest.raises(StaleEditError):
            services.scheme_save(
                plan=plan,
                scheme_id=scheme.pk,
                fields={**self.FIELDS, "title": "Changed"},
                objectives=[],
                targets={},
                expected_version=5,
                by=user,
            )
        assert SavingsScheme.objects.get(pk=scheme.pk).title == "Shared estates"
