"""Pages for the links between delivery items: a plan's dependencies (diagram and table),
adding, changing and removing dependencies and lineage, linking an item to risks of the
register, and governance (bodies as a tree, their decisions log) per organisation or plan.

Thin: who may comes from planning.permissions (VIEW to read; EDIT_PLAN to change a plan's
links, and an organisation's bodies and decisions; another organisation's record is 404), the
writes from delivery.services_links, the reads from delivery.selectors_links.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from delivery import diagram, selectors_links, services_links
from delivery.forms_links import (
    BodyForm,
    DecisionForm,
    DeleteForm,
    DependencyForm,
    ItemRisksForm,
    LineageForm,
)
from delivery.models import Decision, DeliveryItem, Dependency, GovernanceBody, Lineage
from planning import idempotency, lifecycle, permissions
from planning.concurrency import StaleEditError
from planning.forms import add_errors
from planning.permissions import Action

FORM = "delivery/links/form.html"
DELETE = "delivery/links/delete.html"


def _visible(user):
    return permissions.organisations_where(user, Action.VIEW)


def _item(request, pk: int, action: Action = Action.EDIT_PLAN) -> DeliveryItem:
    """The item (404 outside the user's organisations) if they may do `action` (403)."""
    item = get_object_or_404(
        DeliveryItem.objects.filter(plan__organisation__in=_visible(request.user)).select_related(
            "plan", "plan__organisation"
        ),
        pk=pk,
    )
    permissions.require_plan(request.user, action, item.plan)
    return item


def _dependency(request, pk: int) -> Dependency:
    dep = get_object_or_404(
        Dependency.objects.filter(
            item__plan__organisation__in=_visible(request.user)
        ).select_related("item", "item__plan", "item__plan__organisation", "on_item"),
        pk=pk,
    )
    permissions.require_plan(request.user, Action.EDIT_PLAN, dep.item.plan)
    return dep


def _lineage(request, pk: int) -> Lineage:
    entry = get_object_or_404(
        Lineage.objects.filter(item__plan__organisation__in=_visible(request.user)).select_related(
            "item", "item__plan", "item__plan__organisation", "other"
        ),
        pk=pk,
    )
    permissions.require_plan(request.user, Action.EDIT_PLAN, entry.item.plan)
    return entry


def _decision(request, pk: int) -> Decision:
    decision = get_object_or_404(
        Decision.objects.filter(body__organisation__in=_visible(request.user)).select_related(
            "body", "body__organisation"
        ),
        pk=pk,
    )
    permissions.require(request.user, Action.EDIT_PLAN, decision.body.organisation_id)
    return decision


def _locked_message(plan) -> str:
    try:
        lifecycle.require_editable(plan)
    except ValidationError as error:
        return error.messages[0]
    return ""


def _plan_crumbs(plan) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": str(plan), "href": plan.get_absolute_url()},
        {
            "text": "Dependencies",
            "href": reverse("delivery:dependencies", args=[plan.slug]),
        },
    ]


def _governance_crumbs(organisation) -> list[dict]:
    return [
        {"text": "Home", "href": reverse("planning:home")},
        {
            "text": f"Governance: {organisation.display_name}",
            "href": reverse("delivery:governance", args=[organisation.slug]),
        },
    ]


def _form_view(
    request,
    *,
    make_form,
    write,
    done: str,
    saved: str,
    heading: str,
    caption: str,
    crumbs: list,
    cancel: str,
    locked: str = "",
    intro: str = "",
):
    """The one shape of every add and change page here: a one-time token (the same form
    twice is answered as the first time), a stale edit shown with the other person's version
    and the person's own changes kept, a refusal on its field, nothing saved half-way."""
    if request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    ):
        messages.success(request, saved)
        return redirect(done)
    form = make_form(request.POST or None, None)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            write(form)
        except idempotency.DuplicateSubmission:
            messages.success(request, saved)
            return redirect(done)
        except StaleEditError as error:
            stale = error
            data = request.POST.copy()
            data["version"] = error.current.version  # saving again means "mine still stands"
            form = make_form(data, error.current)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect(done)
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        FORM,
        {
            "form": form,
            "stale": stale,
            "page_heading": heading,
            "caption": caption,
            "breadcrumbs": crumbs,
            "cancel": cancel,
            "locked": locked,
            "intro": intro,
        },
        status=status,
    )


