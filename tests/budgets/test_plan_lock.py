"""A ratified plan's budget lines, thresholds and savings schemes are locked in the services
(planning.lifecycle); its monthly actuals carry on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from budgets import imports, services
from budgets.models import BudgetSettings, ExpenditureLine, MonthlyActual, SavingsScheme
from budgets.services import ExpenditureLineValues, ServiceLineValues
from planning.models import PlanStatus
from tests.factories import ExpenditureLineFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db
LOCKED = "Start a refresh"


@pytest.fixture
def ratified():
    return PlanFactory(status=PlanStatus.RATIFIED)


@pytest.fixture
def user():
    return UserFactory()


class TestRatifiedPlanBudget:
    def test_no_line_changes(self, ratified, user):
        line = ExpenditureLineFactory(plan=ratified, amount=D("100"))
        with pytest.raises(ValidationError, match=LOCKED):
            services.expenditure_lines_save(
                plan=ratified,
                financial_year=2006,
                deleted=[],
                saved=[ExpenditureLineValues(line.pk, "M", "D", D("200"))],
                expected_version=0,
                by=user,
            )
        assert ExpenditureLine.objects.get(pk=line.pk).amount == D("100")

    def test_no_service_lines_thresholds_or_schemes(self, ratified, user):
        with pytest.raises(ValidationError, match=LOCKED):
            services.service_lines_save(
                plan=ratified,
                deleted=[],
                saved=[ServiceLineValues(None, "Estates", 0)],
                expected_version=0,
                by=user,
            )
        with pytest.raises(ValidationError, match=LOCKED):
            services.thresholds_save(
                plan=ratified, amber=D("5"), red=D("10"), expected_version=0, by=user
            )
        with pytest.raises(ValidationError, match=LOCKED):
            services.scheme_save(
                plan=ratified,
                scheme_id=None,
                fields={"title": "Shared estates", "status": "proposed"},
                objectives=[],
                targets={},
                expected_version=None,
                by=user,
            )
        assert not SavingsScheme.objects.filter(plan=ratified).exists()
        assert not BudgetSettings.objects.filter(plan=ratified, version__gt=0).exists()

    def test_no_line_import(self, ratified, user):
        upload = SimpleUploadedFile("lines.csv", b"whatever\n")
        with pytest.raises(imports.ImportFileError, match=LOCKED):
            imports.import_file(
                plan=ratified, financial_year=2006, kind="lines", upload=upload, by=user
            )

    def test_actuals_carry_on(self, ratified, user):
        line = ExpenditureLineFactory(plan=ratified, amount=D("100"))
        services.actuals_save(
            plan=ratified,
            financial_year=2006,
            month=dt.date(2006, 4, 1),
            entries=[(line, D("9"))],
            expected_version=0,
            by=user,
        )
        assert MonthlyActual.objects.filter(expenditure_line=line).count() == 1
