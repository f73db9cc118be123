"""A plan's lifecycle steps (submit, approve, ratify, send back) and its details page.

Access comes from planning.permissions (`require_step`: 404 for an outsider, 403 saying who may
for a member); the rules from planning.lifecycle and planning.plan_details. Every page is a form
with the NHS.UK error summary; a refused step saves nothing and says why."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from planning import idempotency, lifecycle, permissions, rollforward, versions
from planning.concurrency import StaleEditError
from planning.forms import add_errors
from planning.forms_lifecycle import STEP_FORMS, PlanDetailsForm, RollForwardForm
from planning.models import Plan
from planning.permissions import Action, PlanStep
from planning.plan_details import approval_rows, plan_details_update

STEP_PAGES: dict[PlanStep, dict[str, str]] = {
    PlanStep.SUBMIT: {
        "heading": "Submit the plan for approval",
        "button": "Submit for approval",
        "done": "The plan has been submitted for approval.",
        "lead": "The executive team's approval is recorded by an administrator. You can still "
        "change the plan while it waits; an administrator can send it back to draft.",
    },
    PlanStep.APPROVE: {
        "heading": "Record the plan's approval",
        "button": "Record approval",
        "done": "The plan's approval has been recorded.",
        "lead": "Record who approved the plan and when. The board ratifies it next.",
    },
    PlanStep.RATIFY: {
        "heading": "Record the board's ratification",
        "button": "Record ratification",
        "done": "The plan's ratification has been recorded. Its content is now locked.",
        "lead": "Once ratified, the plan's content is locked: it changes only through a "
        "refresh (a new draft version). Progress updates and measurements carry on.",
    },
    PlanStep.SEND_BACK: {
        "heading": "Send the plan back to draft",
        "button": "Send back to draft",
        "done": "The plan has been sent back to draft.",
        "lead": "Say what needs to change. A recorded approval no longer stands once the plan is "
        "sent back.",
        "variant": "warning",
    },
    PlanStep.REFRESH: {
        "heading": "Start a refresh of the plan",
        "button": "Start the refresh",
        "done": "The refresh has started: the plan is a draft of its next version, which you "
        "can now change.",
        "lead": "The ratified version is kept as it stands, with its approval and ratification, "
        "and can be compared with the new one. The new version starts as a draft with the same "
        "content; NEW marks are cleared, and items added from now on are marked NEW. Progress "
        "updates and KPI measurements carry on through every version.",
    },
}

SERVICES = {
    PlanStep.SUBMIT: lifecycle.submit,
    PlanStep.APPROVE: lifecycle.approve,
    PlanStep.RATIFY: lifecycle.ratify,
    PlanStep.SEND_BACK: lifecycle.send_back,
    PlanStep.REFRESH: lifecycle.start_refresh,
}


def _plan(slug: str) -> Plan:
    return get_object_or_404(Plan.objects.select_related("organisation"), slug=slug)


def _crumbs(plan: Plan) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": f"{plan.title} {plan.period_label}", "href": plan.get_absolute_url()},
    ]


@require_http_methods(["GET", "POST"])
def plan_step(request, slug: str, step: str):
    try:
        step = PlanStep(step)
    except ValueError:
        raise Http404("No such step.") from None
    if step not in STEP_FORMS:
        raise Http404("No such step.")
    plan = _plan(slug)
    permissions.require_step(request.user, step, plan)
    page = STEP_PAGES[step]
    if request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    ):
        messages.success(request, page["done"])
        return redirect(plan)
    form = STEP_FORMS[step](request.POST or None, plan=plan)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            SERVICES[step](
                plan=plan,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except idempotency.DuplicateSubmission:
            pass
        except StaleEditError as error:
            stale = str(error)
            plan = _plan(slug)
            data = request.POST.copy()
            data["version"] = plan.version
            form = STEP_FORMS[step](data, plan=plan)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        if not stale and not form.errors:
            messages.success(request, page["done"])
            return redirect(plan)
    # From the wrong status the page says so at once, and offers no button.
    wrong_state = plan.status not in lifecycle.STEPS[step].sources
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "planning/plan_step.html",
        {
            "plan": plan,
            "form": form,
            "step": step,
            "page": page,
            "stale": stale,
            "wrong_state": wrong_state,
            "page_heading": page["heading"],
            "breadcrumbs": _crumbs(plan),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def plan_details(request, slug: str):
    plan = permissions.plan_for(request.user, Action.EDIT_PLAN, slug)
    done = "The plan's details have been saved."
    if request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    ):
        messages.success(request, done)
        return redirect(plan)
    # The form edits a copy: an invalid submission must not retitle the page's plan.
    form = PlanDetailsForm(request.POST or None, instance=copy.copy(plan))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            plan_details_update(
                plan=plan,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
                submission_token=form.cleaned_data.get("submission_token") or "",
            )
        except idempotency.DuplicateSubmission:
            pass
        except StaleEditError as error:
            stale = str(error)
            plan = _plan(slug)
            data = request.POST.copy()
            data["version"] = plan.version  # saving again now means "mine still stands"
            form = PlanDetailsForm(data, instance=copy.copy(plan))
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        if not stale and not form.errors:
            messages.success(request, done)
            return redirect(plan)
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "planning/plan_details.html",
        {
            "plan": plan,
            "form": form,
            "stale": stale,
            "locked": not lifecycle.is_editable(plan),
            "approval_rows": approval_rows(plan),
            "version_rows": versions.version_rows(plan, versions.history(plan)),
            "page_heading": "Plan details and document control",
            "breadcrumbs": _crumbs(plan),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def roll_forward(request, slug: str):
    """Preview what rolling the plan forward carries and leaves behind; confirming makes the
    new draft plan (planning.rollforward) and opens it."""
    plan = permissions.plan_for(request.user, Action.ROLL_FORWARD, slug)
    if request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    ):
        done = rollforward.existing_roll_forward(plan)
        if done is not None:
            return redirect(done)
    form = RollForwardForm(request.POST or None, plan=plan)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = rollforward.roll_forward(
                plan=plan,
                first_year=form.cleaned_data["first_year"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
                submission_token=form.cleaned_data.get("submission_token") or "",
            )
        except idempotency.DuplicateSubmission:
            outcome = None
        except StaleEditError as error:
            stale = str(error)
            plan = _plan(slug)
            data = request.POST.copy()
            data["version"] = plan.version
            form = RollForwardForm(data, plan=plan)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            if outcome.created:
                messages.success(
                    request,
                    f"{outcome.plan} has been started from {plan.period_label}'s plan, as a "
                    "draft. Check and change it, then submit it for approval.",
                )
            else:
                messages.info(
                    request,
                    f"This plan had already been rolled forward to {outcome.plan}: nothing "
                    "was changed.",
                )
            return redirect(outcome.plan)
        if not stale and not form.errors:  # a repeated post: the first one's plan
            done = rollforward.existing_roll_forward(plan)
            if done is not None:
                return redirect(done)
    status = 409 if stale else (400 if form.errors else 200)
    groups = rollforward.preview(plan)
    return TemplateResponse(
        request,
        "planning/roll_forward.html",
        {
            "plan": plan,
            "form": form,
            "stale": stale,
            "groups": groups,
            "done": rollforward.existing_roll_forward(plan),
            "page_heading": "Roll forward to next year",
            "breadcrumbs": _crumbs(plan),
        },
        status=status,
    )
