"""An organisation's risk register and what the Board Assurance Framework reads from it.

A risk belongs to an organisation, optionally to one of its plans (and a programme of it). Its
inherent, current and target scores are likelihood × consequence on the NHS 5×5 matrix
(assurance.scoring); a risk the source never scored keeps all three blank and says so. Every
review is kept (RiskReview): the current score is the latest review's, so the trend is visible.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from assurance import scoring
from objectives.models import Objective
from planning.choices import TaggedChoices
from planning.models import (
    Organisation,
    Person,
    Plan,
    Programme,
    Role,
    StrategicObjective,
    StrategicPriority,
)

LEVEL_CHOICES = [(level, f"{level} {words.lower()}") for level, words in scoring.LIKELIHOOD.items()]
CONSEQUENCE_CHOICES = [
    (level, f"{level} {words.lower()}") for level, words in scoring.CONSEQUENCE.items()
]


def _level_field(verbose_name: str, choices) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, null=True, blank=True, choices=choices)


def _levels_valid(prefix: str) -> list[models.CheckConstraint]:
    """Each level 1–5 and a pair either both set or both blank."""
    likelihood, consequence = f"{prefix}_likelihood", f"{prefix}_consequence"
    return [
        models.CheckConstraint(
            condition=(
                Q(**{f"{likelihood}__isnull": True})
                | Q(**{f"{likelihood}__gte": 1, f"{likelihood}__lte": 5})
            )
            & (
                Q(**{f"{consequence}__isnull": True})
                | Q(**{f"{consequence}__gte": 1, f"{consequence}__lte": 5})
            ),
            name=f"risk_{prefix}_levels_1_5",
            violation_error_message="Likelihood and consequence run from 1 to 5.",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{likelihood}__isnull": True}, **{f"{consequence}__isnull": True})
            | Q(**{f"{likelihood}__isnull": False}, **{f"{consequence}__isnull": False}),
            name=f"risk_{prefix}_pair_complete",
            violation_error_message=scoring.HALF_SCORED + ".",
        ),
    ]


class RiskSettings(models.Model):
    """An organisation's score bands (assurance.scoring.Bands); the default when absent."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="risk_settings"
    )
    low_max = models.PositiveSmallIntegerField("low runs up to", default=3)
    moderate_max = models.PositiveSmallIntegerField("moderate runs up to", default=6)
    high_max = models.PositiveSmallIntegerField("high runs up to", default=12)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "risk score bands"
        verbose_name_plural = "risk score bands"
        constraints = [
            models.CheckConstraint(
                condition=Q(low_max__gte=1)
                & Q(moderate_max__gt=models.F("low_max"))
                & Q(high_max__gt=models.F("moderate_max"))
                & Q(high_max__lt=25),
                name="risk_bands_ordered",
                violation_error_message="Each band must end above the one before it.",
            ),
        ]

    def __str__(self) -> str:
        return f"Risk score bands of {self.organisation}"

    @property
    def bands(self) -> scoring.Bands:
        return scoring.Bands(self.low_max, self.moderate_max, self.high_max)


def bands_of(organisation: Organisation) -> scoring.Bands:
    """The organisation's bands (select/prefetch `risk_settings` to save the query)."""
    try:
        return organisation.risk_settings.bands
    except RiskSettings.DoesNotExist:
        return scoring.DEFAULT_BANDS


