"""Competency and maturity frameworks (an organisation's, scored by assessments and aimed at by
targets by date), and a plan's gap analyses (the McKinsey 7S set or dimensions the planner
names, with where we are, where we want to be and the plan's actions that close each gap)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from planning.models import Organisation, Plan, Programme

MAX_LEVELS = 10


class Framework(models.Model):
    """A competency or maturity framework: competencies scored on levels 1 to N."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="frameworks"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # One name per level, lowest first: level n is level_names[n - 1].
    level_names = models.JSONField(default=list)
    contributors_may_assess = models.BooleanField(
        "contributors may record assessments",
        default=False,
        help_text="Managers (contributors) may record and correct assessments, as planners may.",
    )
    plans = models.ManyToManyField(
        Plan,
        blank=True,
        related_name="frameworks",
        help_text="Plans whose PDF carries this framework as an appendix.",
    )
    # Demo data made up to show the pages, never a real organisation's scores.
    synthetic = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unique_framework_name",
                violation_error_message="This organisation already has a framework of that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("frameworks:detail", kwargs={"pk": self.pk})

    @property
    def level_count(self) -> int:
        return len(self.level_names)

    @property
    def levels(self) -> list[tuple[int, str]]:
        return list(enumerate(self.level_names, start=1))

    def level_label(self, level: int | None) -> str:
        if level is None:
            return "Not assessed"
        if 1 <= level <= self.level_count:
            return f"{level} {self.level_names[level - 1]}"
        return str(level)


class Competency(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="competencies")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # What each level looks like for this competency, lowest first (as level_names).
    descriptors = models.JSONField(default=list, blank=True)
    programmes = models.ManyToManyField(
        Programme,
        blank=True,
        related_name="competencies",
        verbose_name="programmes that develop it",
    )
    objectives = models.ManyToManyField(
        "objectives.Objective",
        blank=True,
        related_name="competencies",
        verbose_name="objectives and actions that develop it",
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "number"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"],
                name="unique_competency_number",
                violation_error_message="Another competency of this framework has that number.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def descriptor(self, level: int) -> str:
        return self.descriptors[level - 1] if 0 < level <= len(self.descriptors) else ""


class AssessmentKind(models.TextChoices):
    SELF = "self", "Self-assessment"
    PANEL = "panel", "Panel"
    EXTERNAL = "external", "External"


class Assessment(models.Model):
    """One assessment of the framework on a date: a level per competency (AssessmentScore)."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField("date of the assessment")
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices)
    assessor = models.CharField(max_length=200, blank=True, help_text="Who assessed.")
    evidence = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "assessed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AssessmentKind.values), name="assessment_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["framework", "assessed_on", "kind"],
                name="unique_assessment_date_kind",
                violation_error_message="This framework already has an assessment of that kind "
                "on that date: edit it instead.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on:%-d %B %Y}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="scores")
    level = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "competency__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="unique_score_per_competency"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=MAX_LEVELS), name="score_level_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency.name}: level {self.level}"


class CompetencyTarget(models.Model):
    """The level a competency should reach by a date ("at least level 2 by 2010")."""

    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="targets")
    target_date = models.DateField("by")
    level = models.PositiveSmallIntegerField("target level")
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["competency", "target_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "target_date"],
                name="unique_competency_target_date",
                violation_error_message="This competency already has a target on that date.",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=MAX_LEVELS), name="target_level_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency.name}: level {self.level} by {self.target_date:%-d %B %Y}"


# ---------------------------------------------------------------------------------------------
# Gap analysis
# ---------------------------------------------------------------------------------------------


class GapAnalysis(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="gap_analyses")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "title"]
        verbose_name_plural = "gap analyses"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "title"],
                name="unique_gap_analysis_title",
                violation_error_message="This plan already has a gap analysis of that title.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("frameworks:gap_detail", kwargs={"pk": self.pk})


class GapDimension(models.Model):
    analysis = models.ForeignKey(GapAnalysis, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)
    current_state = models.TextField("where we are", blank=True)
    desired_state = models.TextField("where we want to be", blank=True)
    actions = models.ManyToManyField(
        "objectives.Objective",
        blank=True,
        related_name="gap_dimensions",
        verbose_name="actions that close the gap",
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["analysis", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "name"],
                name="unique_gap_dimension_name",
                violation_error_message="This gap analysis already has a dimension of that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
