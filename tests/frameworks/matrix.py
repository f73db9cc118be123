"""The frameworks app's rows of tests/test_permission_matrix.py: every view, every role, own and
other organisation. The records are built on first use in the matrix's ``world`` (a dict)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.frameworks.factories import (
    AssessmentFactory,
    AssessmentScoreFactory,
    CompetencyFactory,
    CompetencyTargetFactory,
    FrameworkFactory,
    GapAnalysisFactory,
    GapDimensionFactory,
)


def records(w: dict) -> dict:
    """The home organisation's framework (managers may not assess), one whose planner lets
    managers assess, their competency, assessment and target, and a gap analysis."""
    if "fw" not in w:
        framework = FrameworkFactory(organisation=w["home"])
        open_framework = FrameworkFactory(organisation=w["home"], contributors_may_assess=True)
        competency = CompetencyFactory(framework=framework, number=1)
        CompetencyFactory(framework=open_framework, number=1)
        assessment = AssessmentFactory(framework=framework, assessed_on=dt.date(2006, 6, 30))
        AssessmentScoreFactory(assessment=assessment, competency=competency, level=2)
        open_assessment = AssessmentFactory(framework=open_framework)
        analysis = GapAnalysisFactory(plan=w["plan"])
        # Nothing refers to these: a permitted delete (or move) goes through.
        spare = CompetencyFactory(framework=framework, number=2)
        empty_framework = FrameworkFactory(organisation=w["home"])
        w["fw"] = {
            "spare_competency": spare,
            "empty_framework": empty_framework,
            "framework": framework,
            "open_framework": open_framework,
            "competency": competency,
            "assessment": assessment,
            "open_assessment": open_assessment,
            "target": CompetencyTargetFactory(competency=competency),
            "analysis": analysis,
            "dimension": GapDimensionFactory(analysis=analysis),
        }
    return w["fw"]


def _url(name: str, record: str | None = None, *, slug: str | None = None):
    def build(w):
        if slug == "organisation":
            return reverse(f"frameworks:{name}", args=[w["home"].slug])
        if slug == "plan":
            return reverse(f"frameworks:{name}", args=[w["plan"].slug])
        return reverse(f"frameworks:{name}", args=[records(w)[record].pk])

    return build


def _records_first(build):
    """Build the records before the URL even for an organisation's or plan's own URL, so the
    pages have something to show (and to keep from another organisation)."""

    def url(w):
        records(w)
        return build(w)

    return url


EDITORS = {"viewer": 403, "contributor": 403, "lead_contributor": 403}
READ = {}  # everyone in the organisation: 200


def _get_post(name, build, refused, *, posted=400):
    """The form (GET) and an incomplete post of it (400 for those who may: nothing saved)."""
    allowed = {
        role: None for role in ("viewer", "contributor", "lead_contributor", "planner", "admin")
    }
    get = {role: refused.get(role, 200) for role in allowed}
    post = {role: refused.get(role, posted) for role in allowed}
    return {
        f"frameworks_{name}_form": ("get", _records_first(build), get),
        f"frameworks_{name}_post": ("post", _records_first(build), post),
    }


FRAMEWORK_VIEWS = {
    "frameworks_list": ("get", _records_first(_url("list", slug="organisation")), READ),
    "frameworks_detail": ("get", _url("detail", "framework"), READ),
    "frameworks_assessments": ("get", _url("assessments", "framework"), READ),
    "frameworks_export": ("get", _url("export", "framework"), READ),
    "frameworks_gap_list": ("get", _records_first(_url("gap_list", slug="plan")), READ),
    "frameworks_gap_detail": ("get", _url("gap_detail", "analysis"), READ),
    **_get_post("create", _url("create", slug="organisation"), EDITORS),
    **_get_post("edit", _url("edit", "framework"), EDITORS),
    **_get_post("competency_create", _url("competency_create", "framework"), EDITORS),
    **_get_post("competency_edit", _url("competency_edit", "competency"), EDITORS),
    **_get_post("target_create", _url("target_create", "framework"), EDITORS),
    **_get_post("target_edit", _url("target_edit", "target"), EDITORS),
    **_get_post("gap_create", _url("gap_create", slug="plan"), EDITORS),
    **_get_post("gap_edit", _url("gap_edit", "analysis"), EDITORS),
    **_get_post("dimension_create", _url("dimension_create", "analysis"), EDITORS),
    **_get_post("dimension_edit", _url("dimension_edit", "dimension"), EDITORS),
    # Assessments: planners and administrators; managers only where the planner allows.
    **_get_post("assessment_create", _url("assessment_create", "framework"), EDITORS),
    **_get_post("assessment_edit", _url("assessment_edit", "assessment"), EDITORS),
    **_get_post("import", _url("import", "framework"), EDITORS),
    # Deleting: the version posted is the record's (1), so those who may delete it (302).
    **_get_post("assessment_delete", _url("assessment_delete", "assessment"), EDITORS, posted=302),
    **_get_post("target_delete", _url("target_delete", "target"), EDITORS, posted=302),
    # Deleting a framework, a competency, a gap analysis or a dimension: planners and
    # administrators. The scored competency is refused (400) past the permission.
    **_get_post("delete", _url("delete", "empty_framework"), EDITORS, posted=302),
    **_get_post(
        "competency_delete", _url("competency_delete", "spare_competency"), EDITORS, posted=302
    ),
    **_get_post("scored_competency_delete", _url("competency_delete", "competency"), EDITORS),
    **_get_post("gap_delete", _url("gap_delete", "analysis"), EDITORS, posted=302),
    **_get_post("dimension_delete", _url("dimension_delete", "dimension"), EDITORS, posted=302),
    # Moving a competency: a button (POST only), moving it down past the spare one.
    "frameworks_competency_move_post": (
        "post",
        _url("competency_move", "competency"),
        {**EDITORS, "planner": 302, "admin": 302},
    ),
    **_get_post(
        "open_assessment_delete",
        _url("assessment_delete", "open_assessment"),
        {"viewer": 403},
        posted=302,
    ),
    **_get_post(
        "open_assessment_create",
        _url("assessment_create", "open_framework"),
        {"viewer": 403},
    ),
    **_get_post(
        "open_assessment_edit", _url("assessment_edit", "open_assessment"), {"viewer": 403}
    ),
    **_get_post("open_import", _url("import", "open_framework"), {"viewer": 403}),
}