class RiskCategory(models.Model):
    """A category of risk (clinical, financial, …) with the board's appetite for it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="risk_categories"
    )
    name = models.CharField(max_length=100)
    appetite = models.PositiveSmallIntegerField(
        "risk appetite",
        null=True,
        blank=True,
        help_text="The highest current score the board will tolerate in this category (1–25).",
    )
    appetite_statement = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name_plural = "risk categories"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unique_risk_category",
                violation_error_message="This organisation already has a category of that name.",
            ),
            models.CheckConstraint(
                condition=Q(appetite__isnull=True) | Q(appetite__gte=1, appetite__lte=25),
                name="risk_appetite_1_25",
                violation_error_message="A risk appetite is a score from 1 to 25.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RiskStatus(TaggedChoices, models.TextChoices):
    OPEN = "open", "Open"
    ESCALATED = "escalated", "Escalated"
    CLOSED = "closed", "Closed"

    @property
    def colour(self) -> str:
        return {"open": "blue", "escalated": "red", "closed": "grey"}[self.value]


class RiskQuerySet(models.QuerySet):
    def in_organisations(self, organisations):
        return self.filter(organisation__in=organisations)

    def live(self):
        return self.exclude(status=RiskStatus.CLOSED)

    def with_related(self):
        """What a register row or a BAF row shows, in a fixed number of queries."""
        return self.select_related(
            "organisation",
            "organisation__risk_settings",
            "category",
            "owner_person",
            "owner_role",
            "plan",
            "programme",
        )

    def with_baf(self):
        """with_related() and everything the BAF shows beside it."""
        return self.with_related().prefetch_related(
            "priorities",
            "strategic_objectives",
            "programmes",
            models.Prefetch(
                "mitigating_actions",
                queryset=Objective.objects.select_related("plan").order_by("plan", "order"),
            ),
            models.Prefetch("reviews", queryset=RiskReview.objects.order_by("reviewed_on", "pk")),
        )


class Risk(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="risks")
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        help_text="Leave blank for a risk of the whole organisation.",
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name="programme it belongs to",
    )
    reference = models.CharField(max_length=20, blank=True, help_text='For example "BAF 3".')
    title = models.CharField(max_length=200)
    cause = models.TextField(blank=True)
    event = models.TextField(blank=True)
    effect = models.TextField(blank=True)
    category = models.ForeignKey(
        RiskCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="risks"
    )
    owner_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="risks_owned"
    )
    owner_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="risks_owned"
    )
    # What it threatens.
    priorities = models.ManyToManyField(
        StrategicPriority, blank=True, related_name="risks", verbose_name="strategic priorities"
    )
    strategic_objectives = models.ManyToManyField(
        StrategicObjective,
        blank=True,
        related_name="risks",
        verbose_name="short/medium-term objectives",
    )
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="threatening_risks", verbose_name="programmes"
    )
    # Scores: blank when not scored (the source printed none).
    inherent_likelihood = _level_field("inherent likelihood", LEVEL_CHOICES)
    inherent_consequence = _level_field("inherent consequence", CONSEQUENCE_CHOICES)
    current_likelihood = _level_field("current likelihood", LEVEL_CHOICES)
    current_consequence = _level_field("current consequence", CONSEQUENCE_CHOICES)
    target_likelihood = _level_field("target likelihood", LEVEL_CHOICES)
    target_consequence = _level_field("target consequence", CONSEQUENCE_CHOICES)
    gaps_in_control = models.TextField(blank=True)
    gaps_in_assurance = models.TextField(blank=True)
    mitigating_actions = models.ManyToManyField(
        Objective, blank=True, related_name="mitigated_risks"
    )
    is_principal = models.BooleanField(
        "principal risk",
        default=False,
        help_text="Principal risks are the ones the Board Assurance Framework reports.",
    )
    status = models.CharField(max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    review_date = models.DateField("next review", null=True, blank=True)
    source_note = models.TextField(
        blank=True, help_text="Where the risk was transcribed from, and what the source omits."
    )
    synthetic = models.BooleanField(default=False, help_text="Made up by the demo loader.")
    version = models.PositiveIntegerField(default=1)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                condition=~Q(reference=""),
                name="unique_risk_reference",
                violation_error_message="Another risk of this organisation has this reference.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RiskStatus.values), name="risk_status_valid"
            ),
            *_levels_valid("inherent"),
            *_levels_valid("current"),
            *_levels_valid("target"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return reverse("assurance:risk_detail", kwargs={"pk": self.pk})

    @property
    def bands(self) -> scoring.Bands:
        # A page of risks sets `_bands` once (assurance.selectors) rather than reading them
        # through each risk's organisation.
        return getattr(self, "_bands", None) or bands_of(self.organisation)

    @property
    def inherent(self) -> scoring.Rating | None:
        return scoring.rating(self.inherent_likelihood, self.inherent_consequence, self.bands)

    @property
    def current(self) -> scoring.Rating | None:
        return scoring.rating(self.current_likelihood, self.current_consequence, self.bands)

    @property
    def target(self) -> scoring.Rating | None:
        return scoring.rating(self.target_likelihood, self.target_consequence, self.bands)

    @property
    def is_scored(self) -> bool:
        return any((self.inherent, self.current, self.target))

    @property
    def owner(self) -> str:
        names = [str(o) for o in (self.owner_person, self.owner_role) if o is not None]
        return "; ".join(names)

    def is_review_overdue(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return (
            self.status != RiskStatus.CLOSED
            and self.review_date is not None
            and self.review_date < today
        )

    @property
    def trend(self) -> scoring.Trend:
        """From the reviews, oldest first: prefetched by with_baf(), or their scores read as
        values by assurance.selectors (`baf_scores`)."""
        scores = getattr(self, "baf_scores", None)
        if scores is None:
            scores = [r.score for r in self.reviews.all()]
        return scoring.trend(scores)

    @property
    def within_appetite(self) -> bool | None:
        appetite = self.category.appetite if self.category_id else None
        current = self.current
        return scoring.within_appetite(current.score if current else None, appetite)


class LineOfDefence(models.IntegerChoices):
    FIRST = 1, "First line: management"
    SECOND = 2, "Second line: oversight and compliance"
    THIRD = 3, "Third line: independent assurance"


class ControlKind(models.TextChoices):
    CONTROL = "control", "Control"
    ASSURANCE = "assurance", "Assurance"


class Control(models.Model):
    """A control on a risk, or a source of assurance that the controls work."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="controls")
    kind = models.CharField(max_length=20, choices=ControlKind.choices)
    description = models.TextField()
    line_of_defence = models.PositiveSmallIntegerField(
        choices=LineOfDefence.choices,
        null=True,
        blank=True,
        help_text="Leave blank when the source does not say.",
    )
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ControlKind.values), name="control_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(line_of_defence__isnull=True)
                | Q(line_of_defence__gte=1, line_of_defence__lte=3),
                name="control_line_of_defence_1_3",
            ),
        ]

    def __str__(self) -> str:
        text = self.description if len(self.description) <= 80 else self.description[:77] + "…"
        return f"{self.get_kind_display()}: {text}"


class RiskReview(models.Model):
    """One review of a risk: its score then (blank when not scored), when, by whom and why.
    Never edited: a new review is a new row, so the history is the trend."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_reviews",
    )
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True, choices=LEVEL_CHOICES)
    consequence = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=CONSEQUENCE_CHOICES
    )
    note = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["risk", "reviewed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(likelihood__isnull=True) & Q(consequence__isnull=True))
                | Q(likelihood__gte=1, likelihood__lte=5, consequence__gte=1, consequence__lte=5),
                name="risk_review_levels_1_5",
                violation_error_message="Likelihood and consequence run from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.risk} on {self.reviewed_on:%d/%m/%Y}"

    @property
    def score(self) -> int | None:
        return scoring.score(self.likelihood, self.consequence)
