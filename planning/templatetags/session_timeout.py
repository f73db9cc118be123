"""The timeout warning's figures for the page being rendered (components/timeout_warning.html)."""

from __future__ import annotations

from django import template
from django.conf import settings

from planning import sessions

register = template.Library()


@register.simple_tag(takes_context=True)
def session_timeout(context):
    request = context.get("request")
    # A page rendered outside the middleware (a test's RequestFactory) has no session to time.
    if request is None or not hasattr(request, "session") or not request.user.is_authenticated:
        return None
    left = sessions.seconds_left(request.session)
    return {
        "seconds_left": settings.SESSION_IDLE_TIMEOUT if left is None else max(left, 0),
        "timeout": settings.SESSION_IDLE_TIMEOUT,
        "warning": settings.SESSION_IDLE_WARNING,
        "warning_text": sessions.minutes_text(settings.SESSION_IDLE_WARNING),
    }
