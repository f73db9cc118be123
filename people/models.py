"""Invitations to join an organisation. Members themselves are planning.Membership."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from planning.models import MembershipRole, Organisation, OrgUnit

# How long an invitation's link works.
INVITATION_LIFETIME = dt.timedelta(days=7)


class InvitationQuerySet(models.QuerySet):
    def pending(self, now):
        """Not accepted, not withdrawn, not expired at `now`."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An e-mailed, one-time link to join `organisation` with `role` (people.services)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("e-mail address", max_length=150)
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    org_units = models.ManyToManyField(OrgUnit, blank=True, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    # SHA-256 of the link's secret (people.tokens): the secret itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Withdrawn by an administrator, or replaced by a newer invitation to the same address.
    revoked_at = models.DateTimeField("withdrawn at", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["organisation", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.email} ({self.organisation})"

    def is_expired(self, now) -> bool:
        return now >= self.expires_at
