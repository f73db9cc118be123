"""The risk register's pages and the Board Assurance Framework. Thin: who may comes from
planning.permissions (VIEW to read; EDIT_PLAN to maintain the register; a risk's owner or a
planner to record a review; another organisation's risk is 404), the writes from
assurance.services, the reads from assurance.selectors."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from assurance import scoring, selectors, services
from assurance.forms import BandsForm, CategoryForm, ControlForm, ReviewForm, RiskForm
from assurance.models import Control, Risk, RiskCategory, RiskSettings, bands_of
from planning import idempotency, permissions
from planning.concurrency import StaleEditError
from planning.forms import VersionForm, add_errors
from planning.permissions import Action


def _risk(request, pk: int, action: Action | None = Action.VIEW) -> Risk:
    """The risk (404 outside the user's organisations) if the user may do `action` (403)."""
    risk = get_object_or_404(
        Risk.objects.in_organisations(
            permissions.organisations_where(request.user, Action.VIEW)
        ).select_related("organisation", "owner_person"),
        pk=pk,
    )
    if action is not None:
        permissions.require(request.user, action, risk.organisation_id)
    return risk


def _register_url(organisation) -> str:
    return reverse("assurance:register", args=[organisation.slug])


def _crumbs(organisation, risk=None) -> list[dict]:
    crumbs = [
        {"text": "Home", "href": reverse("planning:home")},
        {
            "text": f"Risk register: {organisation.display_name}",
            "href": _register_url(organisation),
        },
    ]
    if risk is not None:
        crumbs.append({"text": str(risk), "href": risk.get_absolute_url()})
    return crumbs


def _form_page(request, organisation, form, *, heading, risk=None, stale=None, cancel="", intro=""):
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "assurance/form.html",
        {
            "organisation": organisation,
            "risk": risk,
            "form": form,
            "stale": stale,
            "page_heading": heading,
            "intro": intro,
            "cancel": cancel or (risk.get_absolute_url() if risk else _register_url(organisation)),
            "breadcrumbs": _crumbs(organisation, risk),
        },
        status=status,
    )


def _repeated(request) -> bool:
    return request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    )


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def register(request, org: str):
    organisation = permissions.organisation_for(request.user, Action.VIEW, org)
    data = selectors.register_for(organisation, timezone.localdate())
    return TemplateResponse(
        request,
        "assurance/register.html",
        {
            "organisation": organisation,
            "register": data,
            "can_edit": permissions.has_permission(request.user, Action.EDIT_PLAN, organisation.pk),
            "can_export": permissions.has_permission(request.user, Action.EXPORT, organisation.pk),
            "breadcrumbs": [{"text": "Home", "href": reverse("planning:home")}],
        },
    )


@require_http_methods(["GET"])
def risk_detail(request, pk: int):
    risk = _risk(request, pk)
    risk = selectors.risk_for_page(risk.pk)
    today = timezone.localdate()
    reviews = list(risk.reviews.all())
    return TemplateResponse(
        request,
        "assurance/risk_detail.html",
        {
            "risk": risk,
            "organisation": risk.organisation,
            "row": selectors._row(risk, today),
            "reviews": reviews,
            "controls": [c for c in risk.controls.all() if c.kind == "control"],
            "assurances": [c for c in risk.controls.all() if c.kind == "assurance"],
            "can_edit": permissions.has_permission(
                request.user, Action.EDIT_PLAN, risk.organisation_id
            ),
            "can_review": permissions.can_review_risk(request.user, risk),
            "breadcrumbs": _crumbs(risk.organisation),
        },
    )


@require_http_methods(["GET"])
def board_assurance(request, slug: str):
    plan = permissions.plan_for(request.user, Action.VIEW, slug)
    baf = selectors.board_assurance(plan, timezone.localdate())
    return TemplateResponse(
        request,
        "assurance/baf.html",
        {
            "plan": plan,
            "baf": baf,
            "breadcrumbs": [
                {"text": "Home", "href": reverse("planning:home")},
                {"text": str(plan), "href": plan.get_absolute_url()},
            ],
        },
    )


