"""My work shows the quarter's deadline and what is still to do before it (issue 16, item 6)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives import selectors
from tests.factories import KPIFactory, MeasurementFactory, ObjectiveFactory
from tests.notices.conftest import at


@pytest.mark.django_db
class TestMyWorkDeadline:
    def test_before_the_deadline(self, office, client):
        client.force_login(office.owner)
        with at(2006, 7, 7):
            page = client.get(reverse("objectives:my_work")).content.decode()
        assert "Q1 2006/07 updates due by Friday 21 July 2006" in page
        assert "Still to update for Q1 2006/07: 1 item and 1 KPI." in page
        assert "2.1 Agree the budget" in page
        assert "F1 Invoices paid in 30 days</a>: no value for Q1 2006/07" in page

    def test_after_the_deadline_the_next_quarter(self, office):
        with at(2006, 7, 24):
            [deadline] = selectors.my_work(office.lead).deadlines
        assert str(deadline.quarter) == "Q2 2006/07"
        assert [o.reference for o in deadline.items] == ["1.1", "1.2"]  # closed 1.3 is not

    def test_a_value_entered_is_no_longer_asked_for(self, office):
        MeasurementFactory(kpi=office.kpi, period_start=office.kpi.plan.start_date)
        with at(2006, 7, 7):
            [deadline] = selectors.my_work(office.owner).deadlines
        assert deadline.kpis == []

    def test_constant_queries(self, office, client):
        client.force_login(office.owner)

        def count():
            with at(2006, 7, 7), CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("objectives:my_work")).status_code == 200
            return len(queries)

        small = count()
        for n in range(10):
            ObjectiveFactory(plan=office.plan).lead_roles.add(office.director)
            KPIFactory(
                plan=office.plan, code=f"F{n + 10}", owner_role=office.director, frequency="monthly"
            )
        assert count() == small
