"""Throttling failed sign-ins (django-axes): per address across every user name, and per user
name across every address, each with its own limit. See docs/decisions/sessions.md."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler, with a separate, higher limit for an address.

    Many people share one address (a trust's network), so an address gets
    AXES_IP_FAILURE_LIMIT failures across all user names; one user name gets
    AXES_FAILURE_LIMIT across all addresses. Axes compares a single number with
    AXES_FAILURE_LIMIT, so the address's count is scaled to reach that number exactly when it
    reaches its own limit: floor(n * user_limit / ip_limit) >= user_limit  <=>  n >= ip_limit.
    """

    def get_failures(self, request, credentials=None) -> int:
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS, in order: address, user name.
        per_ip, per_username = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        user_limit, ip_limit = settings.AXES_FAILURE_LIMIT, settings.AXES_IP_FAILURE_LIMIT
        return max(per_username, per_ip * user_limit // ip_limit)


def client_ip(request) -> str | None:
    """The address failed sign-ins are counted against (django-axes).

    Behind our reverse proxy every request comes from the proxy, so the client is the last
    address in X-Forwarded-For: the one our proxy appended (anything before it came from the
    client and may be forged). Without the proxy switch the header is ignored.
    """
    if settings.WAYMARK_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")
