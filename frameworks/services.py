"""Writes to competency frameworks, their assessments and targets, and to gap analyses.

Keyword-only, each in one transaction, version-checked where they change an existing record
(planning.concurrency.lock_at_version: a stale page is refused with StaleEditError), audited by
simple-history (``_history_user``), guarded by the one-time submission token where they create.
A gap analysis is plan content: it is refused on a locked plan (planning.lifecycle).

Bad input is refused with a ValidationError naming its field, and nothing is saved: a level
outside the framework's levels, a target date outside every plan period of the organisation,
a programme or action of another organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from frameworks import scoring
from frameworks.models import (
    MAX_LEVELS,
    Assessment,
    AssessmentKind,
    AssessmentScore,
    Competency,
    CompetencyTarget,
    Framework,
    GapAnalysis,
    GapDimension,
)
from planning import fy, idempotency, ordering
from planning.concurrency import lock_at_version
from planning.lifecycle import require_editable
from planning.models import Plan

STALE = (
    "Somebody else changed this {what} after you opened the page. Your changes were not saved: "
    "read theirs, then make yours again if they still stand."
)


def score_field(competency_id: int) -> str:
    """The form field (and error key) of a competency's score on the assessment form."""
    return f"score_{competency_id}"


# --- checks ----------------------------------------------------------------------------------


def check_level_names(names: list[str]) -> None:
    if not 2 <= len(names) <= MAX_LEVELS:
        raise ValidationError(
            {"level_names": f"Name between 2 and {MAX_LEVELS} levels, one a line, lowest first"}
        )
    if len({n.casefold() for n in names}) != len(names):
        raise ValidationError({"level_names": "Give each level a different name"})


def check_level(framework: Framework, level, *, field: str) -> None:
    problem = scoring.level_problem(level, framework.level_count)
    if problem:
        raise ValidationError({field: problem})


def plan_periods(organisation_id: int) -> list[tuple[dt.date, dt.date, str]]:
    """Every plan period of the organisation: (first day, last day, label)."""
    years = sorted(
        set(
            Plan.objects.filter(organisation_id=organisation_id).values_list(
                "start_year", "end_year"
            )
        )
    )
    return [(fy.fy_start(s), fy.fy_end(e), fy.period_label(s, e)) for s, e in years]


def check_target_date(organisation_id: int, on: dt.date, *, field: str = "target_date") -> None:
    periods = plan_periods(organisation_id)
    if any(start <= on <= end for start, end, _ in periods):
        return
    if not periods:
        raise ValidationError(
            {
                field: "This organisation has no plan yet: a target's date must fall in a plan's "
                "period"
            }
        )
    listed = "; ".join(
        f"{label} ({start:%-d %B %Y} to {end:%-d %B %Y})" for start, end, label in periods
    )
    raise ValidationError(
        {field: f"Choose a date within one of this organisation's plan periods: {listed}"}
    )


def check_own_records(organisation_id: int, records: Iterable, *, field: str, what: str) -> None:
    """Programmes (plan_id) and objectives (plan) linked must belong to the organisation."""
    records = list(records)
    plan_ids = {r.plan_id for r in records}
    if not plan_ids:
        return
    own = set(
        Plan.objects.filter(pk__in=plan_ids, organisation_id=organisation_id).values_list(
            "pk", flat=True
        )
    )
    foreign = [r for r in records if r.plan_id not in own]
    if foreign:
        raise ValidationError(
            {
                field: f"Choose {what} of this organisation's own plans: “{foreign[0]}” is another "
                "organisation's"
            }
        )


def _save(record, *, by) -> None:
    record._history_user = by
    try:
        with transaction.atomic():
            record.full_clean(exclude=["version"])
            record.save()
    except IntegrityError as error:
        raise ValidationError(
            "Somebody saved a record with the same name or date at the same moment: check and "
            "try again.",
            code="clash",
        ) from error


# --- frameworks ------------------------------------------------------------------------------

