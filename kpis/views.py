"""The KPI pages, KPI editing, measurements and their import.

Views stay thin: permissions come from planning.permissions, reads from kpis.selectors, writes
from kpis.services and kpis.imports.

Who may do what (planning.permissions' actions):

* read the KPI list and a KPI page: VIEW (every member, board members included);
* define and edit KPIs: EDIT_PLAN (planners and administrators);
* enter a measurement, and import measurements: UPDATE_PROGRESS (contributors, planners and
  administrators). Contributors may enter any KPI of their organisation: KPI owners are often
  recorded only as text, so narrowing to "KPIs they own" would shut out most real owners;
  every change is in the measurement's history with who made it.
* correct or withdraw a value: its author or a planner, within its quarter's reporting window
  (kpis.services.may_correct; a generated demo value is anybody's who may enter values).
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kpis import imports, periods, selectors, services
from kpis.forms import ImportForm, KPIForm, MeasurementForm, TargetForm
from kpis.models import KPI, Measurement
from kpis.targets import Schedule
from planning import idempotency, page_cache, permissions, reporting_window
from planning.concurrency import StaleEditError, opened_before
from planning.models import Plan
from planning.permissions import Action


def _plan(request, slug: str, action: Action) -> Plan:
    return permissions.plan_for(request.user, action, slug)


def _kpi(request, pk: int, action: Action) -> KPI:
    kpi = get_object_or_404(
        KPI.objects.select_related(
            "plan", "plan__organisation", "owner_role", "carried_from__plan"
        ),
        pk=pk,
    )
    permissions.require_plan(request.user, action, kpi.plan)
    return kpi


def _abilities(request, plan: Plan) -> dict:
    org = plan.organisation_id
    return {
        "can_edit": permissions.has_permission(request.user, Action.EDIT_PLAN, org),
        "can_enter": permissions.has_permission(request.user, Action.UPDATE_PROGRESS, org),
    }


def _crumbs(plan: Plan, *items) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": str(plan), "href": plan.get_absolute_url()},
        *items,
    ]


def _scorecard_crumb(plan: Plan) -> dict:
    return {"text": "Quarterly scorecard", "href": reverse("reporting:scorecard", args=[plan.slug])}


def _kpis_crumb(plan: Plan) -> dict:
    return {"text": "KPIs", "href": reverse("kpis:list", kwargs={"slug": plan.slug})}


# --- reading ---------------------------------------------------------------------------------


def kpi_list(request, slug: str):
    plan = _plan(request, slug, Action.VIEW)
    abilities = _abilities(request, plan)
    # The same table for every reader of the plan with the same abilities (an Edit link for
    # planners), kept under the content version (planning.page_cache).
    table = page_cache.PageCache().html(
        "kpi-list",
        plan.pk,
        abilities["can_edit"],
        render=lambda: render_to_string(
            "kpis/_kpi_list_table.html",
            {"statuses": selectors.kpi_list(plan), "can_edit": abilities["can_edit"]},
        ),
    )
    return TemplateResponse(
        request,
        "kpis/kpi_list.html",
        {
            "plan": plan,
            "table": table,
            "breadcrumbs": _crumbs(plan, _scorecard_crumb(plan)),
            **abilities,
        },
    )


def kpi_detail(request, pk: int):
    kpi = _kpi(request, pk, Action.VIEW)
    page = selectors.kpi_page(kpi)
    today = timezone.localdate()
    calendar = reporting_window.for_plan(kpi.plan)
    for row in page.measurements:
        m = row.measurement
        # Last year's values (a carried KPI's predecessors) are corrected on their own plan's
        # KPI page, under that plan's reporting calendar.
        m.may_correct = (
            m.kpi_id == kpi.pk
            and m.withdrawn_at is None
            and services.may_correct(request.user, m, today, calendar)
        )
    return TemplateResponse(
        request,
        "kpis/kpi_detail.html",
        {
            "plan": kpi.plan,
            "kpi": kpi,
            "page": page,
            "breadcrumbs": _crumbs(kpi.plan, _scorecard_crumb(kpi.plan)),
            **_abilities(request, kpi.plan),
        },
    )


# --- KPI definitions -------------------------------------------------------------------------


def _repeated(request) -> bool:
    """A form posted again after it was saved (planning.idempotency): answered as the first."""
    return request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    )


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):  # not about one field: e.g. a locked (ratified) plan
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@require_http_methods(["GET", "POST"])
def kpi_create(request, slug: str):
    plan = _plan(request, slug, Action.EDIT_PLAN)
    if _repeated(request):  # a double click: the first post added it
        messages.success(request, "The KPI has been added.")
        return redirect("kpis:list", slug=plan.slug)
    form = KPIForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            kpi = services.kpi_create(
                plan=plan,
                by=request.user,
                data=form.service_data(),
                target=form.cleaned_data["target"],
                tolerance=form.cleaned_data["tolerance"],
                submission_token=form.cleaned_data["submission_token"],
            )
        except idempotency.DuplicateSubmission:
            messages.success(request, "The KPI has been added.")
            return redirect("kpis:list", slug=plan.slug)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"KPI {kpi.code} has been added.")
            return redirect(kpi)
    return TemplateResponse(
        request,
        "kpis/kpi_form.html",
        {
            "plan": plan,
            "form": form,
            "page_heading": "Add a KPI",
            "breadcrumbs": _crumbs(plan, _kpis_crumb(plan)),
        },
        status=400 if form.errors else 200,
    )


def _kpi_differences(current: KPI, form: KPIForm) -> list[dict]:
    """The fields where the saved KPI differs from what this user submitted: their values."""
    submitted = getattr(form, "cleaned_data", {})
    rows = []
    for name in KPIForm.Meta.fields:
        mine, theirs = submitted.get(name), getattr(current, name)
        if mine == theirs:
            continue
        display = getattr(current, f"get_{name}_display", None)
        if display is not None:
            text = display()
        elif isinstance(theirs, bool):
            text = "Yes" if theirs else "No"
        elif theirs in (None, ""):
            text = "—"
        else:
            text = str(theirs)
        rows.append({"key": form.fields[name].label, "value": text})
    return rows


@require_http_methods(["GET", "POST"])
def kpi_edit(request, pk: int):
    kpi = _kpi(request, pk, Action.EDIT_PLAN)
    plan = kpi.plan
    if _repeated(request):
        messages.success(request, f"KPI {kpi.code} has been saved.")
        return redirect(kpi)
    # The form edits a copy: an invalid submission must not rename the page's KPI.
    form = KPIForm(request.POST or None, instance=copy.copy(kpi), plan=plan)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            kpi = services.kpi_update(
                kpi=kpi,
                by=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                data=form.service_data(),
                submission_token=form.cleaned_data["submission_token"],
            )
        except idempotency.DuplicateSubmission:
            messages.success(request, f"KPI {kpi.code} has been saved.")
            return redirect(kpi)
        except StaleEditError as error:
            current = KPI.objects.select_related("owner_role").get(pk=kpi.pk)
            stale = {"message": str(error), "rows": _kpi_differences(current, form)}
            data = request.POST.copy()
            data["version"] = current.version  # saving again now means "mine still stands"
            form = KPIForm(data, instance=current, plan=plan)
            form.is_valid()
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"KPI {kpi.code} has been saved.")
            return redirect(kpi)
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "kpis/kpi_form.html",
        {
            "plan": plan,
            "kpi": kpi,
            "form": form,
            "stale": stale,
            "page_heading": f"Edit KPI {kpi.code}",
            "breadcrumbs": _crumbs(
                plan, _scorecard_crumb(plan), {"text": str(kpi), "href": kpi.get_absolute_url()}
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def kpi_target_change(request, pk: int):
    """A new target from a date the planner chooses (kpis.services.kpi_target_change)."""
    kpi = _kpi(request, pk, Action.EDIT_PLAN)
    plan = kpi.plan
    if _repeated(request):
        messages.success(request, f"The target of {kpi.code} has been changed.")
        return redirect(kpi)
    earliest = services.earliest_target_date(kpi, timezone.localdate())
    initial = {"version": kpi.version, "effective_from": earliest}
    form = TargetForm(request.POST or None, kpi=kpi, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.kpi_target_change(
                kpi=kpi,
                by=request.user,
                expected_version=data["version"],
                effective_from=data["effective_from"],
                target=data["target"],
                tolerance=data["tolerance"],
                reason=data["reason"],
                submission_token=data["submission_token"],
            )
        except idempotency.DuplicateSubmission:
            messages.success(request, f"The target of {kpi.code} has been changed.")
            return redirect(kpi)
        except StaleEditError as error:
            current = KPI.objects.get(pk=kpi.pk)
            stale = {"message": str(error)}
            posted = request.POST.copy()
            posted["version"] = current.version  # saving again now means "mine still stands"
            form = TargetForm(posted, kpi=kpi)
            form.is_valid()
        except ValidationError as error:
            _add_errors(form, error)
        else:
            when = row.effective_from
            messages.success(
                request, f"The target of {kpi.code} has been changed from {when.day} {when:%B %Y}."
            )
            return redirect(kpi)
    targets = list(kpi.targets.select_related("created_by").order_by("-effective_from"))
    return TemplateResponse(
        request,
        "kpis/target_form.html",
        {
            "plan": plan,
            "kpi": kpi,
            "form": form,
            "stale": stale,
            "earliest": earliest,
            "targets": targets,
            "current_target": Schedule.of(targets).in_force(timezone.localdate()),
            "page_heading": f"Change the target of {kpi.code}",
            "breadcrumbs": _crumbs(
                plan, _scorecard_crumb(plan), {"text": str(kpi), "href": kpi.get_absolute_url()}
            ),
        },
        status=409 if stale else (400 if form.errors else 200),
    )


# --- measurements ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def measurement_create(request, pk: int):
    kpi = _kpi(request, pk, Action.UPDATE_PROGRESS)
    token = idempotency.token_from(request.POST)
    if request.method == "POST" and idempotency.already_used(token, user=request.user):
        return _measurement_saved(request, kpi, "The measurement has been saved.")
    taken = set(Measurement.objects.filter(kpi=kpi).values_list("period_start", flat=True))
    form = MeasurementForm(request.POST or None, kpi=kpi, taken=taken)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measurement_create(
                kpi=kpi,
                by=request.user,
                period_start=data["period"],
                value=data["value"],
                commentary=data["commentary"],
                starts_new_limits=data["starts_new_limits"],
                submission_token=token,
            )
        except idempotency.DuplicateSubmission:
            return _measurement_saved(request, kpi, "The measurement has been saved.")
        except StaleEditError as error:
            stale = {"message": str(error), "measurement": error.current}
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _measurement_saved(request, kpi, "The measurement has been saved.")
    return _measurement_page(
        request, kpi, form, stale, page_heading=f"Enter a measurement for {kpi}"
    )


@require_http_methods(["GET", "POST"])
def measurement_edit(request, pk: int):
    measurement = get_object_or_404(
        Measurement.all_objects.select_related("kpi", "kpi__plan", "kpi__plan__organisation"),
        pk=pk,
    )
    kpi = measurement.kpi
    services.require_may_correct(request.user, measurement)
    token = idempotency.token_from(request.POST)
    if request.method == "POST" and idempotency.already_used(token, user=request.user):
        return _measurement_saved(request, kpi, "The measurement has been corrected.")
    refusal = services.correction_refusal(measurement, timezone.localdate())
    form = MeasurementForm(request.POST or None, kpi=kpi, measurement=measurement)
    stale = stale_refusal(request, measurement, refusal)
    if request.method == "POST" and not refusal and form.is_valid():
        data = form.cleaned_data
        try:
            services.measurement_update(
                measurement=measurement,
                by=request.user,
                expected_version=data["version"] or 0,
                value=data["value"],
                commentary=data["commentary"],
                starts_new_limits=data["starts_new_limits"],
                submission_token=token,
            )
        except idempotency.DuplicateSubmission:
            return _measurement_saved(request, kpi, "The measurement has been corrected.")
        except ValidationError as error:
            _add_errors(form, error)
        except StaleEditError as error:
            current = Measurement.all_objects.select_related("created_by").get(pk=measurement.pk)
            stale = {"message": str(error), "measurement": current}
            data = request.POST.copy()
            data["version"] = current.version
            form = MeasurementForm(data, kpi=kpi, measurement=current)
            form.is_valid()
        else:
            return _measurement_saved(request, kpi, "The measurement has been corrected.")
    label = periods.label(measurement.period_start, kpi.frequency)
    return _measurement_page(
        request,
        kpi,
        form,
        stale,
        page_heading=f"Correct {kpi.code} for {label}",
        measurement=measurement,
        refusal=refusal,
    )


def stale_refusal(request, measurement, refusal: str | None) -> dict | None:
    """A refused correction or withdrawal whose form was opened before somebody else changed
    the value (the change may be what closed it): told as a stale edit, 409, with the value as
    it is now and why it can no longer be changed, not as a bare refusal."""
    if request.method == "POST" and refusal and opened_before(request.POST, measurement.version):
        return {"message": services.STALE_MEASUREMENT, "measurement": measurement}
    return None


def _measurement_saved(request, kpi, message: str):
    """The answer to a saved measurement form, and to the same form posted again."""
    messages.success(request, message)
    return redirect(kpi)


def _measurement_page(request, kpi, form, stale, *, page_heading, measurement=None, refusal=None):
    plan = kpi.plan
    status = 409 if stale else (400 if form.errors else 200)
    if refusal and not stale:  # the value may no longer be corrected: say why, offer no form
        status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "kpis/measurement_form.html",
        {
            "plan": plan,
            "kpi": kpi,
            "form": form,
            "stale": stale,
            "page_heading": page_heading,
            "measurement": measurement,
            "refusal": refusal,
            "breadcrumbs": _crumbs(
                plan, _scorecard_crumb(plan), {"text": str(kpi), "href": kpi.get_absolute_url()}
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def measurement_import(request, slug: str):
    plan = _plan(request, slug, Action.UPDATE_PROGRESS)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = imports.import_measurements(plan, form.parsed, by=request.user)
        if result.ok:
            messages.success(request, f"Measurements imported: {result}.")
            return redirect("kpis:list", slug=plan.slug)
    return TemplateResponse(
        request,
        "kpis/import.html",
        {
            "plan": plan,
            "form": form,
            "result": result,
            "breadcrumbs": _crumbs(plan, _kpis_crumb(plan)),
        },
        status=400 if form.errors or (result and result.errors) else 200,
    )
