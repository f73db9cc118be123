"""A delivery plan's own hierarchy, as partnership plans write it (docs/decisions/delivery.md).

Programme (or clinical leadership group) → workstream → intervention or project → milestone,
each level one `DeliveryItem`, with progress updates; money and people by financial year
(`YearFigure`, points or low–high ranges with a confidence); dependencies between items or on
named external programmes; lineage (merged into, split from, superseded by); governance bodies,
what they oversee, and their decisions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from objectives.models import ProgressStatus
from planning.choices import TaggedChoices
from planning.models import Organisation, Person, Plan, Role
from planning.rag import RAG


class Level(models.TextChoices):
    """The four levels; each says which level its parent must be."""

    PROGRAMME = "programme", "Programme"
    WORKSTREAM = "workstream", "Workstream"
    INTERVENTION = "intervention", "Intervention or project"
    MILESTONE = "milestone", "Milestone"

    @property
    def parent_level(self) -> Level | None:
        """The level an item of this level sits under (None: top of the tree)."""
        return _PARENT_LEVEL[self]

    @property
    def depth(self) -> int:
        return _DEPTH[self]


_PARENT_LEVEL = {
    Level.PROGRAMME: None,
    Level.WORKSTREAM: Level.PROGRAMME,
    Level.INTERVENTION: Level.WORKSTREAM,
    Level.MILESTONE: Level.INTERVENTION,
}
_DEPTH = {level: depth for depth, level in enumerate(Level)}


class DeliveryItemQuerySet(models.QuerySet):
    def for_plan(self, plan: Plan):
        return self.filter(plan=plan)


class DeliveryItem(models.Model):
    """One programme, workstream, intervention or milestone of a delivery plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="delivery_items")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    # What the document calls this level when it is not the generic word, e.g. "Clinical
    # leadership group" for a programme, or "Opportunity" for a workstream.
    level_label = models.CharField(max_length=60, blank=True)
    reference = models.CharField(max_length=20, help_text='The plan\'s own reference, e.g. "CP2".')
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    case_for_change = models.TextField(blank=True)
    scope = models.TextField(blank=True)
    outcomes = models.TextField("outcomes and benefits", blank=True)
    sro_text = models.CharField("SRO (as written)", max_length=150, blank=True)
    sro_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="delivery_items_sro"
    )
    lead_text = models.CharField("leads (as written)", max_length=300, blank=True)
    lead_roles = models.ManyToManyField(Role, blank=True, related_name="delivery_items_led")
    lead_people = models.ManyToManyField(Person, blank=True, related_name="delivery_items_led")
    # The organisations involved (members of the plan's partnership) and the place.
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="delivery_items_involved"
    )
    place = models.CharField(
        max_length=120, blank=True, help_text="The borough or locality, when the item is local."
    )
    # Timescale as written ("within 3 months", "3 months – 3 years", "Oct 2009"), and what it
    # resolves to once its start is known (delivery.timescales).
    timescale_text = models.CharField("timescale (as written)", max_length=150, blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True, help_text="Or the window's start.")
    due_date_latest = models.DateField(null=True, blank=True, help_text="The window's end.")
    order = models.PositiveIntegerField(default=0)
    # Current progress, copied from the latest current update by the service that records it.
    status = models.CharField(
        max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, blank=True)
    latest_update = models.ForeignKey(
        "DeliveryUpdate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Risks at this item's level, from the organisation's risk register (assurance).
    risks = models.ManyToManyField("assurance.Risk", blank=True, related_name="delivery_items")
    # Optimistic concurrency (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    objects = DeliveryItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["latest_update"])

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = "delivery item"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"],
                name="unique_delivery_reference",
                violation_error_message="Another item in this plan already has this reference.",
            ),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="delivery_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgressStatus.values), name="delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rag__in=[*RAG.values, ""]), name="delivery_rag_valid"
            ),
            models.CheckConstraint(
                condition=Q(level=Level.PROGRAMME, parent__isnull=True)
                | (~Q(level=Level.PROGRAMME) & Q(parent__isnull=False)),
                name="delivery_programme_is_top",
                violation_error_message="A programme has no parent; every other level has one.",
            ),
            models.CheckConstraint(
                condition=Q(due_date_latest__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date_latest__gte=models.F("due_date")),
                name="delivery_window_ordered",
                violation_error_message="The window cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("delivery:item", args=[self.pk])


class DeliveryUpdate(models.Model):
    """One report of where a delivery item stands (never edited; the newest counts)."""

    item = models.ForeignKey(DeliveryItem, on_delete=models.PROTECT, related_name="updates")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delivery_updates",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The date the update reports on, as the source dates it (e.g. a cabinet report's date).
    as_at = models.DateField()
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, blank=True)
    status = models.CharField(max_length=20, choices=ProgressStatus.choices)
    progress = models.TextField("progress made", blank=True)
    next_steps = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "-as_at", "-created_at", "-pk"]
        get_latest_by = ["as_at", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rag__in=[*RAG.values, ""]), name="delivery_update_rag_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgressStatus.values), name="delivery_update_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference} — {self.as_at:%d %b %Y}"