# ---------------------------------------------------------------------------------------------
# The register: risks
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def risk_create(request, org: str):
    organisation = permissions.organisation_for(request.user, Action.EDIT_PLAN, org)
    if _repeated(request):
        return redirect(_register_url(organisation))
    form = RiskForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(
                organisation=organisation,
                by=request.user,
                data=form.service_data(),
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            return redirect(_register_url(organisation))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The risk has been added to the register.")
            return redirect(risk)
    return _form_page(request, organisation, form, heading="Add a risk")


@require_http_methods(["GET", "POST"])
def risk_edit(request, pk: int):
    risk = _risk(request, pk, Action.EDIT_PLAN)
    organisation = risk.organisation
    if _repeated(request):
        messages.success(request, "The risk has been saved.")
        return redirect(risk)
    form = RiskForm(request.POST or None, instance=copy.copy(risk), organisation=organisation)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_update(
                risk=risk,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
            )
        except StaleEditError as error:
            stale = {"message": str(error), "current": str(error.current)}
            data = request.POST.copy()
            data["version"] = error.current.version  # saving again means "mine still stands"
            form = RiskForm(data, instance=copy.copy(error.current), organisation=organisation)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The risk has been saved.")
            return redirect(risk)
    return _form_page(
        request, organisation, form, heading="Change this risk", risk=risk, stale=stale
    )


@require_http_methods(["GET", "POST"])
def risk_review(request, pk: int):
    risk = _risk(request, pk, action=None)
    permissions.require_risk_review(request.user, risk)
    if _repeated(request):
        messages.success(request, "The review has been recorded.")
        return redirect(risk)
    today = timezone.localdate()
    form = ReviewForm(request.POST or None, risk=risk, today=today)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.risk_review(
                risk=risk,
                by=request.user,
                expected_version=data["version"],
                reviewed_on=data["reviewed_on"],
                likelihood=data["likelihood"],
                consequence=data["consequence"],
                note=data["note"],
                next_review=data["next_review"],
                submission_token=data.get("submission_token", ""),
                today=today,
            )
        except idempotency.DuplicateSubmission:
            return redirect(risk)
        except StaleEditError as error:
            stale = {"message": str(error), "current": str(error.current)}
            data = request.POST.copy()
            data["version"] = error.current.version
            form = ReviewForm(data, risk=error.current, today=today)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The review has been recorded.")
            return redirect(risk)
    current = risk.current
    intro = f"Current score: {current.words}." if current else "This risk has no current score."
    return _form_page(
        request,
        risk.organisation,
        form,
        heading=f"Review risk: {risk}",
        risk=risk,
        stale=stale,
        intro=intro,
    )


# ---------------------------------------------------------------------------------------------
# Controls and assurances
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def control_create(request, pk: int):
    risk = _risk(request, pk, Action.EDIT_PLAN)
    if _repeated(request):
        return redirect(risk)
    form = ControlForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.control_create(
                risk=risk,
                by=request.user,
                data=form.cleaned_data,
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            return redirect(risk)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The control or assurance has been added.")
            return redirect(risk)
    return _form_page(
        request, risk.organisation, form, heading="Add a control or assurance", risk=risk
    )


def _control(request, pk: int) -> Control:
    """The control (404 outside the user's organisations) if the user may maintain it (403)."""
    control = get_object_or_404(
        Control.objects.filter(
            risk__organisation__in=permissions.organisations_where(request.user, Action.VIEW)
        ).select_related("risk", "risk__organisation"),
        pk=pk,
    )
    permissions.require(request.user, Action.EDIT_PLAN, control.risk.organisation_id)
    return control


@require_http_methods(["GET", "POST"])
def control_edit(request, pk: int):
    control = _control(request, pk)
    risk = control.risk
    if _repeated(request):
        return redirect(risk)
    form = ControlForm(request.POST or None, instance=copy.copy(control))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.control_update(
                control=control,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.cleaned_data,
            )
        except StaleEditError as error:
            stale = {"message": str(error), "current": str(error.current)}
            data = request.POST.copy()
            data["version"] = error.current.version
            form = ControlForm(data, instance=copy.copy(error.current))
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The control or assurance has been saved.")
            return redirect(risk)
    return _form_page(
        request,
        risk.organisation,
        form,
        heading="Change this control or assurance",
        risk=risk,
        stale=stale,
    )


# ---------------------------------------------------------------------------------------------
# Score bands and categories
# ---------------------------------------------------------------------------------------------


def _settings_url(organisation) -> str:
    return reverse("assurance:settings", args=[organisation.slug])


@require_http_methods(["GET", "POST"])
def risk_settings(request, org: str):
    organisation = permissions.organisation_for(request.user, Action.EDIT_PLAN, org)
    saved = RiskSettings.objects.filter(organisation=organisation).first()
    version = saved.version if saved else 1
    bands = bands_of(organisation)
    form = BandsForm(request.POST or None, bands=bands, version=version)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bands_update(
                organisation=organisation,
                by=request.user,
                expected_version=data["version"],
                low_max=data["low_max"],
                moderate_max=data["moderate_max"],
                high_max=data["high_max"],
            )
        except StaleEditError as error:
            stale = {"message": str(error), "current": str(error.current.bands)}
            form.add_error(None, str(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The score bands have been saved.")
            return redirect(_settings_url(organisation))
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        "assurance/settings.html",
        {
            "organisation": organisation,
            "form": form,
            "bands": bands,
            "categories": RiskCategory.objects.filter(organisation=organisation),
            "breadcrumbs": _crumbs(organisation),
            "default": scoring.DEFAULT_BANDS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def category_create(request, org: str):
    organisation = permissions.organisation_for(request.user, Action.EDIT_PLAN, org)
    if _repeated(request):
        return redirect(_settings_url(organisation))
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_create(
                organisation=organisation,
                by=request.user,
                data=form.cleaned_data,
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            return redirect(_settings_url(organisation))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The category has been added.")
            return redirect(_settings_url(organisation))
    return _form_page(
        request,
        organisation,
        form,
        heading="Add a risk category",
        cancel=_settings_url(organisation),
    )


def _category(request, pk: int) -> RiskCategory:
    """The category (404 outside the user's organisations) if the user may maintain it (403)."""
    category = get_object_or_404(
        RiskCategory.objects.filter(
            organisation__in=permissions.organisations_where(request.user, Action.VIEW)
        ).select_related("organisation"),
        pk=pk,
    )
    permissions.require(request.user, Action.EDIT_PLAN, category.organisation_id)
    return category


@require_http_methods(["GET", "POST"])
def category_edit(request, pk: int):
    category = _category(request, pk)
    organisation = category.organisation
    form = CategoryForm(request.POST or None, instance=copy.copy(category))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(
                category=category,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.cleaned_data,
            )
        except StaleEditError as error:
            stale = {"message": str(error), "current": str(error.current)}
            data = request.POST.copy()
            data["version"] = error.current.version
            form = CategoryForm(data, instance=copy.copy(error.current))
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The category has been saved.")
            return redirect(_settings_url(organisation))
    return _form_page(
        request,
        organisation,
        form,
        heading="Change this risk category",
        stale=stale,
        cancel=_settings_url(organisation),
    )


# ---------------------------------------------------------------------------------------------
# Deleting a control or a category
# ---------------------------------------------------------------------------------------------


def _delete_page(request, *, record, what, organisation, delete, done_url, breadcrumbs, refusal):
    """Confirm, then delete through ``delete(expected_version)``. ``refusal``: why it cannot
    be deleted (risks still in a category), shown instead of the button and refused on a post
    (400); the service checks again. A stale page: 409, nothing deleted."""
    form = VersionForm(request.POST or None, initial={"version": record.version})
    stale = None
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            delete(form.cleaned_data["version"])
        except StaleEditError as error:
            stale = str(error)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, f"The {what} has been deleted.")
            return redirect(done_url)
    if stale:
        status = 409
    elif request.method == "POST" and (refusal or form.errors):
        status = 400
    else:
        status = 200
    return TemplateResponse(
        request,
        "assurance/delete.html",
        {
            "form": form,
            "record": record,
            "what": what,
            "refusal": refusal,
            "stale": stale,
            "page_heading": f"Delete this {what}?",
            "caption": organisation.name,
            "cancel_url": done_url,
            "breadcrumbs": breadcrumbs,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def control_delete(request, pk: int):
    control = _control(request, pk)
    risk = control.risk
    return _delete_page(
        request,
        record=control,
        what=control.get_kind_display().lower(),
        organisation=risk.organisation,
        refusal=None,  # nothing refers to a control
        delete=lambda version: services.control_delete(
            control=control, by=request.user, expected_version=version
        ),
        done_url=risk.get_absolute_url(),
        breadcrumbs=_crumbs(risk.organisation, risk),
    )


@require_http_methods(["GET", "POST"])
def category_delete(request, pk: int):
    category = _category(request, pk)
    organisation = category.organisation
    return _delete_page(
        request,
        record=category,
        what="category",
        organisation=organisation,
        refusal=services.category_delete_refusal(category),
        delete=lambda version: services.category_delete(
            category=category, by=request.user, expected_version=version
        ),
        done_url=_settings_url(organisation),
        breadcrumbs=_crumbs(organisation),
    )
