"""Correcting and withdrawing progress updates, and the item's milestones.

Thin, as objectives.views: who may act comes from planning.permissions (the one rule for
updating an item, and require_correction for somebody's update), the writes from
objectives.services. Every form carries a one-time token (planning.idempotency): a post
repeated after it was saved is answered as the first one was.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from objectives import services
from objectives.forms_records import MilestoneForm, UpdateCorrectionForm
from objectives.models import Milestone, Objective, ProgressUpdate
from planning import idempotency, lifecycle, permissions
from planning.concurrency import StaleEditError
from planning.forms import VersionForm, WithdrawForm, add_errors

CORRECTED = "The update has been corrected. The original stays in the history, marked corrected."
WITHDRAWN = "The update has been withdrawn. It stays in the history, marked withdrawn."


def _crumbs(objective: Objective) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": str(objective.plan), "href": objective.plan.get_absolute_url()},
        {"text": objective.reference or "Item", "href": objective.get_absolute_url()},
    ]


def _done(request, objective: Objective, message: str):
    """The answer to a saved form, and to the same form posted again."""
    messages.success(request, message)
    return redirect(objective)


# --- corrections and withdrawals -------------------------------------------------------------


def _update(request, pk: int) -> ProgressUpdate:
    """The update (404 outside the user's organisations) if the user may correct it (403)."""
    update = get_object_or_404(
        ProgressUpdate.all_objects.filter(
            objective__in=Objective.objects.for_user(request.user)
        ).select_related(
            "objective",
            "objective__plan",
            "objective__plan__organisation",
            "created_by",
            "state_changed_by",
        ),
        pk=pk,
    )
    objective = update.objective
    permissions.require_correction(
        request.user,
        organisation_id=objective.plan.organisation_id,
        author_id=update.created_by_id,
        objective=objective,
    )
    return update


def _record_page(request, template, *, update, form, stale=None, refusal=None, heading):
    objective = update.objective
    if refusal and request.method == "POST":
        status = 400
    else:
        status = 409 if stale else (400 if form is not None and form.errors else 200)
    return TemplateResponse(
        request,
        template,
        {
            "objective": objective,
            "plan": objective.plan,
            "update": update,
            "form": None if refusal else form,
            "stale": stale,
            "refusal": refusal,
            "page_heading": heading,
            "breadcrumbs": _crumbs(objective),
        },
        status=status,
    )


def _refresh(record: ProgressUpdate, form_class, data, **kwargs):
    """After a stale refusal: the form as posted, at the item's version now."""
    current = Objective.objects.get(pk=record.objective_id)
    data = data.copy()
    data["version"] = current.version  # posting again now means "mine still stands"
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


@require_http_methods(["GET", "POST"])
def update_correct(request, pk: int):
    update = _update(request, pk)
    objective = update.objective
    token = idempotency.token_from(request.POST)
    if request.method == "POST" and idempotency.already_used(token, user=request.user):
        return _done(request, objective, CORRECTED)
    refusal = services.update_refusal(update, timezone.localdate())
    form = UpdateCorrectionForm(request.POST or None, update=update)
    stale = None
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.progress_update_correct(
                update=update, by=request.user, **form.service_kwargs()
            )
        except idempotency.DuplicateSubmission:
            return _done(request, objective, CORRECTED)
        except StaleEditError as error:
            stale = error
            form = _refresh(update, UpdateCorrectionForm, request.POST, update=update)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _done(request, objective, CORRECTED)
    return _record_page(
        request,
        "objectives/update_correct.html",
        update=update,
        form=form,
        stale=stale,
        refusal=refusal,
        heading=f"Correct the update for {update.period}",
    )


@require_http_methods(["GET", "POST"])
def update_withdraw(request, pk: int):
    update = _update(request, pk)
    objective = update.objective
    token = idempotency.token_from(request.POST)
    if request.method == "POST" and idempotency.already_used(token, user=request.user):
        return _done(request, objective, WITHDRAWN)
    refusal = services.update_refusal(update, timezone.localdate())
    form = WithdrawForm(request.POST or None, version=objective.version)
    stale = None
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.progress_update_withdraw(
                update=update,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                submission_token=form.cleaned_data["submission_token"],
            )
        except idempotency.DuplicateSubmission:
            return _done(request, objective, WITHDRAWN)
        except StaleEditError as error:
            stale = error
            form = _refresh(update, WithdrawForm, request.POST, version=0)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _done(request, objective, WITHDRAWN)
    return _record_page(
        request,
        "objectives/update_withdraw.html",
        update=update,
        form=form,
        stale=stale,
        refusal=refusal,
        heading=f"Withdraw the update for {update.period}",
    )


# --- milestones ------------------------------------------------------------------------------


def _objective_to_update(request, pk: int) -> Objective:
    objective = get_object_or_404(
        Objective.objects.for_user(request.user)
        .select_related("plan", "plan__organisation")
        .prefetch_related("lead_roles", "sro_roles"),
        pk=pk,
    )
    permissions.require_objective_update(request.user, objective)
    return objective


def _milestone(request, pk: int) -> Milestone:
    milestone = get_object_or_404(
        Milestone.objects.filter(objective__in=Objective.objects.for_user(request.user))
        .select_related("objective", "objective__plan", "objective__plan__organisation")
        .prefetch_related("objective__lead_roles", "objective__sro_roles"),
        pk=pk,
    )
    permissions.require_objective_update(request.user, milestone.objective)
    return milestone


def _milestone_page(request, objective, form, *, heading, milestone=None, stale=None):
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "objectives/milestone_form.html",
        {
            "objective": objective,
            "plan": objective.plan,
            "milestone": milestone,
            "form": form,
            "stale": stale,
            # Milestones are the plan's content: locked with a ratified plan (the service
            # refuses; the page says so before anybody types).
            "locked": not lifecycle.is_editable(objective.plan),
            "page_heading": heading,
            "breadcrumbs": _crumbs(objective),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def milestone_create(request, pk: int):
    objective = _objective_to_update(request, pk)
    message = "The milestone has been added."
    if request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    ):
        return _done(request, objective, message)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_create(objective=objective, by=request.user, **form.service_kwargs())
        except idempotency.DuplicateSubmission:
            return _done(request, objective, message)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _done(request, objective, message)
    return _milestone_page(request, objective, form, heading="Add a milestone")


@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk: int):
    milestone = _milestone(request, pk)
    objective = milestone.objective
    message = "The milestone has been saved."
    if request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    ):
        return _done(request, objective, message)
    form = MilestoneForm(request.POST or None, milestone=milestone)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(
                milestone=milestone,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except idempotency.DuplicateSubmission:
            return _done(request, objective, message)
        except StaleEditError as error:
            stale = error
            milestone = Milestone.objects.get(pk=milestone.pk)
            data = request.POST.copy()
            data["version"] = milestone.version
            form = MilestoneForm(data, milestone=milestone)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _done(request, objective, message)
    return _milestone_page(
        request, objective, form, heading="Change a milestone", milestone=milestone, stale=stale
    )


def _set_completed(request, pk: int, *, completed: bool):
    milestone = _milestone(request, pk)
    objective = milestone.objective
    message = "The milestone is complete." if completed else "The milestone has been reopened."
    if idempotency.already_used(idempotency.token_from(request.POST), user=request.user):
        return _done(request, objective, message)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The milestone was not changed: reload the page and try again.")
        return redirect(objective)
    try:
        services.milestone_set_completed(
            milestone=milestone,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            completed=completed,
            submission_token=form.cleaned_data["submission_token"],
        )
    except idempotency.DuplicateSubmission:
        return _done(request, objective, message)
    except (StaleEditError, ValidationError) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        messages.error(request, f"The milestone was not changed. {text}")
        return redirect(objective)
    return _done(request, objective, message)


@require_POST
def milestone_complete(request, pk: int):
    return _set_completed(request, pk, completed=True)


@require_POST
def milestone_reopen(request, pk: int):
    return _set_completed(request, pk, completed=False)
