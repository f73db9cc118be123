"""The audit page's before → after for a record's first history row: what a created record was
created with, and for a record created without history (a bulk load) the values at its first
recorded change, its earlier values "not recorded" — never a bare "Changed —"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from objectives.models import Objective
from objectives.services import progress_update_create
from planning.audit import NOT_RECORDED, object_changes
from tests.factories import ObjectiveFactory

AUDIT = reverse("reporting:audit")


def report(objective, user):
    progress_update_create(
        objective=objective,
        by=user,
        expected_version=objective.version,
        financial_year=2006,
        quarter=3,  # open on 1 December 2006 (planning.reporting_window)
        rag="green",
        status="in_progress",
        percent_complete=10,
        today=dt.date(2006, 12, 1),
    )


def field(changes, name):
    return next(c for c in changes if c["field"] == name)


@pytest.mark.django_db
class TestFirstHistoryRow:
    def test_a_created_record_shows_what_it_was_created_with(self, client, planner, plan):
        ObjectiveFactory(plan=plan, text="Relocate HQ", reference="MCP-5")
        client.force_login(planner)
        response = client.get(AUDIT)
        created = response.context["changes"][0]
        assert created.kind == "Created"
        assert field(created.changes, "text")["new"] == "Relocate HQ"
        assert field(created.changes, "status")["new"] == "Not started"
        assert "Text: none → “Relocate HQ”" in response.text

    def test_a_record_loaded_without_history_shows_its_first_change(self, client, planner, plan):
        (loaded,) = Objective.objects.bulk_create(
            [Objective(plan=plan, kind="action", text="Bulk loaded", order=1)]
        )
        assert not loaded.history.exists()
        report(loaded, planner)
        client.force_login(planner)
        response = client.get(AUDIT)
        first = response.context["changes"][0]
        assert first.kind == "Changed"
        assert first.changes, "a first change must not read 'Changed —'"
        status = field(first.changes, "status")
        assert (status["old"], status["new"]) == (NOT_RECORDED, "In progress")
        assert "Status: not recorded → “In progress”" in response.text

    def test_the_item_page_history_reads_the_same(self, plan, planner):
        objective = ObjectiveFactory(plan=plan)
        report(objective, planner)
        rows = object_changes(objective.history.order_by("pk"))
        changed, created = rows
        assert field(changed["changes"], "status") == {
            "field": "status",
            "old": "Not started",
            "new": "In progress",
        }
        assert created["changes"] and all(c["created"] for c in created["changes"])