class Measure(models.TextChoices):
    """What a year figure counts. Money in pounds; FTE in whole-time equivalents."""

    CAPITAL = "capital", "Investment: capital (£)"
    REVENUE = "revenue", "Investment: revenue (£)"
    GROSS_SAVINGS = "gross_savings", "Savings: gross (£)"
    NET_SAVINGS = "net_savings", "Savings: net (£)"
    # Sources that print "savings" without saying gross or net (the Herefordshire report, the
    # SEL STP briefing): recorded as such rather than guessed (docs/decisions/demo-data.md).
    SAVINGS = "savings", "Savings: gross or net not stated (£)"
    FTE = "fte", "Change in staff (FTE)"

    @property
    def is_money(self) -> bool:
        return self is not Measure.FTE


class Confidence(TaggedChoices, models.TextChoices):
    ESTIMATE = "estimate", "Estimate"
    VALIDATED = "validated", "Validated"
    DELIVERED = "delivered", "Delivered"

    @property
    def colour(self) -> str:
        return {"estimate": "grey", "validated": "blue", "delivered": "green"}[self.value]


class YearFigure(models.Model):
    """An amount for one item, one measure and one financial year: a point (low = high) or a
    range, with how sure it is. A source that prints a figure with no year (e.g. "recurring
    savings of £3.4m to £5.4m") leaves the year blank rather than guessing one."""

    item = models.ForeignKey(DeliveryItem, on_delete=models.CASCADE, related_name="figures")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    financial_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Start year, e.g. 2010 for 2010/11; blank if not stated."
    )
    low = models.DecimalField(max_digits=14, decimal_places=2)
    high = models.DecimalField(max_digits=14, decimal_places=2)
    confidence = models.CharField(max_length=20, choices=Confidence.choices)
    recurring = models.BooleanField(default=False, help_text="Each year from this one on.")
    note = models.CharField(max_length=300, blank=True, help_text="As the source words it.")
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "measure", "financial_year", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(low__lte=models.F("high")),
                name="year_figure_low_le_high",
                violation_error_message="The low figure cannot be more than the high figure.",
            ),
            models.CheckConstraint(
                condition=Q(measure__in=Measure.values), name="year_figure_measure_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="year_figure_confidence_valid"
            ),
            models.UniqueConstraint(
                fields=["item", "measure", "financial_year", "confidence"],
                condition=Q(financial_year__isnull=False),
                name="unique_year_figure",
                violation_error_message=(
                    "This item already has a figure for this measure, year and confidence."
                ),
            ),
            # Partial, not nulls_distinct=False, so SQLite enforces it too.
            models.UniqueConstraint(
                fields=["item", "measure", "confidence"],
                condition=Q(financial_year__isnull=True),
                name="unique_year_figure_unstated_year",
                violation_error_message=(
                    "This item already has a figure with no year for this measure and confidence."
                ),
            ),
        ]

    def __str__(self) -> str:
        year = (
            f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"
            if self.financial_year
            else "year not stated"
        )
        amount = str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        return f"{self.item.reference} {self.get_measure_display()} {year}: {amount}"

    @property
    def is_range(self) -> bool:
        return self.low != self.high


class DependencyKind(models.TextChoices):
    NEEDS = "needs", "Needs"
    ENABLES = "enables", "Enables"
    RELATED = "related", "Related to"


class DependencyStatus(TaggedChoices, models.TextChoices):
    OPEN = "open", "Open"
    AT_RISK = "at_risk", "At risk"
    MET = "met", "Met"
    CLOSED = "closed", "Closed"

    @property
    def colour(self) -> str:
        return {"open": "blue", "at_risk": "orange", "met": "green", "closed": "grey"}[self.value]


