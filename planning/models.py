"""Organisations, their structure and people, and the plans they hold."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from planning import fy
from planning.choices import TaggedChoices


class User(AbstractUser):
    """A person who signs in. Kept as our own model so it can grow without a painful swap."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class OrganisationKind(models.TextChoices):
    TRUST = "trust", "NHS trust"
    PCT = "pct", "Primary care trust"
    SHA = "sha", "Strategic health authority"
    CCG = "ccg", "Clinical commissioning group"
    ICB = "icb", "Integrated care board"
    PARTNERSHIP = "partnership", "Partnership"
    COUNCIL = "council", "Council"
    OTHER = "other", "Other"


class OrganisationQuerySet(models.QuerySet):
    def with_plans(self):
        return self.prefetch_related(
            models.Prefetch("plans", queryset=Plan.objects.order_by("-start_year", "title"))
        )


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    host = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_organisations",
        help_text="The statutory body that hosts a non-statutory organisation.",
    )
    address = models.TextField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class RelationshipKind(models.TextChoices):
    PARTNER = "partner", "Partner"
    CLIENT = "client", "Other client"


class ClientRelationship(models.Model):
    """A partner or other client that an organisation provides services to."""

    provider = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="client_relationships"
    )
    client = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="provider_relationships"
    )
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["provider", "kind", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "client"], name="unique_client_relationship"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RelationshipKind.values), name="relationship_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(provider=models.F("client")),
                name="relationship_not_self",
                violation_error_message="An organisation cannot be its own partner or client.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} ({self.get_kind_display().lower()} of {self.provider})"