FRAMEWORK_FIELDS = ("name", "description", "level_names", "contributors_may_assess")


def _check_plans(organisation_id: int, plans) -> None:
    if any(p.organisation_id != organisation_id for p in plans):
        raise ValidationError({"plans": "Choose plans of this framework's own organisation"})


@transaction.atomic
def framework_create(*, organisation, by, data: dict, submission_token: str = "") -> Framework:
    idempotency.consume(submission_token, user=by)
    check_level_names(data["level_names"])
    plans = list(data.get("plans") or ())
    _check_plans(organisation.pk, plans)
    framework = Framework(organisation=organisation, **{k: data[k] for k in FRAMEWORK_FIELDS})
    _save(framework, by=by)
    framework.plans.set(plans)
    return framework


@transaction.atomic
def framework_update(*, framework_id: int, organisation, by, expected_version, data: dict):
    framework = lock_at_version(
        Framework.objects.filter(organisation=organisation),
        pk=framework_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="framework"),
    )
    check_level_names(data["level_names"])
    plans = list(data.get("plans") or ())
    _check_plans(organisation.pk, plans)
    top = len(data["level_names"])
    highest = max(
        AssessmentScore.objects.filter(competency__framework=framework).aggregate(m=Max("level"))[
            "m"
        ]
        or 0,
        CompetencyTarget.objects.filter(competency__framework=framework).aggregate(m=Max("level"))[
            "m"
        ]
        or 0,
    )
    if highest > top:
        raise ValidationError(
            {
                "level_names": f"Scores or targets already use level {highest}: keep at least "
                f"{highest} levels"
            }
        )
    for name in FRAMEWORK_FIELDS:
        setattr(framework, name, data[name])
    _save(framework, by=by)
    framework.plans.set(plans)
    return framework


# --- competencies ----------------------------------------------------------------------------


def _competency_links(framework: Framework, data: dict) -> tuple[list, list]:
    programmes = list(data.get("programmes") or ())
    objectives = list(data.get("objectives") or ())
    check_own_records(framework.organisation_id, programmes, field="programmes", what="programmes")
    check_own_records(
        framework.organisation_id, objectives, field="objectives", what="objectives and actions"
    )
    return programmes, objectives


@transaction.atomic
def competency_create(*, framework: Framework, by, data: dict, submission_token: str = ""):
    idempotency.consume(submission_token, user=by)
    Framework.objects.select_for_update().filter(pk=framework.pk).first()  # numbers in turn
    programmes, objectives = _competency_links(framework, data)
    last = framework.competencies.aggregate(m=Max("number"))["m"] or 0
    competency = Competency(
        framework=framework,
        number=last + 1,
        name=data["name"],
        description=data.get("description", ""),
        descriptors=list(data.get("descriptors") or []),
    )
    _save(competency, by=by)
    competency.programmes.set(programmes)
    competency.objectives.set(objectives)
    return competency


@transaction.atomic
def competency_update(*, competency_id: int, framework: Framework, by, expected_version, data):
    competency = lock_at_version(
        Competency.objects.filter(framework=framework),
        pk=competency_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="competency"),
    )
    programmes, objectives = _competency_links(framework, data)
    competency.name = data["name"]
    competency.description = data.get("description", "")
    competency.descriptors = list(data.get("descriptors") or [])
    _save(competency, by=by)
    competency.programmes.set(programmes)
    competency.objectives.set(objectives)
    return competency


# --- assessments -----------------------------------------------------------------------------


def _check_scores(framework: Framework, scores: dict[int, int | None]) -> dict[int, int]:
    """{competency id: level} for the scores given; every level within the framework's."""
    own = set(framework.competencies.values_list("pk", flat=True))
    errors = {}
    for competency_id, level in scores.items():
        if competency_id not in own:
            errors["__all__"] = "Score only this framework's competencies"
            continue
        problem = scoring.level_problem(level, framework.level_count)
        if problem:
            errors[score_field(competency_id)] = problem
    if errors:
        raise ValidationError(errors)
    # An assessment may be recorded before its scores are (a panel's date and evidence).
    return {cid: level for cid, level in scores.items() if level is not None}


