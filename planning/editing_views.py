"""The planner's editing pages for a plan's lists (planning.ordering): one set of views for
every registered list — narrative sections, vision, values, priorities, short/medium-term
objectives, programmes, departments, and swot's SWOT items and PESTEL drivers.

Who may: EDIT_PLAN (planners and administrators); other members get 403, other organisations
404 (planning.permissions.plan_for). Writes go through planning.services, which refuses a locked
plan, a stale version and another plan's item.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from planning import idempotency, lifecycle, narrative, ordering, permissions, services
from planning.concurrency import StaleEditError
from planning.forms import VersionForm, add_errors
from planning.permissions import Action


def _plan_and_spec(request, slug: str, kind: str):
    spec = ordering.spec_for(kind)
    plan = permissions.plan_for(request.user, Action.EDIT_PLAN, slug)
    if spec is None:
        raise Http404("No such list.")
    return plan, spec


def _list_url(plan, spec) -> str:
    return reverse("planning:edit_list", args=[plan.slug, spec.key])


def _crumbs(plan, spec=None) -> list[dict]:
    crumbs = [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": str(plan), "href": plan.get_absolute_url()},
    ]
    if spec is not None:
        crumbs.append({"text": spec.plural, "href": _list_url(plan, spec)})
    return crumbs


def _same_group(spec, other, group) -> bool:
    return other is not None and (not spec.group_field or getattr(other, spec.group_field) == group)


def _rows(spec, plan) -> list[dict]:
    """The items in order, each with its group's label and whether it can move up or down."""
    items = list(spec.ordered(spec.scope(plan)))
    rows = []
    for index, item in enumerate(items):
        group = getattr(item, spec.group_field) if spec.group_field else None
        before = items[index - 1] if index else None
        after = items[index + 1] if index + 1 < len(items) else None
        rows.append(
            {
                "item": item,
                "group": getattr(item, f"get_{spec.group_field}_display")() if group else "",
                "new_group": index == 0 or not _same_group(spec, before, group),
                "can_up": _same_group(spec, before, group),
                "can_down": _same_group(spec, after, group),
                "html": (
                    narrative.to_html(getattr(item, spec.rich_text_field))
                    if spec.rich_text_field
                    else ""
                ),
            }
        )
    return rows


def _list_page(request, plan, spec, *, errors=(), status=200):
    return TemplateResponse(
        request,
        "planning/edit/list.html",
        {
            "plan": plan,
            "spec": spec,
            "rows": _rows(spec, plan),
            "editable": lifecycle.is_editable(plan),
            "errors": [{"text": message} for message in errors],
            "breadcrumbs": _crumbs(plan),
        },
        status=status,
    )


@require_http_methods(["GET"])
def edit_list(request, slug: str, kind: str):
    plan, spec = _plan_and_spec(request, slug, kind)
    return _list_page(request, plan, spec)


def _form_page(request, plan, spec, form, *, item=None, stale=None):
    status = 409 if stale else (400 if form.errors else 200)
    heading = f"Edit {spec.singular}" if item else f"Add a {spec.singular}"
    return TemplateResponse(
        request,
        "planning/edit/form.html",
        {
            "plan": plan,
            "spec": spec,
            "item": item,
            "form": form,
            "stale": stale,
            "page_heading": heading,
            "breadcrumbs": _crumbs(plan, spec),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def edit_add(request, slug: str, kind: str):
    plan, spec = _plan_and_spec(request, slug, kind)
    form = ordering.form_for(spec, plan, request.POST or None)
    if request.method == "GET":
        form.initial["submission_token"] = idempotency.new_token()
    elif idempotency.already_used(idempotency.token_from(request.POST), user=request.user):
        return redirect(_list_url(plan, spec))
    elif form.is_valid():
        try:
            services.list_item_create(
                spec=spec,
                plan=plan,
                by=request.user,
                data=form.cleaned_data,
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            return redirect(_list_url(plan, spec))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"The {spec.singular} has been added.")
            return redirect(_list_url(plan, spec))
    return _form_page(request, plan, spec, form)


@require_http_methods(["GET", "POST"])
def edit_item(request, slug: str, kind: str, pk: int):
    plan, spec = _plan_and_spec(request, slug, kind)
    item = get_object_or_404(spec.scope(plan), pk=pk)
    form = ordering.form_for(
        spec, plan, request.POST or None, instance=item, initial={"version": item.version}
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.list_item_update(
                spec=spec,
                plan=plan,
                pk=item.pk,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.cleaned_data,
            )
        except StaleEditError as error:
            current = error.current
            stale = {"message": str(error), "current": str(current)}
            data = request.POST.copy()
            data["version"] = current.version  # saving again now means "mine still stands"
            form = ordering.form_for(spec, plan, data, instance=current)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"The {spec.singular} has been saved.")
            return redirect(_list_url(plan, spec))
    return _form_page(request, plan, spec, form, item=item, stale=stale)


@require_POST
def edit_move(request, slug: str, kind: str, pk: int):
    """Move one item up or down: a plain form per button, so it works without JavaScript."""
    plan, spec = _plan_and_spec(request, slug, kind)
    form = VersionForm(request.POST)
    problem, status = None, 400
    if not form.is_valid():
        problem = "; ".join(m for errors in form.errors.values() for m in errors)
    else:
        try:
            services.list_item_move(
                spec=spec,
                plan=plan,
                pk=pk,
                direction=request.POST.get("direction", ""),
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEditError as error:
            problem, status = str(error), 409
        except ValidationError as error:
            problem = " ".join(error.messages)
    if problem:
        return _list_page(request, plan, spec, errors=[problem], status=status)
    messages.success(request, f"The {spec.singular} has been moved.")
    return redirect(_list_url(plan, spec))


@require_http_methods(["GET", "POST"])
def edit_delete(request, slug: str, kind: str, pk: int):
    plan, spec = _plan_and_spec(request, slug, kind)
    item = get_object_or_404(spec.scope(plan), pk=pk)
    form = VersionForm(request.POST or None, initial={"version": item.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.list_item_delete(
                spec=spec,
                plan=plan,
                pk=item.pk,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"The {spec.singular} has been deleted.")
            return redirect(_list_url(plan, spec))
    if form.errors and status == 200:
        status = 400
    return TemplateResponse(
        request,
        "planning/edit/delete.html",
        {
            "plan": plan,
            "spec": spec,
            "item": item,
            "form": form,
            "breadcrumbs": _crumbs(plan, spec),
        },
        status=status,
    )
