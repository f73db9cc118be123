"""A plan's deliverables: departmental operational objectives and action-plan items alike."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from planning.choices import TaggedChoices
from planning.fy import Quarter
from planning.models import OrgUnit, Plan, Programme, Role, StrategicObjective, StrategicPriority
from planning.permissions import Action, organisations_where
from planning.rag import RAG


class ProgressStatus(TaggedChoices, models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    COMPLETED_ONGOING = "completed_ongoing", "Completed and ongoing"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled"

    @property
    def colour(self) -> str:
        """The NHS.UK tag modifier that shows this status."""
        return _PROGRESS_COLOURS[self]

    @property
    def is_complete(self) -> bool:
        """Done: Completed, or Completed and ongoing (delivered, and kept going as usual work)."""
        return self in (ProgressStatus.COMPLETED, ProgressStatus.COMPLETED_ONGOING)

    @property
    def is_closed(self) -> bool:
        """Nothing more is owed: complete or cancelled. A closed item is never overdue and
        needs no further update."""
        return self.is_complete or self is ProgressStatus.CANCELLED

    @classmethod
    def closed_values(cls) -> list[str]:
        """The stored values of the closed statuses, for a queryset filter."""
        return [member.value for member in cls if member.is_closed]

    @classmethod
    def complete_values(cls) -> list[str]:
        return [member.value for member in cls if member.is_complete]


_PROGRESS_COLOURS = {
    ProgressStatus.NOT_STARTED: "grey",
    ProgressStatus.IN_PROGRESS: "blue",
    ProgressStatus.COMPLETED: "green",
    ProgressStatus.COMPLETED_ONGOING: "aqua-green",
    ProgressStatus.ON_HOLD: "yellow",
    ProgressStatus.CANCELLED: "red",
}


def _is(status: str, what: str) -> bool:
    """A status property for a stored value; an unknown value (old data) is open."""
    try:
        return getattr(ProgressStatus(status), what)
    except ValueError:
        return False


class ObjectiveKind(models.TextChoices):
    OPERATIONAL = "operational", "Operational objective"
    ACTION = "action", "Action"


class Goal(models.Model):
    """A heading that groups actions: an OD goal, under an optional section (e.g. "CCG Staff")."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="goals")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="goals"
    )
    section = models.CharField(max_length=150, blank=True)
    title = models.TextField()
    order = models.PositiveIntegerField(default=0)
    # Raised by every save made through the editing pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="unique_goal_order"),
        ]

    def __str__(self) -> str:
        return self.title


class ObjectiveQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(plan=plan)

    def for_user(self, user):
        """What the user may see: the plans of the organisations where they may view."""
        return self.in_organisations(organisations_where(user, Action.VIEW))

    def in_organisations(self, organisations):
        """Items of these organisations' plans: organisations_where(user, …) (a subquery), or
        the same as ids (planning.permissions.organisation_ids_where)."""
        return self.filter(plan__organisation__in=organisations)

    def with_related(self):
        """What a list or table of items shows, in a fixed number of queries."""
        return self.select_related(
            "plan",
            "plan__organisation",
            "org_unit",
            "org_unit__parent",
            "programme",
            "goal",
            "strategic_priority",
            "strategic_objective",
            "latest_update",
        ).prefetch_related("kpis")

    def for_plan_page(self):
        """What a plan page's tables show and group by: only the relations they read (each
        row's plan is the page's; no KPIs), so 2,000 rows build no more objects than needed."""
        return self.select_related("org_unit", "programme", "goal")

    def for_table(self):
        """What the objectives table (objectives.tables) shows: its department, programme or
        goal, no more. Fewer joins for the database to plan, fewer objects per row."""
        return self.select_related("org_unit", "programme", "goal")

    def open(self):
        return self.exclude(status__in=ProgressStatus.closed_values())

    def overdue(self, today: dt.date | None = None):
        today = today or dt.date.today()
        return self.open().filter(due_date__lt=today)

    def due_between(self, start: dt.date, end: dt.date):
        return self.filter(due_date__gte=start, due_date__lte=end)


