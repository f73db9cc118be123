"""Reminders and notices sent by e-mail: each plan's settings, each person's preferences, the
board packs published, and every notice queued or sent (the sent-once record)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planning.fy import Quarter
from planning.models import Plan


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "Reminder before the reporting deadline"
    OVERDUE = "overdue", "Updates overdue after the deadline"
    PAST_DUE = "past_due", "Items past their due date (weekly)"
    DIGEST = "digest", "Planners' weekly digest"
    BOARD_PACK = "board_pack", "Board pack published"

    @property
    def preference(self) -> str:
        """The NoticePreference field that turns this kind off (reminders: administrators)."""
        return _PREFERENCE[self]


_PREFERENCE = {
    NoticeKind.REMINDER: "reminders",
    NoticeKind.OVERDUE: "reminders",
    NoticeKind.PAST_DUE: "reminders",
    NoticeKind.DIGEST: "digests",
    NoticeKind.BOARD_PACK: "board_packs",
}

DEFAULT_REMINDER_DAYS = "10, 3"

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
]


class NoticeSettings(models.Model):
    """A plan's reminder settings (planners edit them). A plan without a row uses the defaults."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="notice_settings")
    reminder_days = models.CharField(
        "reminders, in working days before the deadline",
        max_length=40,
        default=DEFAULT_REMINDER_DAYS,
        help_text="For example “10, 3”: a reminder 10 working days and another 3 working days "
        "before each quarter's reporting deadline.",
    )
    weekly_day = models.PositiveSmallIntegerField(
        "day of the week for weekly notices and the digest",
        choices=WEEKDAYS,
        default=0,
        validators=[MaxValueValidator(4)],
    )
    enabled = models.BooleanField(
        "send reminders and notices for this plan",
        default=True,
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "notice settings"
        verbose_name_plural = "notice settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_day__lte=4), name="notice_settings_weekday_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder settings for {self.plan}"


class NoticePreference(models.Model):
    """What one person receives. Digests and board-pack notices are theirs to turn off; the
    reminders about their own items only an administrator may turn off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    digests = models.BooleanField("weekly digest (planners)", default=True)
    board_packs = models.BooleanField("board pack published (board members)", default=True)
    reminders = models.BooleanField("reminders about their own items", default=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Notice preferences of {self.user}"


class BoardPackPublication(models.Model):
    """A planner published a quarter's board pack: board members are told (once)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="board_packs_published")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "financial_year", "quarter"], name="one_board_pack_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="board_pack_quarter_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Board pack for {self.period} published"

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)


class SentState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RETRYING = "retrying", "Waiting to retry"
    FAILED = "failed", "Failed (tried again on the next run)"
    SENT = "sent", "Sent"


class SentNotice(models.Model):
    """One notice to one person, for one plan, kind and period ("2026-Q2:10", "2026-W48").

    The unique constraint is the sent-once rule: a second pass (or two at once) cannot queue the
    same notice again. The message is stored as composed, so a retry sends the same words.
    `sent_at` is filled only when the mail server accepted the message."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    period = models.CharField(max_length=20)
    state = models.CharField(max_length=10, choices=SentState.choices, default=SentState.QUEUED)
    batch = models.CharField(max_length=40, db_index=True)
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    unsubscribe_url = models.URLField(max_length=500)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan", "kind", "period"], name="notice_sent_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="notice_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=SentState.values), name="notice_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=SentState.SENT, sent_at__isnull=False)
                | (~Q(state=SentState.SENT) & Q(sent_at__isnull=True)),
                name="notice_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} to {self.to_email}"
