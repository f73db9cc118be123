"""A planner's pages for the plan's objectives and actions: add, change, move up or down,
delete. Thin: who may comes from planning.permissions (EDIT_PLAN: planners and
administrators; another organisation's item is 404), the writes from objectives.editing."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from objectives import editing
from objectives.forms_editing import ObjectiveCloseForm, ObjectiveDeleteForm, ObjectiveForm
from objectives.models import Objective
from planning import idempotency, lifecycle, permissions
from planning.concurrency import StaleEditError
from planning.forms import VersionForm, add_errors
from planning.permissions import Action


def _item(request, pk: int) -> Objective:
    """The item (404 outside the user's organisations) if the user may edit its plan (403)."""
    objective = get_object_or_404(
        Objective.objects.for_user(request.user).select_related("plan", "plan__organisation"),
        pk=pk,
    )
    permissions.require_plan(request.user, Action.EDIT_PLAN, objective.plan)
    return objective


def _crumbs(plan, objective=None) -> list[dict]:
    crumbs = [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": str(plan), "href": plan.get_absolute_url()},
    ]
    if objective is not None:
        crumbs.append({"text": objective.reference or "Item", "href": objective.get_absolute_url()})
    return crumbs


def _locked_message(plan) -> str:
    """Why the plan's content cannot be changed now (planning.lifecycle), or ""."""
    try:
        lifecycle.require_editable(plan)
    except ValidationError as error:
        return error.messages[0]
    return ""


def _form_page(request, plan, form, *, heading, objective=None, stale=None):
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "objectives/objective_form.html",
        {
            "plan": plan,
            "objective": objective,
            "form": form,
            "stale": stale,
            "locked": _locked_message(plan),
            "page_heading": heading,
            "breadcrumbs": _crumbs(plan, objective),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def objective_create(request, slug: str):
    plan = permissions.plan_for(request.user, Action.EDIT_PLAN, slug)
    if request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    ):
        return redirect(plan)
    form = ObjectiveForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            objective = editing.objective_create(
                plan=plan,
                by=request.user,
                data=form.service_data(),
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            return redirect(plan)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The item has been added to the plan.")
            return redirect(objective)
    return _form_page(request, plan, form, heading="Add an objective or action")


@require_http_methods(["GET", "POST"])
def objective_edit(request, pk: int):
    objective = _item(request, pk)
    plan = objective.plan
    saved = "The item has been saved."
    if request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    ):
        messages.success(request, saved)  # the same form again: answer as the first time
        return redirect(objective)
    # The form edits a copy: an invalid submission must not change the page's item.
    form = ObjectiveForm(request.POST or None, instance=copy.copy(objective), plan=plan)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            objective = editing.objective_update(
                objective=objective,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            messages.success(request, saved)
            return redirect(objective)
        except StaleEditError as error:
            stale = error
            current = Objective.objects.select_related("plan").get(pk=objective.pk)
            data = request.POST.copy()
            data["version"] = current.version  # saving again now means "mine still stands"
            form = ObjectiveForm(data, instance=copy.copy(current), plan=plan)
            form.is_valid()
            objective = current
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect(objective)
    return _form_page(
        request, plan, form, heading="Change this item", objective=objective, stale=stale
    )


@require_POST
def objective_move(request, pk: int):
    """Move up or down within its list, from a button: no JavaScript needed."""
    objective = _item(request, pk)
    form = VersionForm(request.POST)
    direction = request.POST.get("direction")
    if not form.is_valid() or direction not in ("up", "down"):
        messages.error(request, "The item was not moved: reload the page and try again.")
        return redirect(objective)
    try:
        moved = editing.objective_move(
            objective=objective,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            up=direction == "up",
        )
    except StaleEditError as error:
        messages.error(request, f"The item was not moved. {error}")
    except ValidationError as error:
        messages.error(request, f"The item was not moved. {error.messages[0]}")
    else:
        if moved:
            messages.success(request, f"The item has been moved {direction} its list.")
        else:
            place = "first" if direction == "up" else "last"
            messages.info(request, f"The item is already {place} in its list.")
    return redirect(objective)


@require_http_methods(["GET", "POST"])
def objective_delete(request, pk: int):
    objective = _item(request, pk)
    plan = objective.plan
    refusal = _locked_message(plan) or editing.delete_refusal(objective)
    form = ObjectiveDeleteForm(request.POST or None, version=objective.version)
    stale = None
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            editing.objective_delete(
                objective=objective,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEditError as error:
            stale = error
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"The item “{objective}” has been deleted.")
            return redirect(plan)
    if refusal and request.method == "POST":
        status = 400
    else:
        status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "objectives/objective_delete.html",
        {
            "plan": plan,
            "objective": objective,
            "form": None if refusal else form,
            "refusal": refusal,
            "stale": stale,
            "page_heading": "Delete this item",
            "breadcrumbs": _crumbs(plan, objective),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def objective_close(request, pk: int):
    """Close or cancel with a reason: a progress update by the planner (objectives.editing)."""
    objective = _item(request, pk)
    plan = objective.plan
    done = "The item has been closed. The reason is in its history."
    if request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    ):
        messages.success(request, done)
        return redirect(objective)
    form = ObjectiveCloseForm(request.POST or None, version=objective.version)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            editing.objective_close(
                objective=objective,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                submission_token=form.cleaned_data["submission_token"],
            )
        except idempotency.DuplicateSubmission:
            messages.success(request, done)
            return redirect(objective)
        except StaleEditError as error:
            stale = error
            objective = Objective.objects.select_related("plan").get(pk=objective.pk)
            data = request.POST.copy()
            data["version"] = objective.version
            form = ObjectiveCloseForm(data, version=objective.version)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(objective)
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "objectives/objective_close.html",
        {
            "plan": plan,
            "objective": objective,
            "form": form,
            "stale": stale,
            "page_heading": "Close or cancel this item",
            "breadcrumbs": _crumbs(plan, objective),
        },
        status=status,
    )
