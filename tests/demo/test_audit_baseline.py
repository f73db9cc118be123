"""The demo loader records every loaded record's creation, so the first change a person makes to
a loaded record reads before → after on the audit page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from demo import ssp
from objectives.models import Objective
from objectives.services import progress_update_create
from planning.audit import AUDITED
from tests.factories import MembershipFactory


@pytest.mark.django_db
class TestLoadedRecordsHaveABaseline:
    def test_every_audited_record_has_a_created_row(self, demo):
        for label in AUDITED:
            model = apps.get_model(label)
            created = model.history.filter(history_type="+").values("id").distinct().count()
            assert created == model.objects.count(), label

    def test_first_change_of_a_loaded_objective_reads_before_and_after(self, client, demo):
        objective = Objective.objects.filter(plan__slug=ssp.PLAN_SLUG).order_by("order").first()
        planner = MembershipFactory(organisation=objective.plan.organisation, role="planner").user
        progress_update_create(
            objective=objective,
            by=planner,
            expected_version=objective.version,
            financial_year=2006,
            quarter=3,  # open on 1 December 2006 (planning.reporting_window)
            rag="amber",
            status="in_progress",
            percent_complete=30,
            narrative="Slipping",
            today=dt.date(2006, 12, 1),
        )
        client.force_login(planner)
        first = client.get(reverse("reporting:audit")).context["changes"][0]
        assert first.kind == "Changed"
        assert {"field": "RAG", "old": "", "new": "Amber"} in first.changes
        assert {"field": "status", "old": "Not started", "new": "In progress"} in first.changes
