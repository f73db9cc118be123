"""The CCG plan is version 4.0, ratified (its document-control block). Waymark holds no earlier
version's content, so none is invented: starting a refresh freezes 4.0 as it is and makes 4.1."""

from __future__ import annotations

import re

import pytest

from demo import ccg
from objectives.models import Objective
from planning import lifecycle, versions
from planning.models import PlanStatus, PlanVersion, VersionStatus
from tests.demo.conftest import read_source
from tests.factories import MembershipFactory

SOURCE_NAME = "ccg-od-strategy-action-plan-2018-21.txt"


@pytest.fixture
def plan(db):
    plan, created = ccg.load()
    assert created
    return plan


def test_the_source_is_version_4_0():
    assert re.search(r"(?m)^Version:\s*4\.0\s*$", read_source(SOURCE_NAME))


def test_loaded_as_4_0_with_no_invented_versions(plan):
    assert (plan.version_label, plan.status) == ("4.0", PlanStatus.RATIFIED)
    assert not PlanVersion.objects.filter(plan=plan).exists()
    rows = versions.version_rows(plan, versions.history(plan))
    assert [(r["label"], r["ratified"]) for r in rows] == [
        ("4.0", "CCG Governing Body, 1 January 2020")
    ]


def test_a_refresh_makes_4_1_and_freezes_4_0_as_loaded(plan):
    planner = MembershipFactory(organisation=plan.organisation, role="planner").user
    marked = Objective.objects.filter(plan=plan, is_new=True).count()
    assert marked > 0  # the document marks actions added since its last version
    refreshed = lifecycle.start_refresh(plan=plan, by=planner, expected_version=plan.version)
    assert (refreshed.version_label, refreshed.status) == ("4.1", PlanStatus.DRAFT)
    [frozen] = PlanVersion.objects.filter(plan=plan)
    assert (frozen.label, frozen.status) == ("4.0", VersionStatus.RATIFIED)
    assert frozen.ratified_by == "CCG Governing Body"
    actions = next(k for k in frozen.content["kinds"] if k["key"] == "objectives")
    assert len(actions["items"]) == Objective.objects.filter(plan=plan).count()
    assert not Objective.objects.filter(plan=plan, is_new=True).exists()
