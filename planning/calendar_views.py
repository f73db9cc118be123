"""The plan's reporting calendar (planners and administrators): each quarter's deadline, whether
it is open or locked, and reopening a locked quarter with a reason or locking it again. The rule
and the writes are planning.reporting_window; who may is Action.EDIT_PLAN (planning.permissions:
404 outside the user's organisations, 403 for a member without the right)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from planning import permissions, reporting_window
from planning.forms import add_errors, reason_field
from planning.fy import Quarter
from planning.models import Plan, QuarterReopening
from planning.permissions import Action
from planning.validation import CheckedInputs


class ReopenForm(CheckedInputs, forms.Form):
    reason = reason_field(
        "Why reopen this quarter?",
        "For example “the audited sickness figure arrived late”. It stays in the calendar's "
        "history with your name.",
    )


@dataclass
class QuarterRow:
    quarter: Quarter
    deadline: object
    state: str  # "not started", "open", "locked", "reopened"
    reopening: QuarterReopening | None


def _plan(request, slug: str) -> Plan:
    return permissions.plan_for(request.user, Action.EDIT_PLAN, slug)


def _quarter(key: str) -> Quarter:
    try:
        return Quarter.parse(key)
    except ValueError:
        raise Http404("No such quarter") from None


def _calendar_url(plan: Plan) -> str:
    return reverse("planning:reporting_calendar", args=[plan.slug])


def _crumbs(plan: Plan, *items) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": str(plan), "href": plan.get_absolute_url()},
        *items,
    ]


def calendar_rows(plan: Plan, reopenings: list[QuarterReopening], today) -> list[QuarterRow]:
    """Every quarter of the plan and the current one, oldest first, with its state."""
    calendar = reporting_window.Calendar(
        working_days=plan.reporting_working_days,
        reopened=frozenset(r.period for r in reopenings if r.is_open),
    )
    open_by_quarter = {r.period: r for r in reopenings if r.is_open}
    quarters = {Quarter(year, n) for year in plan.financial_years for n in (1, 2, 3, 4)}
    quarters.add(Quarter.containing(today))
    quarters.update(open_by_quarter)  # a reopened quarter outside the plan (a baseline year)
    rows = []
    for quarter in sorted(quarters):
        if calendar.is_reopened(quarter):
            state = "reopened"
        elif quarter.start > today:
            state = "not started"
        else:
            state = "locked" if calendar.is_locked(quarter, today) else "open"
        rows.append(
            QuarterRow(quarter, calendar.deadline(quarter), state, open_by_quarter.get(quarter))
        )
    return rows


def reporting_calendar(request, slug: str):
    plan = _plan(request, slug)
    reopenings = list(
        QuarterReopening.objects.filter(plan=plan).select_related("reopened_by", "relocked_by")
    )
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "planning/reporting_calendar.html",
        {
            "plan": plan,
            "rows": calendar_rows(plan, reopenings, today),
            "history": reopenings,
            "today": today,
            "breadcrumbs": _crumbs(plan),
        },
    )


@require_http_methods(["GET", "POST"])
def quarter_reopen(request, slug: str, quarter: str):
    plan = _plan(request, slug)
    period = _quarter(quarter)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reporting_window.quarter_reopen(
                plan=plan, quarter=period, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{period} is reopened: progress updates and KPI values for it may be entered "
                "and corrected until you lock it again.",
            )
            return redirect(_calendar_url(plan))
    deadline = reporting_window.for_plan(plan).deadline(period)
    return TemplateResponse(
        request,
        "planning/quarter_reopen.html",
        {
            "plan": plan,
            "quarter": period,
            "deadline": deadline,
            "form": form,
            "page_heading": f"Reopen {period}",
            "breadcrumbs": _crumbs(
                plan, {"text": "Reporting calendar", "href": _calendar_url(plan)}
            ),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def quarter_relock(request, slug: str, quarter: str):
    plan = _plan(request, slug)
    period = _quarter(quarter)
    try:
        reporting_window.quarter_relock(plan=plan, quarter=period, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{period} is locked again.")
    return redirect(_calendar_url(plan))
