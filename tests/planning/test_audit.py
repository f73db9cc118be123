import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from objectives.services import progress_update_create
from tests.factories import ObjectiveFactory, PlanFactory

AUDIT = reverse("reporting:audit")


def update(objective, user, rag, narrative=""):
    progress_update_create(
        objective=objective,
        by=user,
        expected_version=objective.version,
        financial_year=2006,
        quarter=3,  # open on 1 December 2006 (planning.reporting_window)
        rag=rag,
        status="in_progress",
        percent_complete=10,
        narrative=narrative,
        today=dt.date(2006, 12, 1),
    )
    objective.refresh_from_db()


@pytest.mark.django_db
class TestAuditTrail:
    def test_shows_who_when_and_before_after(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan, text="Relocate HQ")
        update(objective, planner, "green")
        update(objective, planner, "amber", "Lease delayed")
        client.force_login(planner)
        response = client.get(AUDIT)
        assert response.status_code == 200
        first = response.context["changes"][0]
        assert first.who == planner
        assert first.kind == "Changed"
        assert {"field": "RAG", "old": "Green", "new": "Amber"} in first.changes
        assert "Relocate HQ" in response.text

    def test_records_deletions(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan, text="Short-lived")
        objective.delete()
        client.force_login(planner)
        kinds = [(c.record, c.kind) for c in client.get(AUDIT).context["changes"]]
        assert ("Short-lived", "Deleted") in [(r.split(" ", 1)[-1], k) for r, k in kinds]

    def test_other_organisations_changes_are_not_shown(self, client, planner, other_organisation):
        ObjectiveFactory(plan=PlanFactory(organisation=other_organisation), text="Theirs")
        client.force_login(planner)
        assert "Theirs" not in client.get(AUDIT).text

    def test_fixed_number_of_queries(self, client, planner, plan):
        client.force_login(planner)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                client.get(AUDIT)
            return len(ctx.captured_queries)

        for objective in ObjectiveFactory.create_batch(3, plan=plan):
            update(objective, planner, "green")
        small = count()
        for objective in ObjectiveFactory.create_batch(30, plan=plan):
            update(objective, planner, "green")
            update(objective, planner, "amber", "Slipping")
        assert count() == small

    def test_changes_of_different_records_come_newest_first(self, client, planner, plan):
        from tests.factories import KPIFactory

        first = ObjectiveFactory(plan=plan, text="First objective")
        KPIFactory(plan=plan, name="Middle KPI")
        update(first, planner, "amber", "Later change")
        client.force_login(planner)
        records = [(c.model, c.kind) for c in client.get(AUDIT).context["changes"]]
        # Each model by its own name: "KPI", not "Kpi".
        assert records.index(("Objective", "Changed")) < records.index(("KPI", "Created"))
        assert records.index(("KPI", "Created")) < records.index(("Objective", "Created"))

    def test_the_newest_changes_of_every_model_are_one_query(self, client, planner, plan):
        from planning.audit import AUDITED

        if connection.vendor != "postgresql":
            pytest.skip("SQLite allows no LIMIT inside a UNION: a query per model there")
        ObjectiveFactory(plan=plan)
        client.force_login(planner)
        with CaptureQueriesContext(connection) as ctx:
            client.get(AUDIT)
        # One per audited model before: the page alone would run more than there are models.
        assert len(AUDITED) > 30
        assert len(ctx.captured_queries) < 15

    def test_item_page_shows_its_own_audit_to_planners(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        update(objective, planner, "green")
        client.force_login(planner)
        page = client.get(objective.get_absolute_url()).text
        audit = page[page.index('id="audit-heading"') :]
        newest = audit[audit.index("<tbody") : audit.index("</tr>", audit.index("<tbody"))]
        assert str(planner) in newest
        assert "RAG: " in newest
