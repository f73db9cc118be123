"""The plan PDF's document control: the version history and the table of changes since the
previous version (planning.versions), read back from the PDF with pypdf."""

from __future__ import annotations

import datetime as dt

import pytest

from objectives import editing
from objectives.models import Objective, ObjectiveKind
from planning import lifecycle
from planning.models import Plan, PlanStatus
from reporting.documents import exports
from reporting.documents.spec import DocumentSpec, Kind
from tests.factories import ObjectiveFactory, PlanFactory
from tests.reporting.documents.conftest import all_text

pytestmark = pytest.mark.django_db


def _pdf_text(plan) -> str:
    export = exports.get_or_render(DocumentSpec(Kind.PLAN, plan_id=plan.pk))
    return all_text(export.path.read_bytes())


@pytest.fixture
def refreshed(organisation, planner):
    plan = PlanFactory(
        organisation=organisation,
        status=PlanStatus.RATIFIED,
        version_label="4.0",
        ratified_by="CCG Governing Body",
        date_ratified=dt.date(2020, 1, 1),
        board_minute_reference="GB/2020/7",
    )
    kept = ObjectiveFactory(plan=plan, reference="EST-1", text="Move the headquarters")
    plan = lifecycle.start_refresh(plan=plan, by=planner, expected_version=plan.version)
    plan = Plan.objects.get(pk=plan.pk)
    kept = Objective.objects.get(pk=kept.pk)
    editing.objective_update(
        objective=kept,
        by=planner,
        expected_version=kept.version,
        data={"text": "Move the headquarters to Bath"},
    )
    editing.objective_create(
        plan=plan,
        by=planner,
        data={"kind": ObjectiveKind.OPERATIONAL, "reference": "EST-2", "text": "Open a clinic"},
    )
    return plan


class TestDocumentControl:
    def test_version_history_and_changes_since_the_previous_version(self, refreshed):
        text = _pdf_text(refreshed)
        assert "Version history" in text
        # The frozen 4.0, with its ratification; the draft 4.1 after it.
        assert "4.0 Ratified — CCG Governing Body, 1 January 2020 GB/2020/7" in text
        assert "4.1 Draft" in text
        assert "Changes since the previous version" in text
        assert "Version 4.0 (ratified) compared with Version 4.1 as it is now (draft)" in text
        assert "1 added, 0 removed, 1 changed" in text
        assert (
            "Objectives and actions EST-1 Changed Text Move the headquarters "
            "Move the headquarters to Bath" in text
        )
        assert "Objectives and actions EST-2 Added — — Open a clinic" in text

    def test_a_plan_with_one_version_has_no_changes_table(self, organisation):
        plan = PlanFactory(organisation=organisation, version_label="1.0")
        text = _pdf_text(plan)
        assert "Version history" in text
        assert "Changes since the previous version" not in text
