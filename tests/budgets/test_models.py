"""The database refuses what the forms refuse: constraints on actuals, thresholds and savings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from budgets.models import BudgetSettings, MonthlyActual, SavingsScheme, SavingsTarget
from tests.factories import ExpenditureLineFactory, IncomeLineFactory

D = Decimal


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyActual.objects.create(**fields)


@pytest.mark.django_db
class TestMonthlyActual:
    def test_inside_the_financial_year_first_of_the_month(self):
        line = IncomeLineFactory(financial_year=2006)
        for month in [dt.date(2006, 4, 1), dt.date(2006, 12, 1), dt.date(2007, 3, 1)]:
            actual = MonthlyActual.objects.create(income_line=line, month=month, amount=D(1))
            assert actual.financial_year == 2006  # copied from the line
        refused(income_line=line, month=dt.date(2006, 3, 1), amount=D(1))  # before April
        refused(income_line=line, month=dt.date(2007, 4, 1), amount=D(1))  # after March
        refused(income_line=line, month=dt.date(2006, 5, 2), amount=D(1))  # not the 1st

    def test_exactly_one_line(self):
        income, spend = IncomeLineFactory(), ExpenditureLineFactory()
        refused(month=dt.date(2006, 4, 1), amount=D(1), financial_year=2006)
        refused(income_line=income, expenditure_line=spend, month=dt.date(2006, 4, 1), amount=D(1))
        assert (
            MonthlyActual.objects.create(
                expenditure_line=spend, month=dt.date(2006, 4, 1), amount=D(1)
            ).line
            == spend
        )

    def test_one_actual_per_line_and_month_never_negative(self):
        line = IncomeLineFactory()
        MonthlyActual.objects.create(income_line=line, month=dt.date(2006, 4, 1), amount=D(1))
        refused(income_line=line, month=dt.date(2006, 4, 1), amount=D(2))
        refused(income_line=line, month=dt.date(2006, 5, 1), amount=D(-1))

    def test_a_line_with_actuals_cannot_be_deleted(self):
        line = ExpenditureLineFactory()
        MonthlyActual.objects.create(expenditure_line=line, month=dt.date(2006, 4, 1), amount=D(1))
        with pytest.raises(ProtectedError):
            line.delete()


@pytest.mark.django_db
class TestSettingsAndSavings:
    def test_red_threshold_at_least_amber(self, plan):
        with pytest.raises(IntegrityError), transaction.atomic():
            BudgetSettings.objects.create(plan=plan, amber_at_percent=D(5), red_at_percent=D(2))
        settings = BudgetSettings.objects.create(plan=plan)
        assert (settings.amber_at_percent, settings.red_at_percent) == (D(2), D(5))

    def test_one_target_per_scheme_and_year(self, plan):
        scheme = SavingsScheme.objects.create(plan=plan, title="Procurement", fte_effect=D("-2.5"))
        SavingsTarget.objects.create(scheme=scheme, financial_year=2006, amount=D(100))
        with pytest.raises(IntegrityError), transaction.atomic():
            SavingsTarget.objects.create(scheme=scheme, financial_year=2006, amount=D(5))
        with pytest.raises(IntegrityError), transaction.atomic():
            SavingsTarget.objects.create(scheme=scheme, financial_year=2007, amount=D(-5))
        assert scheme.fte_effect == D("-2.5")  # a reduction in posts may be negative


@pytest.mark.django_db
class TestActualValidation:
    """full_clean (the admin's check) says what the constraints would refuse."""

    def test_messages(self):
        from django.core.exceptions import ValidationError

        line = IncomeLineFactory(financial_year=2006)
        with pytest.raises(ValidationError, match="outside the line's financial year, 2006/07"):
            MonthlyActual(income_line=line, month=dt.date(2007, 4, 1), amount=D(1)).full_clean()
        with pytest.raises(ValidationError, match="first day of the month"):
            MonthlyActual(income_line=line, month=dt.date(2006, 4, 9), amount=D(1)).full_clean()
        with pytest.raises(ValidationError, match="one, not both"):
            MonthlyActual(month=dt.date(2006, 4, 1), amount=D(1)).full_clean()
        actual = MonthlyActual(income_line=line, month=dt.date(2006, 4, 1), amount=D(1))
        actual.full_clean()
        assert actual.financial_year == 2006


@pytest.mark.django_db
def test_admin_refuses_a_month_outside_the_year_on_the_field(client):
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    line = IncomeLineFactory(financial_year=2006)
    response = client.post(
        reverse("admin:budgets_monthlyactual_add"),
        {"income_line": line.pk, "month": "2007-04-01", "amount": "5"},
    )
    assert response.status_code == 200
    assert "outside the line" in response.text
    assert not MonthlyActual.objects.exists()