def _check_assessment(data: dict) -> None:
    if data["kind"] not in AssessmentKind.values:
        raise ValidationError({"kind": "Choose self-assessment, panel or external"})


def _write_scores(assessment: Assessment, given: dict[int, int], *, by) -> None:
    existing = {s.competency_id: s for s in assessment.scores.all()}
    for competency_id, score in existing.items():
        if competency_id not in given:
            score._history_user = by
            score.delete()
    for competency_id, level in given.items():
        score = existing.get(competency_id)
        if score is None:
            score = AssessmentScore(assessment=assessment, competency_id=competency_id)
        elif score.level == level:
            continue
        score.level = level
        score._history_user = by
        score.save()


@transaction.atomic
def assessment_record(*, framework: Framework, by, data: dict, submission_token: str = ""):
    """A new assessment with its scores ({competency id: level or None} in data["scores"])."""
    idempotency.consume(submission_token, user=by)
    _check_assessment(data)
    given = _check_scores(framework, data["scores"])
    assessment = Assessment(
        framework=framework,
        assessed_on=data["assessed_on"],
        kind=data["kind"],
        assessor=data.get("assessor", ""),
        evidence=data.get("evidence", ""),
        created_by=by,
    )
    _save(assessment, by=by)
    _write_scores(assessment, given, by=by)
    return assessment


@transaction.atomic
def assessment_update(*, assessment_id: int, framework: Framework, by, expected_version, data):
    assessment = lock_at_version(
        Assessment.objects.filter(framework=framework),
        pk=assessment_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="assessment"),
    )
    _check_assessment(data)
    given = _check_scores(framework, data["scores"])
    for name in ("assessed_on", "kind"):
        setattr(assessment, name, data[name])
    assessment.assessor = data.get("assessor", "")
    assessment.evidence = data.get("evidence", "")
    _save(assessment, by=by)
    _write_scores(assessment, given, by=by)
    return assessment


# --- targets ---------------------------------------------------------------------------------


@transaction.atomic
def targets_set(
    *, framework: Framework, by, competencies: list, target_date, level, submission_token=""
) -> list[CompetencyTarget]:
    """Target ``level`` by ``target_date`` for each competency (one, or all of them): a
    competency with a target on that date already has it changed."""
    idempotency.consume(submission_token, user=by)
    if not competencies:
        raise ValidationError({"competency": "Choose a competency, or all of them"})
    if any(c.framework_id != framework.pk for c in competencies):
        raise ValidationError({"competency": "Choose one of this framework's competencies"})
    check_level(framework, level, field="level")
    check_target_date(framework.organisation_id, target_date)
    existing = {
        t.competency_id: t
        for t in CompetencyTarget.objects.select_for_update().filter(
            competency__in=competencies, target_date=target_date
        )
    }
    saved = []
    for competency in competencies:
        target = existing.get(competency.pk)
        if target is None:
            target = CompetencyTarget(competency=competency, target_date=target_date)
        elif target.level == level:
            saved.append(target)
            continue
        else:
            target.version += 1
        target.level = level
        _save(target, by=by)
        saved.append(target)
    return saved


@transaction.atomic
def target_update(*, target_id: int, framework: Framework, by, expected_version, data: dict):
    target = lock_at_version(
        CompetencyTarget.objects.filter(competency__framework=framework),
        pk=target_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="target"),
    )
    check_level(framework, data["level"], field="level")
    check_target_date(framework.organisation_id, data["target_date"])
    target.level = data["level"]
    target.target_date = data["target_date"]
    _save(target, by=by)
    return target


# --- gap analysis ----------------------------------------------------------------------------


def _check_actions(plan: Plan, actions) -> list:
    actions = list(actions or ())
    check_own_records(plan.organisation_id, actions, field="actions", what="objectives and actions")
    return actions


