"""An uploaded workbook waiting for its planner's confirmation (the import's preview).

Kept in the database, not the session: a workbook may be 5 MB, more than a session should
carry. Bounded: one per user and organisation (a new upload replaces the old), at most
files.MAX_BYTES each (the reader refuses larger files before anything is stored), and gone an
hour after upload (pending.expired; every upload deletes the expired ones).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from planning.models import Organisation, Plan

KEPT_FOR = dt.timedelta(hours=1)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PendingImportQuerySet(models.QuerySet):
    def expired(self, now: dt.datetime | None = None):
        return self.filter(created_at__lt=(now or timezone.now()) - KEPT_FOR)

    def live(self, now: dt.datetime | None = None):
        return self.filter(created_at__gte=(now or timezone.now()) - KEPT_FOR)


class PendingImport(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pending_imports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    name = models.CharField(max_length=200)
    content = models.BinaryField()
    # What the preview shows: [[what, how many], …] in the workbook's order; for a next
    # version, [[what, added, changed, removed], …].
    counts = models.JSONField(default=list)
    # The plan the workbook becomes the next version of (None: a new plan), and its version
    # counter when the workbook was checked: the confirmation refuses a plan changed since.
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="pending_imports"
    )
    plan_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_pending_import_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.organisation}"
