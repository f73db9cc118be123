"""Project-wide response and session rules that no single view should have to remember."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

from planning import sessions


class NoStoreMiddleware:
    """Nothing Django answers is stored by a browser or a proxy.

    Every page, fragment and download (FileResponse and streamed exports included) comes from
    the database and is someone's organisation's data, so it gets `Cache-Control: no-store,
    private` (Django's never-cache set, which also says no-cache, must-revalidate, max-age=0).
    The few public pages (sign-in, password reset, health check) get it too: caching them buys
    nothing. Static files are answered by whitenoise before this runs and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


def passive(view):
    """Mark a view whose requests do not count as activity (the timeout warning's status
    check: polling it must not keep an unattended session alive)."""
    view.session_passive = True
    return view


class IdleTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT seconds without a request.

    The check runs before any view, so the server enforces the timeout whatever the browser
    does; the warning dialog (static/js/timeout.js) only tells the person it is coming. An
    ended session goes on as anonymous, so LoginRequiredMiddleware sends the person to sign
    in, where the message says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and sessions.is_idle(request.session):
            logout(request)
            messages.info(
                request,
                "You were signed out because Waymark was not used for "
                f"{sessions.minutes_text(settings.SESSION_IDLE_TIMEOUT)}. "
                "Sign in again to carry on.",
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Recorded before the view runs, so the page it renders states the full time left.
        if request.user.is_authenticated and not getattr(view_func, "session_passive", False):
            sessions.record_activity(request.session)
