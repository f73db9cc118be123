"""Sign-in with "Keep me signed in", and the two small endpoints the timeout warning calls."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from planning import sessions
from planning.landing import LandsByRole
from planning.middleware import passive
from planning.signin import SignInForm as CheckedSignInForm


class SignInForm(CheckedSignInForm):
    """The checked sign-in form (planning.signin) with "Keep me signed in"."""

    keep_signed_in = forms.BooleanField(
        label="Keep me signed in",
        required=False,
        help_text=(
            "Only on a device nobody else uses. You stay signed in when you close the "
            "browser, but are still signed out after a period without activity."
        ),
    )


class SignInView(LandsByRole, auth_views.LoginView):
    """Django's sign-in with "Keep me signed in", landing by role (planning.landing)."""

    form_class = SignInForm

    def form_valid(self, form):
        response = super().form_valid(form)  # signs in: a new session
        sessions.keep_signed_in(self.request.session, form.cleaned_data["keep_signed_in"])
        return response


def _state(request):
    # login_not_required: an ended session gets a plain 401 the script understands, not a
    # redirect to the sign-in page that fetch() would follow.
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "seconds_left": sessions.seconds_left(request.session)})


@login_not_required
@passive
@require_GET
def session_status(request):
    """How long the session has left, without extending it (another tab may have)."""
    return _state(request)


@login_not_required
@require_POST
def session_keep_alive(request):
    """'Stay signed in': restart the idle clock now."""
    if request.user.is_authenticated:
        sessions.record_activity(request.session, force=True)
    return _state(request)