class Objective(models.Model):
    """One deliverable. Its current progress is the latest ProgressUpdate, copied here on save."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="objectives")
    kind = models.CharField(max_length=20, choices=ObjectiveKind.choices)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name="department",
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name="programme or domain",
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="objectives"
    )
    reference = models.CharField(max_length=20, blank=True, help_text='As numbered, e.g. "6.1".')
    text = models.TextField()
    strategic_priority = models.ForeignKey(
        StrategicPriority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
    )
    strategic_objective = models.ForeignKey(
        StrategicObjective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name="short/medium-term objective",
    )
    sro_text = models.CharField("SRO (as written)", max_length=150, blank=True)
    lead_text = models.CharField("lead (as written)", max_length=150, blank=True)
    sro_roles = models.ManyToManyField(Role, blank=True, related_name="objectives_as_sro")
    lead_roles = models.ManyToManyField(Role, blank=True, related_name="objectives_as_lead")
    due_text = models.CharField(
        "due (as written)", max_length=150, blank=True, help_text='E.g. "Sept 06", "Ongoing".'
    )
    due_date = models.DateField(null=True, blank=True, help_text="Sorts and drives overdue.")
    measure = models.TextField("measure / evidence", blank=True)
    kpis = models.ManyToManyField("kpis.KPI", blank=True, related_name="objectives")
    is_new = models.BooleanField("new", default=False)
    order = models.PositiveIntegerField(default=0)
    # Current progress, copied from the latest update by the service that records updates.
    status = models.CharField(
        max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, blank=True)
    percent_complete = models.PositiveSmallIntegerField(default=0)
    latest_update = models.ForeignKey(
        "ProgressUpdate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic concurrency: a save from a stale version is refused.
    version = models.PositiveIntegerField(default=1)
    # The same item in last year's plan, when this one was carried by a roll forward
    # (planning.rollforward). SET_NULL: deleting the old item (only possible while nothing
    # reports on it) leaves this one standing, without the link.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name="carried forward from",
    )

    objects = ObjectiveQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"],
                condition=~Q(reference=""),
                name="unique_objective_reference",
                violation_error_message="Another item in this plan already has this reference.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ObjectiveKind.values), name="objective_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgressStatus.values), name="objective_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rag__in=[*RAG.values, ""]), name="objective_rag_valid"
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100),
                name="objective_percent_le_100",
                violation_error_message="Percentage complete cannot be more than 100.",
            ),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"{self.reference} {text}" if self.reference else text

    def get_absolute_url(self) -> str:
        return reverse("objectives:detail", kwargs={"pk": self.pk})

    @classmethod
    def lead_role_names(cls, plan) -> dict[int, list[str]]:
        """Each item of `plan` → the names of its lead roles, in the roles' own order. One
        query through the link table: lighter than prefetching a manager onto every item."""
        names: dict[int, list[str]] = {}
        links = (
            cls.lead_roles.through.objects.filter(objective__plan=plan)
            .select_related("role")
            .order_by(
                *(f"-role__{f[1:]}" if f[0] == "-" else f"role__{f}" for f in Role._meta.ordering),
                "role__pk",
            )
        )
        for link in links:
            names.setdefault(link.objective_id, []).append(str(link.role))
        return names

    @property
    def grouping(self) -> str:
        """The heading it sits under: department, or programme/goal."""
        if self.org_unit_id:
            return self.org_unit.name
        if self.goal_id:
            return self.goal.title
        if self.programme_id:
            return self.programme.title
        return ""

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return bool(self.due_date and self.due_date < today and not self.is_closed)

    @property
    def is_closed(self) -> bool:
        return _is(self.status, "is_closed")

    @property
    def is_complete(self) -> bool:
        """Completed (or completed and ongoing), whatever its RAG: a completed item recorded
        without a rating reads as complete in roll-ups."""
        return _is(self.status, "is_complete")


class Milestone(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="milestones")
    text = models.TextField()
    lead_text = models.CharField("lead (as written)", max_length=150, blank=True)
    due_text = models.CharField("due (as written)", max_length=150, blank=True)
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    # Optimistic concurrency, as Objective.version.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "order"]

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return bool(self.due_date and self.due_date < today and self.completed_on is None)


class UpdateState(models.TextChoices):
    CURRENT = "current", "Current"
    CORRECTED = "corrected", "Corrected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class EveryUpdateManager(models.Manager):
    """`all_objects`: every row, corrected and withdrawn ones too (the history pages)."""


class CurrentUpdateManager(models.Manager):
    """The default manager: only current updates, so every read (the scorecard, the item's
    current state, My work) ignores corrected and withdrawn ones without being told.
    `ProgressUpdate.all_objects` reads the whole history, for the item page."""

    def get_queryset(self):
        return super().get_queryset().filter(state=UpdateState.CURRENT)


class ProgressUpdate(models.Model):
    """One report of where an item stands. Its words are never edited: a correction is a new
    update that takes this one's place (`correction`), and a withdrawn one stays in the history,
    marked, with who withdrew it, when and why. Only current updates count."""

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="updates")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    # A correction keeps the time of the update it replaces, so it takes that one's place in
    # the order that decides the item's current state.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    financial_year = models.PositiveSmallIntegerField(
        help_text="Start year, e.g. 2006 for 2006/07."
    )
    quarter = models.PositiveSmallIntegerField()
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, blank=True)
    status = models.CharField(max_length=20, choices=ProgressStatus.choices)
    percent_complete = models.PositiveSmallIntegerField(default=0)
    narrative = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True)
    # Corrections and withdrawals (objectives.services): the original stays, marked.
    state = models.CharField(
        max_length=10, choices=UpdateState.choices, default=UpdateState.CURRENT
    )
    state_changed_at = models.DateTimeField("corrected or withdrawn at", null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="corrected or withdrawn by",
    )
    state_reason = models.TextField("reason for the correction or withdrawal", blank=True)
    correction = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrects"
    )

    history = HistoricalRecords()
    objects = CurrentUpdateManager()
    all_objects = EveryUpdateManager()

    class Meta:
        ordering = ["objective", "-created_at", "-pk"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="update_quarter_1_4",
                violation_error_message="Choose a quarter from 1 to 4.",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100),
                name="update_percent_le_100",
                violation_error_message="Percentage complete cannot be more than 100.",
            ),
            models.CheckConstraint(condition=Q(rag__in=[*RAG.values, ""]), name="update_rag_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ProgressStatus.values), name="update_status_valid"
            ),
            # Complete means Blue and 100%.
            models.CheckConstraint(
                condition=~Q(rag=RAG.BLUE) | Q(percent_complete=100),
                name="update_blue_is_100",
                violation_error_message="Blue means complete: the percentage must be 100.",
            ),
            # Current, or corrected (by a named update) or withdrawn at a time.
            models.CheckConstraint(
                condition=Q(state=UpdateState.CURRENT, state_changed_at__isnull=True)
                | Q(
                    state=UpdateState.CORRECTED,
                    state_changed_at__isnull=False,
                    correction__isnull=False,
                )
                | Q(state=UpdateState.WITHDRAWN, state_changed_at__isnull=False),
                name="update_state_consistent",
            ),
        ]

    def __str__(self) -> str:
        ref = self.objective.reference or self.objective_id
        return f"{ref} — {self.period} {self.get_rag_display()}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)

    @property
    def is_current(self) -> bool:
        return self.state == UpdateState.CURRENT
