"""Key performance indicators and their measurements."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from kpis import periods, targets
from planning.fy import fy_start
from planning.models import Plan, Role
from planning.permissions import Action, organisations_where


class Perspective(models.TextChoices):
    """The four balanced-scorecard perspectives, in SSP's code letters."""

    FINANCIAL = "F", "Financial"
    CUSTOMER = "C", "Customer / partner"
    PROCESS = "P", "Internal process"
    LEARNING = "L", "Learning and growth"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEUTRAL = "neutral", "Neither"


POLARITY_IMPROVEMENT = {
    Polarity.HIGHER: "increase",
    Polarity.LOWER: "decrease",
    Polarity.NEUTRAL: "neutral",
}


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class KPIQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(plan=plan)

    def for_user(self, user):
        """What the user may see: the plans of the organisations where they may view."""
        return self.filter(plan__organisation__in=organisations_where(user, Action.VIEW))

    def with_targets(self):
        """Each KPI's targets in one more query, whatever the number of KPIs."""
        return self.prefetch_related(
            models.Prefetch("targets", queryset=KPITarget.objects.order_by("effective_from"))
        )


class KPI(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="kpis")
    code = models.CharField(max_length=20, help_text='Perspective letter and number, e.g. "L2".')
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    perspective = models.CharField(max_length=1, choices=Perspective.choices)
    unit = models.CharField(max_length=40, blank=True, help_text='E.g. "%", "£", "days".')
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.HIGHER)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    owner_text = models.CharField("owner (as written)", max_length=150, blank=True)
    owner_role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="kpis_owned"
    )
    data_source = models.CharField(max_length=200, blank=True)
    in_development = models.BooleanField(default=False)
    definition_due = models.DateField(
        null=True, blank=True, help_text="When a KPI in development is due to be defined."
    )
    # Optimistic concurrency: a save from a stale version is refused (as Objective.version).
    version = models.PositiveIntegerField(default=1)
    # A KPI carried into next year's plan (planning.rollforward) continues its predecessor's
    # measurement history without copying it: the lineage (kpis.lineage) reads the values of
    # the KPI and of every KPI it descends from. `lineage_root` is the first KPI of the line
    # (empty on that first one) and `lineage_depth` how many roll forwards lie between, so
    # one query finds a whole line however long it grows.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name="carried forward from",
    )
    lineage_root = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lineage_depth = models.PositiveSmallIntegerField(default=0, db_default=0)

    objects = KPIQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "perspective", "code"]
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_kpi_code_per_plan"),
            models.CheckConstraint(
                condition=Q(perspective__in=Perspective.values), name="kpi_perspective_valid"
            ),
            models.CheckConstraint(
                condition=Q(polarity__in=Polarity.values), name="kpi_polarity_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="kpi_frequency_valid"
            ),
            # The first of a line has no root and depth 0; a carried one has both.
            models.CheckConstraint(
                condition=Q(lineage_root__isnull=True, lineage_depth=0)
                | Q(lineage_root__isnull=False, lineage_depth__gt=0),
                name="kpi_lineage_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:detail", kwargs={"pk": self.pk})

    @property
    def lineage_key(self) -> int:
        """The first KPI of its line: itself, unless it was carried forward."""
        return self.lineage_root_id or self.pk

    @property
    def improvement(self) -> str:
        """The SPC engine's name for the polarity: "increase", "decrease" or "neutral"."""
        return POLARITY_IMPROVEMENT[self.polarity]

    @property
    def existed_from(self) -> dt.date:
        """The first day of the KPI's plan: no target can take effect before it."""
        return fy_start(self.plan.start_year)

    @property
    def target_schedule(self) -> targets.Schedule:
        """Its targets by effective date: as loaded for a list of KPIs in one query
        (kpis.selectors.load_schedules), else from ``targets`` (prefetch them on lists, see
        KPIQuerySet.with_targets)."""
        loaded = self.__dict__.get("_loaded_schedule")
        if loaded is not None:
            return loaded
        return targets.Schedule.of(self.targets.all())

    @property
    def current_target(self) -> targets.Target | None:
        """The target in force today (None: no target set)."""
        return self.target_schedule.in_force(timezone.localdate())


class EveryMeasurementManager(models.Manager):
    """`all_objects`: every row, withdrawn ones too (the history pages)."""


class CurrentMeasurementManager(models.Manager):
    """The default manager: withdrawn values are left out of every read (the scorecard, SPC, the
    RAG, imports). `Measurement.all_objects` includes them, for the KPI page's history."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class Measurement(models.Model):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="measurements")
    period_start = models.DateField(help_text="First day of the month or quarter measured.")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    commentary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measurements",
    )
    updated_at = models.DateTimeField(auto_now=True)
    starts_new_limits = models.BooleanField(
        "recalculate limits from here",
        default=False,
        help_text="A deliberate change to the process starts with this period: the SPC mean and "
        "limits are calculated afresh from here.",
    )
    synthetic = models.BooleanField(
        default=False,
        help_text="Generated demo data, not a real figure. Cleared when somebody enters a value.",
    )
    version = models.PositiveIntegerField(default=1)
    # A withdrawn value stays, marked, and no longer counts; the period may be entered again.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = CurrentMeasurementManager()
    all_objects = EveryMeasurementManager()

    class Meta:
        ordering = ["kpi", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period_start"],
                condition=Q(withdrawn_at__isnull=True),
                name="unique_measurement_per_period",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.kpi.code} {periods.label(self.period_start, self.kpi.frequency)}: {self.value}"
        )


class KPITarget(models.Model):
    """A KPI's target and tolerance from ``effective_from`` until the next one takes effect.

    Each measurement is rated against the target in force on the first day of its period
    (kpis.targets), so a new target changes no period that began before it. A blank target
    from a date means "no target from then on". Written by kpis.services.kpi_target_change.
    """

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="targets")
    effective_from = models.DateField("effective from")
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="How far short of target is still Amber rather than Red.",
    )
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpi_targets",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "effective_from"]
        verbose_name = "KPI target"
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "effective_from"], name="unique_kpi_target_per_date"
            ),
            models.CheckConstraint(
                condition=Q(tolerance__isnull=True) | Q(tolerance__gte=0),
                name="kpi_target_tolerance_non_negative",
                violation_error_message="The tolerance cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} from {self.effective_from:%d %b %Y}: {self.target}"
