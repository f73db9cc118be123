"""Withdrawing a KPI value: it stays on the KPI page, marked, and no longer counts.

Who may: the value's author or a planner, within its quarter's reporting window
(kpis.services.may_correct). The form carries a one-time token (planning.idempotency)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kpis import periods, services
from kpis.models import Measurement
from kpis.views import stale_refusal
from planning import idempotency
from planning.concurrency import StaleEditError
from planning.forms import WithdrawForm, add_errors

WITHDRAWN = "The value has been withdrawn. It stays on this page, marked, and no longer counts."


@require_http_methods(["GET", "POST"])
def measurement_withdraw(request, pk: int):
    measurement = get_object_or_404(
        Measurement.all_objects.select_related(
            "kpi", "kpi__plan", "kpi__plan__organisation", "created_by", "withdrawn_by"
        ),
        pk=pk,
    )
    kpi = measurement.kpi
    services.require_may_correct(request.user, measurement)
    token = idempotency.token_from(request.POST)
    if request.method == "POST" and idempotency.already_used(token, user=request.user):
        messages.success(request, WITHDRAWN)
        return redirect(kpi)
    refusal = services.correction_refusal(measurement, timezone.localdate())
    form = WithdrawForm(request.POST or None, version=measurement.version)
    stale = stale_refusal(request, measurement, refusal)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.measurement_withdraw(
                measurement=measurement,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                submission_token=form.cleaned_data["submission_token"],
            )
        except idempotency.DuplicateSubmission:
            pass  # the same form again: answer as the first time
        except StaleEditError as error:
            current = Measurement.all_objects.select_related("created_by").get(pk=measurement.pk)
            stale = {"message": str(error), "measurement": current}
            data = request.POST.copy()
            data["version"] = current.version
            form = WithdrawForm(data, version=current.version)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        if stale is None and not form.errors:
            messages.success(request, WITHDRAWN)
            return redirect(kpi)
    refused_post = refusal and request.method == "POST" and not stale
    status = 409 if stale else (400 if form.errors or refused_post else 200)
    label = periods.label(measurement.period_start, kpi.frequency)
    plan = kpi.plan
    return TemplateResponse(
        request,
        "kpis/measurement_withdraw.html",
        {
            "plan": plan,
            "kpi": kpi,
            "measurement": measurement,
            "form": None if refusal else form,
            "stale": stale,
            "refusal": refusal,
            "page_heading": f"Withdraw {kpi.code}’s value for {label}",
            "breadcrumbs": [
                {"text": "Home", "href": reverse("planning:home")},
                {"text": str(plan), "href": plan.get_absolute_url()},
                {"text": str(kpi), "href": kpi.get_absolute_url()},
            ],
        },
        status=status,
    )