@transaction.atomic
def gap_analysis_create(
    *, plan: Plan, by, title: str, description: str = "", seven_s: bool, submission_token=""
) -> GapAnalysis:
    """A gap analysis of the plan: with the seven McKinsey 7S dimensions ready, or none yet
    (the planner names their own)."""
    require_editable(plan)
    idempotency.consume(submission_token, user=by)
    analysis = GapAnalysis(plan=plan, title=title, description=description)
    _save(analysis, by=by)
    if seven_s:
        for order, (name, _) in enumerate(scoring.SEVEN_S, start=1):
            dimension = GapDimension(analysis=analysis, name=name, order=order)
            _save(dimension, by=by)
    return analysis


@transaction.atomic
def gap_analysis_update(*, analysis_id: int, plan: Plan, by, expected_version, data: dict):
    require_editable(plan)
    analysis = lock_at_version(
        GapAnalysis.objects.filter(plan=plan),
        pk=analysis_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="gap analysis"),
    )
    analysis.title = data["title"]
    analysis.description = data.get("description", "")
    _save(analysis, by=by)
    return analysis


DIMENSION_FIELDS = ("name", "current_state", "desired_state")


@transaction.atomic
def dimension_create(*, analysis: GapAnalysis, by, data: dict, submission_token: str = ""):
    require_editable(analysis.plan)
    idempotency.consume(submission_token, user=by)
    GapAnalysis.objects.select_for_update().filter(pk=analysis.pk).first()
    actions = _check_actions(analysis.plan, data.get("actions"))
    last = analysis.dimensions.aggregate(m=Max("order"))["m"] or 0
    dimension = GapDimension(
        analysis=analysis, order=last + 1, **{k: data.get(k, "") for k in DIMENSION_FIELDS}
    )
    _save(dimension, by=by)
    dimension.actions.set(actions)
    return dimension


@transaction.atomic
def dimension_update(*, dimension_id: int, analysis: GapAnalysis, by, expected_version, data):
    require_editable(analysis.plan)
    dimension = lock_at_version(
        GapDimension.objects.filter(analysis=analysis),
        pk=dimension_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="dimension"),
    )
    actions = _check_actions(analysis.plan, data.get("actions"))
    for name in DIMENSION_FIELDS:
        setattr(dimension, name, data.get(name, ""))
    _save(dimension, by=by)
    dimension.actions.set(actions)
    return dimension


# --- deleting ---------------------------------------------------------------------------------
#
# A record is deleted only when nothing still refers to it (the models PROTECT those links, and
# a competency's scores, though they would cascade, are recorded evidence): the refusal says
# what refers to it and what to do first. Each delete is version-checked (a page opened before
# somebody's change is refused) and audited: simple-history keeps the deleted row, with who.


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def competency_delete_refusal(competency: Competency) -> str | None:
    """Why the competency may not be deleted (assessments score it, targets aim at it), or
    None if it may."""
    scored = AssessmentScore.objects.filter(competency=competency).count()
    targets = CompetencyTarget.objects.filter(competency=competency).count()
    found, steps = [], []
    if scored:
        found.append(_counted(scored, "assessment scores it", "assessments score it"))
        steps.append("clear its score from each assessment (or delete the assessments)")
    if targets:
        found.append(_counted(targets, "target aims at it", "targets aim at it"))
        steps.append("delete its targets")
    if not found:
        return None
    return f"This competency cannot be deleted: {_joined(found)}. First {_joined(steps)}."


def framework_delete_refusal(framework: Framework) -> str | None:
    competencies = Competency.objects.filter(framework=framework).count()
    assessments = Assessment.objects.filter(framework=framework).count()
    found, steps = [], []
    if assessments:
        found.append(_counted(assessments, "assessment", "assessments"))
        steps.append("delete its assessments")
    if competencies:
        found.append(_counted(competencies, "competency", "competencies"))
        steps.append("delete its competencies")
    if not found:
        return None
    return (
        f"This framework cannot be deleted: it still has {_joined(found)}. First {_joined(steps)}."
    )