class Dependency(models.Model):
    """`item` needs, enables or is related to another item (of this plan or another) or a
    named programme outside Waymark. "Needs" and "enables" are directed; cycles are refused
    (delivery.graph)."""

    item = models.ForeignKey(DeliveryItem, on_delete=models.CASCADE, related_name="dependencies")
    kind = models.CharField(max_length=20, choices=DependencyKind.choices)
    on_item = models.ForeignKey(
        DeliveryItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name="on item",
    )
    external = models.CharField(
        "external programme", max_length=200, blank=True, help_text="A programme not in Waymark."
    )
    owner_text = models.CharField("owner (as written)", max_length=150, blank=True)
    owner_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="dependencies_owned"
    )
    status = models.CharField(
        max_length=20, choices=DependencyStatus.choices, default=DependencyStatus.OPEN
    )
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "pk"]
        verbose_name_plural = "dependencies"
        constraints = [
            models.CheckConstraint(
                condition=(Q(on_item__isnull=False) & Q(external=""))
                | (Q(on_item__isnull=True) & ~Q(external="")),
                name="dependency_one_target",
                violation_error_message="Name either an item or an external programme.",
            ),
            models.CheckConstraint(
                condition=~Q(item=models.F("on_item")),
                name="dependency_not_self",
                violation_error_message="An item cannot depend on itself.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DependencyKind.values), name="dependency_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DependencyStatus.values), name="dependency_status_valid"
            ),
        ]

    def __str__(self) -> str:
        target = self.on_item.reference if self.on_item_id else self.external
        return f"{self.item.reference} {self.get_kind_display().lower()} {target}"


class LineageKind(models.TextChoices):
    MERGED_INTO = "merged_into", "Merged into"
    SPLIT_FROM = "split_from", "Split from"
    SUPERSEDED_BY = "superseded_by", "Superseded by"

    @property
    def reverse_label(self) -> str:
        """How the other end reads it."""
        return {
            "merged_into": "Absorbed",
            "split_from": "Split into",
            "superseded_by": "Supersedes",
        }[self.value]


class Lineage(models.Model):
    """`item` was merged into, split from, or superseded by `other` (possibly of another plan)."""

    item = models.ForeignKey(DeliveryItem, on_delete=models.CASCADE, related_name="lineage")
    kind = models.CharField(max_length=20, choices=LineageKind.choices)
    other = models.ForeignKey(DeliveryItem, on_delete=models.PROTECT, related_name="lineage_from")
    reason = models.TextField()
    date = models.DateField(null=True, blank=True)
    date_text = models.CharField("date (as written)", max_length=60, blank=True)
    # Optimistic concurrency (planning.concurrency): its reason and date are edited.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "kind", "other"], name="unique_lineage"),
            models.CheckConstraint(
                condition=~Q(item=models.F("other")),
                name="lineage_not_self",
                violation_error_message=(
                    "An item cannot be merged into, split from or superseded by itself."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LineageKind.values), name="lineage_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference} {self.get_kind_display().lower()} {self.other.reference}"


class BodyKind(models.TextChoices):
    BOARD = "board", "Board"
    COMMITTEE = "committee", "Committee"
    PROGRAMME_BOARD = "programme_board", "Programme board"
    CLINICAL_LEADERSHIP_GROUP = "clinical_leadership_group", "Clinical leadership group"
    OTHER = "other", "Other group"


class GovernanceBody(models.Model):
    """A board, committee, programme board or clinical leadership group of an organisation
    (usually the partnership), with its parent body."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="governance_bodies"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=BodyKind.choices)
    chair_text = models.CharField("chair (as written)", max_length=150, blank=True)
    chair_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies_chaired"
    )
    member_roles = models.ManyToManyField(Role, blank=True, related_name="body_memberships")
    members_text = models.TextField("members (as written)", blank=True)
    meeting_frequency = models.CharField(max_length=100, blank=True)
    # What it oversees: whole plans, or programmes (or other items) of them.
    plans = models.ManyToManyField(Plan, blank=True, related_name="overseeing_bodies")
    items = models.ManyToManyField(DeliveryItem, blank=True, related_name="overseeing_bodies")
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "order", "name"]
        verbose_name_plural = "governance bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unique_governance_body_name",
                violation_error_message="This organisation already has a body with this name.",
            ),
            models.CheckConstraint(condition=Q(kind__in=BodyKind.values), name="body_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """An entry of a body's decisions log."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.PROTECT, related_name="decisions")
    date = models.DateField()
    decision = models.TextField()
    recommendation = models.TextField(blank=True)
    items = models.ManyToManyField(DeliveryItem, blank=True, related_name="decisions")
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d %b %Y}"