class PartnershipMember(models.Model):
    """A member organisation of a partnership (an organisation of kind partnership: an STP,
    ICS or shared-services partnership).

    Membership of a member organisation grants nothing in the partnership by itself: people
    act on a partnership's plans through a role they hold in the partnership (a Membership of
    the partnership organisation), which planning.permissions honours only while they also
    belong to one of its member organisations.
    """

    partnership = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="member_links"
    )
    member = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnership_links"
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "order", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "member"],
                name="unique_partnership_member",
                violation_error_message="This organisation is already a member.",
            ),
            models.CheckConstraint(
                condition=~Q(partnership=models.F("member")),
                name="partnership_member_not_self",
                violation_error_message="A partnership cannot be a member of itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} (member of {self.partnership})"


class OrgUnitKind(models.TextChoices):
    DIRECTORATE = "directorate", "Directorate"
    DEPARTMENT = "department", "Department"
    SERVICE = "service", "Service"
    TEAM = "team", "Team"


class OrgUnit(models.Model):
    """A directorate and the departments or services beneath it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="org_units"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=OrgUnitKind.choices)
    order = models.PositiveIntegerField(default=0)
    # Raised by every save made through the editing pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "order", "name"]
        verbose_name = "organisational unit"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_org_unit_name"),
            models.CheckConstraint(
                condition=Q(kind__in=OrgUnitKind.values), name="org_unit_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A post as plans write it: a title, often with an abbreviation ("AO", "Director OD")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="roles")
    abbreviation = models.CharField(max_length=30, blank=True)
    title = models.CharField(max_length=150)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="unique_role_title"),
            models.UniqueConstraint(
                fields=["organisation", "abbreviation"],
                condition=~Q(abbreviation=""),
                name="unique_role_abbreviation",
                violation_error_message=(
                    "Another role in this organisation already has this abbreviation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name_for(self.title, self.abbreviation)

    @staticmethod
    def name_for(title: str, abbreviation: str) -> str:
        """How a role reads, from its columns alone (a plan's content read as values)."""
        if abbreviation and abbreviation != title:
            return f"{title} ({abbreviation})"
        return title


class Person(models.Model):
    """Somebody named in a plan, optionally holding roles and signing in as a user."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    roles = models.ManyToManyField(Role, blank=True, related_name="holders")
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_person_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}" if self.job_title else self.name


class MembershipRole(models.TextChoices):
    VIEWER = "viewer", "Viewer (board member)"
    CONTRIBUTOR = "contributor", "Contributor (manager)"
    PLANNER = "planner", "Planner (corporate business manager)"
    ADMIN = "admin", "Administrator"


class Membership(models.Model):
    """A user's access to one organisation's records, with one role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    org_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="memberships", help_text="Units whose items they update."
    )
    # A deactivated membership is kept (its history too) but grants nothing: permissions read
    # only active ones, and a person with no active membership cannot sign in (people.services).
    is_active = models.BooleanField("active", default=True, db_default=True)
    # Raised by every change made on the people pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1, db_default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class PlanKind(models.TextChoices):
    BUSINESS_PLAN = "business_plan", "Business plan"
    OD_PLAN = "od_plan", "OD plan"
    OD_STRATEGY = "od_strategy", "OD strategy and action plan"
    DELIVERY_PLAN = "delivery_plan", "Delivery plan"


class PlanStatus(TaggedChoices, models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    RATIFIED = "ratified", "Ratified"
    SUPERSEDED = "superseded", "Superseded"

    @property
    def colour(self) -> str:
        """The NHS.UK tag modifier that shows this status."""
        return _PLAN_STATUS_COLOURS[self]


_PLAN_STATUS_COLOURS = {
    PlanStatus.DRAFT: "grey",
    PlanStatus.SUBMITTED: "yellow",
    PlanStatus.APPROVED: "blue",
    PlanStatus.RATIFIED: "green",
    PlanStatus.SUPERSEDED: "white",
}


class PlanQuerySet(models.QuerySet):
    def in_organisations(self, organisations):
        """Plans of these organisations: pass planning.permissions.organisations_where(user, …),
        which sits above this module and so cannot be called from it."""
        return self.filter(organisation__in=organisations)

    def with_structure(self):
        """Everything the plan page shows beside the objectives themselves."""
        return self.select_related("organisation").prefetch_related(
            "vision_bullets", "values", "strategic_objectives", "programmes", "sections"
        )


class Plan(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    start_year = models.PositiveSmallIntegerField(
        help_text="Start year of the first financial year covered, e.g. 2006 for 2006/07."
    )
    end_year = models.PositiveSmallIntegerField(
        help_text="Start year of the last financial year covered: equal to the start for one year."
    )
    version_label = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Document-control block. Approval and ratification are recorded by planning.lifecycle.
    # db_default on the fields added since: a migration test that steps another app back runs
    # with this table already migrated, and inserts without them.
    approved_by = models.CharField(max_length=150, blank=True, default="", db_default="")
    date_approved = models.DateField(null=True, blank=True)
    ratified_by = models.CharField(max_length=150, blank=True)
    date_ratified = models.DateField(null=True, blank=True)
    board_minute_reference = models.CharField(max_length=100, blank=True, default="", db_default="")
    # Why the plan was last sent back to draft (its history keeps every earlier reason).
    sent_back_reason = models.TextField(blank=True, default="", db_default="")
    director_sponsor = models.CharField(max_length=150, blank=True)
    author = models.CharField(max_length=150, blank=True)
    date_issued = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    target_audience = models.CharField(max_length=200, blank=True)
    # Aim, vision and purpose.
    aim = models.TextField(blank=True)
    vision = models.TextField(blank=True)
    core_purpose = models.TextField(blank=True)
    # Raised by every lifecycle step and details edit (planning.concurrency.lock_at_version).
    version = models.PositiveIntegerField(default=1, db_default=1)
    # The reporting calendar (planning.reporting_window): a quarter locks this many working
    # days after it ends, unless a planner reopens it (QuarterReopening).
    reporting_working_days = models.PositiveSmallIntegerField(
        default=15,
        db_default=15,  # rows written by older code (or data migrations) get the default too
        help_text="Working days after a quarter ends before its progress updates and KPI "
        "values are locked.",
    )
    # Next year's plan started from this one (planning.rollforward). A plan is rolled forward
    # once: the unique constraint makes a second run find the first plan, never make another.
    rolled_forward_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rolled_forward_to",
        help_text="The plan this one was rolled forward from.",
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-start_year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PlanKind.values), name="plan_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="plan_period_ordered",
                violation_error_message="The plan cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(reporting_working_days__lte=60),
                name="plan_reporting_working_days_sane",
                violation_error_message="Enter at most 60 working days.",
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=1990, start_year__lte=2100),
                name="plan_year_sane",
                violation_error_message="Enter a start year between 1990 and 2100.",
            ),
            models.UniqueConstraint(
                fields=["rolled_forward_from"],
                name="plan_rolled_forward_once",
                violation_error_message="This plan has already been rolled forward.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:plan_detail", kwargs={"slug": self.slug})

    @property
    def period_label(self) -> str:
        return fy.period_label(self.start_year, self.end_year)

    @property
    def is_multi_year(self) -> bool:
        return self.end_year > self.start_year

    @property
    def start_date(self):
        return fy.fy_start(self.start_year)

    @property
    def end_date(self):
        return fy.fy_end(self.end_year)

    @property
    def financial_years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_draft_mark_needed(self) -> bool:
        """The PDF's DRAFT mark: on every plan the board has not ratified (draft, submitted,
        approved). A superseded plan was ratified: its cover says superseded instead."""
        return self.status not in (PlanStatus.RATIFIED, PlanStatus.SUPERSEDED)


class SectionKind(models.TextChoices):
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    INTRODUCTION = "introduction", "Introduction"
    BACKGROUND = "background", "Background and context"
    AIM_AND_VISION = "aim_and_vision", "Aim and vision"
    STRATEGIC_OBJECTIVES = "strategic_objectives", "Strategic objectives"
    VALUES = "values", "Values"
    STRATEGIC_ANALYSIS = "strategic_analysis", "Strategic analysis"
    IMPLEMENTATION = "implementation", "Implementation"
    FINANCE_PLAN = "finance_plan", "Finance plan"
    PERFORMANCE_MANAGEMENT = "performance_management", "Performance management"
    CONCLUSION = "conclusion", "Conclusion"
    FUTURE_CHANGES = "future_changes", "Future changes"
    CONTACT = "contact", "Contact"
    OTHER = "other", "Other"


