"""The notices' pages: a person's notification settings, the signed one-click link from an
e-mail, an administrator turning a member's reminders off or on, a plan's reminder settings
and publishing a quarter's board pack (planners). Who may: planning.permissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notices import links, services
from notices.forms import BoardPackForm, NoticeSettingsForm, PreferencesForm, RemindersForm
from notices.models import BoardPackPublication
from planning import idempotency, permissions
from planning.concurrency import StaleEditError
from planning.forms import add_errors
from planning.fy import Quarter
from planning.models import Membership
from planning.permissions import Action
from reporting.scorecard import scorecard_quarters

PREFERENCE_WORDS = {
    "digests": "the weekly digest",
    "board_packs": "notices that a board pack is published",
    "reminders": "reminders about the items you lead",
}


def _crumbs(*items):
    return [{"text": "Home", "href": reverse("planning:home")}, *items]


def _status(form, stale) -> int:
    if stale is not None:
        return 409
    return 400 if form.is_bound and form.errors else 200


@require_http_methods(["GET", "POST"])
def preferences(request):
    row = services.current_preference(request.user)
    form = PreferencesForm(
        request.POST or None,
        version=row.version,
        initial={"digests": row.digests, "board_packs": row.board_packs},
    )
    stale = None
    if request.method == "POST":
        if idempotency.already_used(idempotency.token_from(request.POST), user=request.user):
            return redirect("notices:preferences")
        if form.is_valid():
            try:
                services.preferences_change(
                    user=request.user, by=request.user, **form.service_kwargs()
                )
            except StaleEditError as error:
                stale = error
            except idempotency.DuplicateSubmission:
                return redirect("notices:preferences")
            else:
                messages.success(request, "Your notification settings have been saved.")
                return redirect("notices:preferences")
    return TemplateResponse(
        request,
        "notices/preferences.html",
        {"form": form, "preference": row, "stale": stale, "breadcrumbs": _crumbs()},
        status=_status(form, stale),
    )


@login_not_required
@csrf_exempt  # the signed token is the authority (RFC 8058 one-click posts carry no CSRF token)
@require_http_methods(["GET", "POST"])
def preference_link(request, token: str):
    try:
        user_id, preference = links.read_preference_token(token)
        user = get_user_model().objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, get_user_model().DoesNotExist):
        return TemplateResponse(request, "notices/link_refused.html", {}, status=400)
    context = {
        "preference": preference,
        "words": PREFERENCE_WORDS[preference],
        "person": user,
        "admins_only": preference == "reminders",
        "done": False,
    }
    if request.method == "POST" and preference != "reminders":
        services.preference_switch_off(user=user, preference=preference)
        context["done"] = True
    elif preference != "reminders":
        context["is_on"] = getattr(services.current_preference(user), preference)
    return TemplateResponse(request, "notices/link.html", context)


def _member_for_admin(request, user_id: int):
    """The person, if the requesting user administers an organisation they belong to: 404 for
    anybody outside the requester's organisations, 403 for a member who is not an admin."""
    memberships = list(
        Membership.objects.filter(user_id=user_id, user__is_active=True).select_related("user")
    )
    organisation_ids = [m.organisation_id for m in memberships]
    if not any(permissions.is_member(request.user, org) for org in organisation_ids):
        raise Http404("No such person.")
    if not any(
        permissions.has_permission(request.user, Action.MANAGE_MEMBERS, org)
        for org in organisation_ids
    ):
        raise PermissionDenied("Only an administrator can turn a person's reminders off or on.")
    return memberships[0].user


@require_http_methods(["GET", "POST"])
def member_reminders(request, user_id: int):
    person = _member_for_admin(request, user_id)
    row = services.current_preference(person)
    form = RemindersForm(
        request.POST or None, version=row.version, initial={"reminders": row.reminders}
    )
    stale = None
    if request.method == "POST":
        url = reverse("notices:member_reminders", args=[person.pk])
        if idempotency.already_used(idempotency.token_from(request.POST), user=request.user):
            return redirect(url)
        if form.is_valid():
            try:
                services.reminders_change(user=person, by=request.user, **form.service_kwargs())
            except StaleEditError as error:
                stale = error
            except idempotency.DuplicateSubmission:
                return redirect(url)
            else:
                state = "on" if form.cleaned_data["reminders"] else "off"
                messages.success(request, f"Reminders for {person} are {state}.")
                return redirect(url)
    return TemplateResponse(
        request,
        "notices/member_reminders.html",
        {"form": form, "person": person, "stale": stale, "breadcrumbs": _crumbs()},
        status=_status(form, stale),
    )


def _plan_crumbs(plan):
    return _crumbs({"text": str(plan), "href": plan.get_absolute_url()})


@require_http_methods(["GET", "POST"])
def plan_settings(request, slug: str):
    plan = permissions.plan_for(request.user, Action.EDIT_PLAN, slug)
    row = services.current_settings(plan)
    form = NoticeSettingsForm(
        request.POST or None,
        version=row.version,
        initial={
            "reminder_days": row.reminder_days,
            "weekly_day": row.weekly_day,
            "enabled": row.enabled,
        },
    )
    stale = None
    url = reverse("notices:plan_settings", args=[plan.slug])
    if request.method == "POST":
        if idempotency.already_used(idempotency.token_from(request.POST), user=request.user):
            return redirect(url)
        if form.is_valid():
            try:
                services.notice_settings_change(plan=plan, by=request.user, **form.service_kwargs())
            except StaleEditError as error:
                stale = error
            except idempotency.DuplicateSubmission:
                return redirect(url)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "The reminder settings have been saved.")
                return redirect(url)
    return TemplateResponse(
        request,
        "notices/plan_settings.html",
        {
            "plan": plan,
            "form": form,
            "stale": stale,
            "working_days": plan.reporting_working_days,
            "breadcrumbs": _plan_crumbs(plan),
        },
        status=_status(form, stale),
    )


@require_http_methods(["GET", "POST"])
def board_pack(request, slug: str):
    plan = permissions.plan_for(request.user, Action.EDIT_PLAN, slug)
    quarters = scorecard_quarters(plan)
    published = list(BoardPackPublication.objects.filter(plan=plan).select_related("published_by"))
    done = {p.period for p in published}
    open_quarters = [q for q in quarters if q not in done]
    form = BoardPackForm(request.POST or None, quarters=open_quarters)
    url = reverse("notices:board_pack", args=[plan.slug])
    if request.method == "POST":
        if idempotency.already_used(idempotency.token_from(request.POST), user=request.user):
            return redirect(url)
        if form.is_valid():
            quarter = Quarter.parse(form.cleaned_data["quarter"])
            try:
                services.board_pack_publish(
                    plan=plan,
                    quarter=quarter,
                    by=request.user,
                    allowed=open_quarters,
                    submission_token=form.cleaned_data["submission_token"],
                )
            except idempotency.DuplicateSubmission:
                return redirect(url)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"The board pack for {quarter} is published: board members will be told "
                    "by e-mail.",
                )
                return redirect(url)
    return TemplateResponse(
        request,
        "notices/board_pack.html",
        {
            "plan": plan,
            "form": form,
            "published": published,
            "breadcrumbs": _plan_crumbs(plan),
        },
        status=_status(form, None),
    )
