"""What the framework and gap-analysis pages (and the plan PDF's appendices) show, each read in
a fixed number of queries whatever the number of competencies, assessments or dimensions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from frameworks import charts, scoring
from frameworks.models import (
    Assessment,
    AssessmentScore,
    Competency,
    CompetencyTarget,
    Framework,
    GapAnalysis,
    GapDimension,
)
from objectives.models import Objective
from planning.models import Programme


def frameworks_of(organisation_id: int) -> list[Framework]:
    return list(
        Framework.objects.filter(organisation_id=organisation_id).annotate(
            competency_count=Count("competencies", distinct=True),
            assessment_count=Count("assessments", distinct=True),
        )
    )


@dataclass
class ChartRow:
    on: dt.date
    what: str
    level: str


@dataclass
class CompetencyRow:
    competency: Competency
    scores: list[AssessmentScore]
    targets: list[CompetencyTarget]
    standing: scoring.Standing
    chart: str = ""
    rows: list[ChartRow] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"competency-{self.competency.pk}"


@dataclass
class FrameworkPage:
    framework: Framework
    competencies: list[CompetencyRow]
    assessments: list[Assessment]
    today: dt.date

    @property
    def met(self) -> int:
        return sum(1 for c in self.competencies if c.standing.met)

    @property
    def with_gap(self) -> int:
        return sum(1 for c in self.competencies if c.standing.met is not None)


def _competencies(framework: Framework):
    return framework.competencies.prefetch_related(
        Prefetch(
            "scores",
            queryset=AssessmentScore.objects.select_related("assessment").order_by(
                "assessment__assessed_on", "assessment_id"
            ),
        ),
        Prefetch("targets", queryset=CompetencyTarget.objects.order_by("target_date")),
        Prefetch("programmes", queryset=Programme.objects.select_related("plan")),
        Prefetch(
            "objectives",
            queryset=Objective.objects.select_related("plan").order_by("plan", "order"),
        ),
    )


def framework_page(framework: Framework, *, today: dt.date, charts_too: bool = True):
    competencies = list(_competencies(framework))
    assessments = list(framework.assessments.order_by("assessed_on", "pk"))
    everything = [s.assessment.assessed_on for c in competencies for s in c.scores.all()] + [
        t.target_date for c in competencies for t in c.targets.all()
    ]
    start, end = (min(everything), max(everything)) if everything else (today, today)
    rows = []
    for competency in competencies:
        scores = list(competency.scores.all())
        targets = list(competency.targets.all())
        dated_scores = [scoring.Dated(s.assessment.assessed_on, s.level) for s in scores]
        dated_targets = [scoring.Dated(t.target_date, t.level) for t in targets]
        row = CompetencyRow(
            competency=competency,
            scores=scores,
            targets=targets,
            standing=scoring.standing(dated_scores, dated_targets, on=today),
        )
        if charts_too:
            row.chart = charts.competency_chart(
                name=str(competency),
                scores=[(d.on, d.level) for d in dated_scores],
                targets=[(d.on, d.level) for d in dated_targets],
                level_count=framework.level_count,
                start=start,
                end=end,
                id_prefix=row.anchor,
            )
        row.rows = sorted(
            [
                ChartRow(
                    s.assessment.assessed_on,
                    s.assessment.get_kind_display(),
                    framework.level_label(s.level),
                )
                for s in scores
            ]
            + [ChartRow(t.target_date, "Target", framework.level_label(t.level)) for t in targets],
            key=lambda r: (r.on, r.what == "Target"),
        )
        rows.append(row)
    return FrameworkPage(framework, rows, assessments, today)


@dataclass
class AssessmentRow:
    assessment: Assessment
    scores: list[tuple[Competency, str]]


def assessments_page(framework: Framework) -> list[AssessmentRow]:
    """Every assessment, newest first, with a level (or "Not assessed") per competency."""
    competencies = list(framework.competencies.all())
    assessments = (
        framework.assessments.select_related("created_by")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=AssessmentScore.objects.only("assessment_id", "competency_id", "level"),
            )
        )
        .order_by("-assessed_on", "-pk")
    )
    out = []
    for assessment in assessments:
        levels = {s.competency_id: s.level for s in assessment.scores.all()}
        out.append(
            AssessmentRow(
                assessment,
                [(c, framework.level_label(levels.get(c.pk))) for c in competencies],
            )
        )
    return out


def with_dimensions(queryset):
    """Gap analyses with their plan, dimensions and each dimension's actions (plan and RAG)."""
    return queryset.select_related("plan", "plan__organisation").prefetch_related(
        Prefetch(
            "dimensions",
            queryset=GapDimension.objects.order_by("order", "pk").prefetch_related(
                Prefetch(
                    "actions",
                    queryset=Objective.objects.select_related("plan").order_by("plan", "order"),
                )
            ),
        )
    )


def gap_analyses_of(plan) -> list[GapAnalysis]:
    return list(GapAnalysis.objects.filter(plan=plan).annotate(dimension_count=Count("dimensions")))


def plan_appendices(plan, *, today: dt.date) -> tuple[list[FrameworkPage], list[GapAnalysis]]:
    """The frameworks linked to the plan and the plan's gap analyses, for its PDF."""
    pages = [
        framework_page(f, today=today)
        for f in Framework.objects.filter(plans=plan).order_by("name")
    ]
    analyses = list(with_dimensions(GapAnalysis.objects.filter(plan=plan).order_by("title")))
    return pages, analyses