class PlanSection(models.Model):
    """An ordered, editable narrative section of the plan document."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=30, choices=SectionKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(
        blank=True,
        help_text="Plain text (blank lines separate paragraphs) or the small set of HTML that "
        "planning.narrative keeps.",
    )
    order = models.PositiveIntegerField(default=0)
    # Raised by every save made through the editing pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="unique_section_title"),
            models.CheckConstraint(
                condition=Q(kind__in=SectionKind.values), name="section_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class OrderedPlanText(models.Model):
    """A numbered or ordered line of text belonging to a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    # Raised by every save made through the editing pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.text


class VisionBullet(OrderedPlanText):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="vision_bullets")
    history = HistoricalRecords()

    class Meta(OrderedPlanText.Meta):
        pass


class Value(OrderedPlanText):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="values")
    history = HistoricalRecords()

    class Meta(OrderedPlanText.Meta):
        pass


class StrategicPriority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="strategic_priorities")
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    # Raised by every save made through the editing pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "strategic priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_priority_number"),
        ]

    def __str__(self) -> str:
        return f"SP{self.number}: {self.title}"


class StrategicObjective(models.Model):
    """A short/medium-term objective of the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="strategic_objectives")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    # Raised by every save made through the editing pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "short/medium-term objective"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_strategic_objective"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Programme(models.Model):
    """A programme of work or OD domain: number, title, aim and lead."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="programmes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    aim = models.TextField(blank=True)
    lead_text = models.CharField("lead (as written)", max_length=150, blank=True)
    lead_role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="programmes_led"
    )
    # Raised by every save made through the editing pages (planning.concurrency).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "programme or domain"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_programme_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class SubmissionToken(models.Model):
    """A form's one-time token, stored when the form's save succeeds (planning.idempotency).

    The unique token makes a second post of the same form (a double click, a resend) fail to
    save twice: the database, not a read-then-write, decides which post was first."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token


class QuarterReopening(models.Model):
    """A planner reopened a locked quarter of a plan (planning.reporting_window): while
    ``relocked_at`` is empty, its progress updates and KPI values may be entered and corrected
    again. Locking it again fills ``relocked_at``/``relocked_by``; the row stays, so the
    calendar keeps every reopening with who, when and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="quarter_reopenings")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    reason = models.TextField()
    reopened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reopened_at = models.DateTimeField()
    relocked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    relocked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-reopened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="reopening_quarter_valid"
            ),
            # At most one open reopening per quarter: two planners reopening at once make one.
            models.UniqueConstraint(
                fields=["plan", "financial_year", "quarter"],
                condition=Q(relocked_at__isnull=True),
                name="one_open_reopening_per_quarter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} reopened"

    @property
    def period(self) -> fy.Quarter:
        return fy.Quarter(self.financial_year, self.quarter)

    @property
    def is_open(self) -> bool:
        return self.relocked_at is None


class VersionStatus(TaggedChoices, models.TextChoices):
    RATIFIED = "ratified", "Ratified"
    SUPERSEDED = "superseded", "Superseded"

    @property
    def colour(self) -> str:
        return "green" if self is VersionStatus.RATIFIED else "white"


class PlanVersionQuerySet(models.QuerySet):
    def listed(self):
        """The versions as a history lists them: without their content, oldest first."""
        return self.defer("content").select_related("created_by").order_by("created_at", "pk")


class PlanVersion(models.Model):
    """A frozen snapshot of a plan's content (planning.plan_content) with its document-control
    facts as they stood when it was frozen (planning.versions). The plan keeps its records: every
    version of it shares their progress history and KPI measurements, which are delivery, not
    content, and are not in the snapshot."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(max_length=60)
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.RATIFIED
    )
    approved_by = models.CharField(max_length=150, blank=True)
    date_approved = models.DateField(null=True, blank=True)
    ratified_by = models.CharField(max_length=150, blank=True)
    date_ratified = models.DateField(null=True, blank=True)
    board_minute_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # planning.plan_content.snapshot(plan): never changed once frozen.
    content = models.JSONField(default=dict)

    objects = PlanVersionQuerySet.as_manager()
    # The content never changes after freezing: the history records the status (superseded).
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "label"],
                name="unique_plan_version_label",
                violation_error_message="This plan already has a version with this label.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values), name="plan_version_status_valid"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="plan_version_label_not_blank"),
        ]

    def __str__(self) -> str:
        return f"Version {self.label}"


class ContentVersion(models.Model):
    """One number raised by the database itself, in the writing transaction, whenever any plan
    content changes (planning.content_version installs the triggers). Pages cached under it
    (planning.page_cache) can never be served stale, whatever wrote the change."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="content_version_single_row"),
        ]

    def __str__(self) -> str:
        return f"Content version {self.value}"