def _delete_view(
    request,
    *,
    version: int,
    write,
    done: str,
    deleted: str,
    heading: str,
    caption: str,
    what: str,
    crumbs: list,
    cancel: str,
    refusal: str = "",
):
    form = DeleteForm(request.POST or None, version=version)
    stale = None
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            write(form.cleaned_data["version"])
        except StaleEditError as error:
            stale = error
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, deleted)
            return redirect(done)
    if refusal and request.method == "POST":
        status = 400
    else:
        status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        DELETE,
        {
            "form": None if refusal else form,
            "refusal": refusal,
            "stale": stale,
            "page_heading": heading,
            "caption": caption,
            "what": what,
            "breadcrumbs": crumbs,
            "cancel": cancel,
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# Dependencies
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def dependencies(request, slug: str):
    plan = permissions.plan_for(request.user, Action.VIEW, slug)
    data = selectors_links.plan_dependencies(plan, request.user)
    return TemplateResponse(
        request,
        "delivery/links/dependencies.html",
        {
            "plan": plan,
            "deps": data,
            "diagram": diagram.dependency_diagram(data),
            "can_edit": selectors_links.can_edit_links(request.user, plan),
            "breadcrumbs": _plan_crumbs(plan)[:2],
        },
    )


def _item_crumbs(item) -> list[dict]:
    return [
        *_plan_crumbs(item.plan),
        {"text": f"{item.reference} {item.title}", "href": selectors_links.item_url(item)},
    ]


@require_http_methods(["GET", "POST"])
def dependency_create(request, pk: int):
    item = _item(request, pk)

    def make(data, current):
        return DependencyForm(data, instance=Dependency(item=item), item=item, user=request.user)

    def write(form):
        services_links.dependency_create(
            item=item,
            by=request.user,
            data=form.service_data(),
            submission_token=form.cleaned_data.get("submission_token", ""),
        )

    return _form_view(
        request,
        make_form=make,
        write=write,
        done=selectors_links.item_url(item),
        saved="The dependency has been added.",
        heading="Add a dependency",
        caption=f"{item.reference} {item.title}",
        crumbs=_item_crumbs(item),
        cancel=selectors_links.item_url(item),
        locked=_locked_message(item.plan),
    )


@require_http_methods(["GET", "POST"])
def dependency_edit(request, pk: int):
    dep = _dependency(request, pk)
    item = dep.item

    def make(data, current):
        return DependencyForm(
            data, instance=copy.copy(current or dep), item=item, user=request.user
        )

    def write(form):
        services_links.dependency_update(
            dependency=dep,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            data=form.service_data(),
            submission_token=form.cleaned_data.get("submission_token", ""),
        )

    return _form_view(
        request,
        make_form=make,
        write=write,
        done=selectors_links.item_url(item),
        saved="The dependency has been saved.",
        heading="Change this dependency",
        caption=f"{item.reference} {item.title}",
        crumbs=_item_crumbs(item),
        cancel=selectors_links.item_url(item),
        locked=_locked_message(item.plan),
    )


@require_http_methods(["GET", "POST"])
def dependency_delete(request, pk: int):
    dep = _dependency(request, pk)
    item = dep.item
    return _delete_view(
        request,
        version=dep.version,
        write=lambda version: services_links.dependency_delete(
            dependency=dep, by=request.user, expected_version=version
        ),
        done=selectors_links.item_url(item),
        deleted="The dependency has been removed.",
        heading="Remove this dependency",
        caption=selectors_links.dependency_words(dep),
        what="The dependency will be removed from both items. Its history keeps a record of "
        "it, and of who removed it.",
        crumbs=_item_crumbs(item),
        cancel=selectors_links.item_url(item),
        refusal=_locked_message(item.plan),
    )


# ---------------------------------------------------------------------------------------------
# Lineage
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def lineage_create(request, pk: int):
    item = _item(request, pk)

    def make(data, current):
        return LineageForm(data, instance=Lineage(item=item), item=item, user=request.user)

    def write(form):
        services_links.lineage_create(
            item=item,
            by=request.user,
            data=form.service_data(),
            submission_token=form.cleaned_data.get("submission_token", ""),
        )

    return _form_view(
        request,
        make_form=make,
        write=write,
        done=selectors_links.item_url(item),
        saved="The item's lineage has been recorded.",
        heading="Record a merge, split or replacement",
        caption=f"{item.reference} {item.title}",
        crumbs=_item_crumbs(item),
        cancel=selectors_links.item_url(item),
        locked=_locked_message(item.plan),
        intro="Both items show it: this one as “Merged into …”, the other as “Absorbed …”.",
    )


@require_http_methods(["GET", "POST"])
def lineage_edit(request, pk: int):
    entry = _lineage(request, pk)
    item = entry.item

    def make(data, current):
        return LineageForm(data, instance=copy.copy(current or entry), item=item, user=request.user)

    def write(form):
        services_links.lineage_update(
            lineage=entry,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            data=form.service_data(),
            submission_token=form.cleaned_data.get("submission_token", ""),
        )

    return _form_view(
        request,
        make_form=make,
        write=write,
        done=selectors_links.item_url(item),
        saved="The item's lineage has been saved.",
        heading="Change this merge, split or replacement",
        caption=f"{item.reference} {item.title}",
        crumbs=_item_crumbs(item),
        cancel=selectors_links.item_url(item),
        locked=_locked_message(item.plan),
    )


@require_http_methods(["GET", "POST"])
def lineage_delete(request, pk: int):
    entry = _lineage(request, pk)
    item = entry.item
    return _delete_view(
        request,
        version=entry.version,
        write=lambda version: services_links.lineage_delete(
            lineage=entry, by=request.user, expected_version=version
        ),
        done=selectors_links.item_url(item),
        deleted="The record has been removed from both items.",
        heading="Remove this record",
        caption=f"{item.reference} {entry.get_kind_display().lower()} {entry.other.reference}",
        what="Neither item will show it any more. Its history keeps a record of it.",
        crumbs=_item_crumbs(item),
        cancel=selectors_links.item_url(item),
        refusal=_locked_message(item.plan),
    )


# ---------------------------------------------------------------------------------------------
# Risks of an item
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def item_risks(request, pk: int):
    item = _item(request, pk)
    queryset = selectors_links.linkable_risks(item)
    done = selectors_links.item_url(item)
    saved = "The item's risks have been saved."
    form = ItemRisksForm(request.POST or None, item=item, queryset=queryset)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services_links.item_risks_set(
                item=item,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                risks=form.cleaned_data["risks"],
            )
        except StaleEditError as error:
            stale = error
            data = request.POST.copy()
            data["version"] = error.current.version
            form = ItemRisksForm(data, item=error.current, queryset=queryset)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect(done)
    status = 409 if stale else (400 if form.errors else 200)
    return TemplateResponse(
        request,
        FORM,
        {
            "form": form,
            "stale": stale,
            "page_heading": "Risks of this item",
            "caption": f"{item.reference} {item.title}",
            "intro": "Tick the risks of the register this item carries; untick one to unlink "
            "it. The risks stay in the register.",
            "breadcrumbs": _item_crumbs(item),
            "cancel": done,
            "locked": _locked_message(item.plan),
            "register_url": reverse("assurance:register", args=[item.plan.organisation.slug]),
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# Governance
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def governance(request, org: str):
    organisation = permissions.organisation_for(request.user, Action.VIEW, org)
    return TemplateResponse(
        request,
        "delivery/links/governance.html",
        {
            "organisation": organisation,
            "governance": selectors_links.organisation_governance(organisation, request.user),
            "can_edit": permissions.has_permission(request.user, Action.EDIT_PLAN, organisation.pk),
            "breadcrumbs": [{"text": "Home", "href": reverse("planning:home")}],
        },
    )


@require_http_methods(["GET"])
def plan_governance(request, slug: str):
    plan = permissions.plan_for(request.user, Action.VIEW, slug)
    return TemplateResponse(
        request,
        "delivery/links/governance.html",
        {
            "organisation": plan.organisation,
            "plan": plan,
            "governance": selectors_links.plan_governance(plan, request.user),
            "can_edit": permissions.has_permission(
                request.user, Action.EDIT_PLAN, plan.organisation_id
            ),
            "breadcrumbs": _plan_crumbs(plan)[:2],
        },
    )


def _governance_url(organisation) -> str:
    return reverse("delivery:governance", args=[organisation.slug])


@require_http_methods(["GET", "POST"])
def body_create(request, org: str):
    organisation = permissions.organisation_for(request.user, Action.EDIT_PLAN, org)

    def make(data, current):
        return BodyForm(
            data,
            instance=GovernanceBody(organisation=organisation),
            organisation=organisation,
            user=request.user,
        )

    def write(form):
        services_links.body_create(
            organisation=organisation,
            by=request.user,
            data=form.service_data(),
            submission_token=form.cleaned_data.get("submission_token", ""),
        )

    return _form_view(
        request,
        make_form=make,
        write=write,
        done=_governance_url(organisation),
        saved="The body has been added.",
        heading="Add a governance body",
        caption=organisation.display_name,
        crumbs=_governance_crumbs(organisation),
        cancel=_governance_url(organisation),
    )


@require_http_methods(["GET", "POST"])
def body_edit(request, pk: int):
    body = selectors_links.body_for(request.user, Action.EDIT_PLAN, pk)
    organisation = body.organisation

    def make(data, current):
        return BodyForm(
            data,
            instance=copy.copy(current or body),
            organisation=organisation,
            user=request.user,
        )

    def write(form):
        services_links.body_update(
            body=body,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            data=form.service_data(),
            submission_token=form.cleaned_data.get("submission_token", ""),
        )

    return _form_view(
        request,
        make_form=make,
        write=write,
        done=_governance_url(organisation),
        saved="The body has been saved.",
        heading=f"Change {body.name}",
        caption=organisation.display_name,
        crumbs=_governance_crumbs(organisation),
        cancel=_governance_url(organisation),
    )


@require_http_methods(["GET", "POST"])
def body_delete(request, pk: int):
    body = selectors_links.body_for(request.user, Action.EDIT_PLAN, pk)
    organisation = body.organisation
    return _delete_view(
        request,
        version=body.version,
        write=lambda version: services_links.body_delete(
            body=body, by=request.user, expected_version=version
        ),
        done=_governance_url(organisation),
        deleted=f"{body.name} has been deleted.",
        heading=f"Delete {body.name}",
        caption=organisation.display_name,
        what="The body will be removed from the governance structure. Its history keeps a "
        "record of it.",
        crumbs=_governance_crumbs(organisation),
        cancel=_governance_url(organisation),
        refusal=services_links.body_delete_refusal(body) or "",
    )


@require_http_methods(["GET", "POST"])
def decision_create(request, pk: int):
    body = selectors_links.body_for(request.user, Action.EDIT_PLAN, pk)
    organisation = body.organisation

    def make(data, current):
        return DecisionForm(data, instance=Decision(body=body), body=body, user=request.user)

    def write(form):
        services_links.decision_create(
            body=body,
            by=request.user,
            data=form.service_data(),
            submission_token=form.cleaned_data.get("submission_token", ""),
        )

    return _form_view(
        request,
        make_form=make,
        write=write,
        done=_governance_url(organisation) + "#decisions",
        saved="The decision has been logged.",
        heading="Log a decision",
        caption=body.name,
        crumbs=_governance_crumbs(organisation),
        cancel=_governance_url(organisation),
    )


@require_http_methods(["GET", "POST"])
def decision_edit(request, pk: int):
    decision = _decision(request, pk)
    body = decision.body
    organisation = body.organisation

    def make(data, current):
        return DecisionForm(
            data, instance=copy.copy(current or decision), body=body, user=request.user
        )

    def write(form):
        services_links.decision_update(
            decision=decision,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            data=form.service_data(),
            submission_token=form.cleaned_data.get("submission_token", ""),
        )

    return _form_view(
        request,
        make_form=make,
        write=write,
        done=_governance_url(organisation) + "#decisions",
        saved="The decision has been saved.",
        heading="Change this decision",
        caption=body.name,
        crumbs=_governance_crumbs(organisation),
        cancel=_governance_url(organisation),
    )


@require_http_methods(["GET", "POST"])
def decision_delete(request, pk: int):
    decision = _decision(request, pk)
    organisation = decision.body.organisation
    return _delete_view(
        request,
        version=decision.version,
        write=lambda version: services_links.decision_delete(
            decision=decision, by=request.user, expected_version=version
        ),
        done=_governance_url(organisation) + "#decisions",
        deleted="The decision has been removed from the log.",
        heading="Remove this decision",
        caption=f"{decision.body.name}, {decision.date:%d %B %Y}",
        what="The decision will be removed from the log. Its history keeps a record of it.",
        crumbs=_governance_crumbs(organisation),
        cancel=_governance_url(organisation),
    )
