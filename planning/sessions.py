"""Sessions: the idle timeout and "Keep me signed in".

Plain functions over a session and a clock; planning.middleware enforces them on every request
and planning.session_views offers them to the timeout warning. See docs/decisions/sessions.md.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

# The session key we own: the last activity, as a Unix time in whole seconds.
LAST_ACTIVITY = "waymark_last_activity"

# Recording activity writes the session (a database UPDATE); once a minute is enough, so a
# burst of requests costs one write. The idle clock therefore starts up to this much early.
ACTIVITY_RESOLUTION = 60


def now() -> int:
    return int(time.time())


def seconds_left(session, at: int | None = None) -> int | None:
    """Seconds until the session ends for idleness; None if it has no recorded activity."""
    last = session.get(LAST_ACTIVITY)
    if last is None:
        return None
    return int(last) + settings.SESSION_IDLE_TIMEOUT - (now() if at is None else at)


def is_idle(session, at: int | None = None) -> bool:
    left = seconds_left(session, at)
    return left is not None and left <= 0


def record_activity(session, *, force: bool = False, at: int | None = None) -> None:
    """Restart the idle clock (at most once per ACTIVITY_RESOLUTION unless forced)."""
    at = now() if at is None else at
    last = session.get(LAST_ACTIVITY)
    if force or last is None or at - int(last) >= ACTIVITY_RESOLUTION:
        session[LAST_ACTIVITY] = at


def on_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        record_activity(request.session, force=True)


def keep_signed_in(session, keep: bool) -> None:
    """Browser-session cookie unless kept; a kept session ends SESSION_REMEMBER_AGE after
    sign-in (a fixed date, not sliding). The idle timeout applies either way."""
    if keep:
        session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_REMEMBER_AGE))
    else:
        session.set_expiry(0)


def minutes_text(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