@transaction.atomic
def framework_delete(*, framework_id: int, organisation, by, expected_version) -> None:
    """Delete a framework that has no competency or assessment left (ValidationError naming
    them otherwise). Its links to plans go with it."""
    framework = lock_at_version(
        Framework.objects.filter(organisation=organisation),
        pk=framework_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="framework"),
        bump=False,
    )
    refusal = framework_delete_refusal(framework)
    if refusal:
        raise ValidationError(refusal, code="referenced")
    framework.plans.clear()
    framework._history_user = by
    framework.delete()


@transaction.atomic
def competency_delete(*, competency_id: int, framework: Framework, by, expected_version) -> None:
    """Delete a competency no assessment scores and no target aims at (ValidationError
    saying so otherwise). Its links to programmes and actions go with it; the others keep their
    numbers."""
    competency = lock_at_version(
        Competency.objects.filter(framework=framework),
        pk=competency_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="competency"),
        bump=False,
    )
    refusal = competency_delete_refusal(competency)
    if refusal:
        raise ValidationError(refusal, code="referenced")
    competency.programmes.clear()
    competency.objectives.clear()
    competency._history_user = by
    competency.delete()


@transaction.atomic
def competency_move(
    *, competency_id: int, framework: Framework, by, expected_version, direction: str
) -> bool:
    """Move a competency one place up or down the framework (planning.ordering.move, the
    project's one reorder rule): the two exchange numbers. False, changing nothing, when it
    is already first (last). Refused: a stale page (StaleEditError), another framework's
    competency (DoesNotExist, a 404 to the page)."""
    if direction not in (ordering.UP, ordering.DOWN):
        raise ValidationError("Choose to move the competency up or down.", code="direction")
    competency = lock_at_version(
        Competency.objects.filter(framework=framework),
        pk=competency_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="competency"),
    )
    return ordering.move(
        competency,
        Competency.objects.filter(framework=framework),
        direction,
        by=by,
        order_field="number",
    )


@transaction.atomic
def gap_analysis_delete(*, analysis_id: int, plan: Plan, by, expected_version) -> None:
    """Delete a gap analysis with its dimensions (they are part of it; their links to the
    plan's actions go with them). Refused on a locked plan."""
    require_editable(plan)
    analysis = lock_at_version(
        GapAnalysis.objects.filter(plan=plan),
        pk=analysis_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="gap analysis"),
        bump=False,
    )
    for dimension in analysis.dimensions.all():
        _delete_dimension(dimension, by=by)
    analysis._history_user = by
    analysis.delete()


def _delete_dimension(dimension: GapDimension, *, by) -> None:
    dimension.actions.clear()
    dimension._history_user = by
    dimension.delete()


@transaction.atomic
def dimension_delete(*, dimension_id: int, analysis: GapAnalysis, by, expected_version) -> None:
    require_editable(analysis.plan)
    dimension = lock_at_version(
        GapDimension.objects.filter(analysis=analysis),
        pk=dimension_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="dimension"),
        bump=False,
    )
    _delete_dimension(dimension, by=by)


@transaction.atomic
def assessment_delete(*, assessment_id: int, framework: Framework, by, expected_version) -> None:
    """Delete an assessment recorded by mistake, with its scores (their history stays)."""
    assessment = lock_at_version(
        Assessment.objects.filter(framework=framework),
        pk=assessment_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="assessment"),
    )
    for score in assessment.scores.all():
        score._history_user = by
        score.delete()
    assessment._history_user = by
    assessment.delete()


@transaction.atomic
def target_delete(*, target_id: int, framework: Framework, by, expected_version) -> None:
    target = lock_at_version(
        CompetencyTarget.objects.filter(competency__framework=framework),
        pk=target_id,
        expected_version=expected_version,
        stale_message=STALE.format(what="target"),
    )
    target._history_user = by
    target.delete()
