"""The delivery hierarchy's pages: a plan's tree, an item (with its progress and its money and
people by year), the planner's edits, and the plan's benefits by year and programme.

Thin, as objectives': who may comes from planning.permissions (VIEW to read; EDIT_PLAN to
change items and figures; progress through require_delivery_item_update), reads from
delivery.selectors_hierarchy, writes from delivery.services_hierarchy. Every form carries its
version (a stale save is refused with 409 and shows what changed) and a one-time token.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from delivery import selectors_hierarchy as selectors
from delivery import selectors_links
from delivery import services_hierarchy as services
from delivery.forms_hierarchy import (
    FigureDeleteForm,
    FigureForm,
    ItemForm,
    ItemVersionForm,
    UpdateForm,
)
from delivery.models import DeliveryItem, Level, YearFigure
from planning import idempotency, lifecycle, permissions
from planning.concurrency import StaleEditError
from planning.forms import VersionForm, add_errors
from planning.permissions import Action


def _url(item: DeliveryItem) -> str:
    return reverse("delivery:item", args=[item.pk])


def _crumbs(plan, item: DeliveryItem | None = None) -> list[dict]:
    crumbs = [
        {"text": "Home", "href": reverse("planning:home")},
        {"text": str(plan), "href": plan.get_absolute_url()},
        {"text": "Delivery", "href": reverse("delivery:tree", args=[plan.slug])},
    ]
    if item is not None:
        crumbs.append({"text": item.reference, "href": _url(item)})
    return crumbs


def _locked_message(plan) -> str:
    try:
        lifecycle.require_editable(plan)
    except ValidationError as error:
        return error.messages[0]
    return ""


def _status(form, stale) -> int:
    return 409 if stale else (400 if form is not None and form.errors else 200)


def _already_saved(request) -> bool:
    return request.method == "POST" and idempotency.already_used(
        idempotency.token_from(request.POST), user=request.user
    )


# --- reading ---------------------------------------------------------------------------------


def tree(request, slug: str):
    plan = permissions.plan_for(request.user, Action.VIEW, slug)
    return TemplateResponse(
        request,
        "delivery/hierarchy/tree.html",
        {
            "plan": plan,
            "roots": selectors.tree(plan),
            "can_edit": permissions.has_permission(
                request.user, Action.EDIT_PLAN, plan.organisation_id
            ),
            "locked": _locked_message(plan),
            "page_heading": "Delivery plan",
            "breadcrumbs": _crumbs(plan)[:-1],
        },
    )


def benefits(request, slug: str):
    plan = permissions.plan_for(request.user, Action.VIEW, slug)
    return TemplateResponse(
        request,
        "delivery/hierarchy/benefits.html",
        {
            "plan": plan,
            **selectors.benefits(plan),
            "page_heading": "Money and people by year",
            "breadcrumbs": _crumbs(plan),
        },
    )


def _item_context(request, item, *, form=None, stale=None) -> dict:
    plan = item.plan
    can_update = permissions.can_update_delivery_item(request.user, item)
    if can_update and form is None:
        form = UpdateForm(item=item)
    return {
        "plan": plan,
        "item": item,
        "level": Level(item.level),
        "ancestors": selectors.ancestors(item),
        "figures": selectors.figure_rows(item),
        "can_update": can_update,
        "can_edit": permissions.has_permission(
            request.user, Action.EDIT_PLAN, plan.organisation_id
        ),
        "locked": _locked_message(plan),
        "form": form if can_update else None,
        "stale": stale,
        "breadcrumbs": _crumbs(plan),
        # Dependencies, lineage, governance and risks (delivery.selectors_links).
        "links": selectors_links.item_links(item, request.user),
        "can_edit_links": selectors_links.can_edit_links(request.user, plan),
    }


def item_detail(request, pk: int):
    item = selectors.item_for_page(request.user, pk)
    return TemplateResponse(request, "delivery/hierarchy/item.html", _item_context(request, item))


@require_http_methods(["GET", "POST"])
def item_update(request, pk: int):
    """A progress update. A stale one is refused (409) with the updates made since."""
    item = selectors.item_for_page(request.user, pk)
    permissions.require_delivery_item_update(request.user, item)
    done = "Your progress update has been saved."
    if _already_saved(request):
        messages.success(request, done)
        return redirect(_url(item))
    form = UpdateForm(request.POST or None, item=item)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_create(item=item, by=request.user, **form.service_kwargs())
        except idempotency.DuplicateSubmission:
            messages.success(request, done)
            return redirect(_url(item))
        except StaleEditError as error:
            stale = error
            item = selectors.item_for_page(request.user, pk)
            data = request.POST.copy()
            data["version"] = item.version  # posting again now means "mine still stands"
            form = UpdateForm(data, item=item)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_url(item))
    return TemplateResponse(
        request,
        "delivery/hierarchy/update.html",
        {**_item_context(request, item, form=form, stale=stale), "page_heading": "Update progress"},
        status=_status(form, stale),
    )


# --- a planner's edits -----------------------------------------------------------------------


def _item_to_edit(request, pk: int) -> DeliveryItem:
    item = get_object_or_404(
        DeliveryItem.objects.filter(
            plan__organisation__in=permissions.organisations_where(request.user, Action.VIEW)
        ).select_related("plan", "plan__organisation"),
        pk=pk,
    )
    permissions.require_plan(request.user, Action.EDIT_PLAN, item.plan)
    return item


def _form_page(request, plan, form, *, heading, item=None, stale=None):
    return TemplateResponse(
        request,
        "delivery/hierarchy/item_form.html",
        {
            "plan": plan,
            "item": item,
            "form": form,
            "stale": stale,
            "locked": _locked_message(plan),
            "page_heading": heading,
            "breadcrumbs": _crumbs(plan, item),
        },
        status=_status(form, stale),
    )


@require_http_methods(["GET", "POST"])
def item_create(request, slug: str):
    plan = permissions.plan_for(request.user, Action.EDIT_PLAN, slug)
    if _already_saved(request):
        return redirect("delivery:tree", plan.slug)
    parent = None
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit() and len(parent_id) < 12:
        parent = DeliveryItem.objects.filter(plan=plan, pk=int(parent_id)).first()
    form = ItemForm(request.POST or None, plan=plan, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                plan=plan,
                by=request.user,
                data=form.service_data(),
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            return redirect("delivery:tree", plan.slug)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{item.reference} has been added to the delivery plan.")
            return redirect(_url(item))
    return _form_page(request, plan, form, heading="Add a delivery item")


@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    item = _item_to_edit(request, pk)
    plan = item.plan
    saved = "The item has been saved."
    if _already_saved(request):
        messages.success(request, saved)
        return redirect(_url(item))
    # The form edits a copy: an invalid submission must not change the page's item.
    form = ItemForm(request.POST or None, instance=copy.copy(item), plan=plan)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_update(
                item=item,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            messages.success(request, saved)
            return redirect(_url(item))
        except StaleEditError as error:
            stale = error
            current = DeliveryItem.objects.select_related("plan").get(pk=item.pk)
            data = request.POST.copy()
            data["version"] = current.version
            form = ItemForm(data, instance=copy.copy(current), plan=plan)
            form.is_valid()
            item = current
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect(_url(item))
    return _form_page(request, plan, form, heading="Change this item", item=item, stale=stale)


@require_POST
def item_move(request, pk: int):
    item = _item_to_edit(request, pk)
    form = VersionForm(request.POST)
    direction = request.POST.get("direction")
    back = reverse("delivery:tree", args=[item.plan.slug]) + f"#item-{item.pk}"
    if not form.is_valid() or direction not in ("up", "down"):
        messages.error(request, "The item was not moved: reload the page and try again.")
        return redirect(back)
    try:
        moved = services.item_move(
            item=item,
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
            messages.success(request, f"{item.reference} has been moved {direction}.")
        else:
            place = "first" if direction == "up" else "last"
            messages.info(request, f"{item.reference} is already {place} under its parent.")
    return redirect(back)


@require_http_methods(["GET", "POST"])
def item_delete(request, pk: int):
    item = _item_to_edit(request, pk)
    plan = item.plan
    refusal = _locked_message(plan) or services.delete_refusal(item)
    form = ItemVersionForm(request.POST or None, version=item.version)
    stale = None
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.item_delete(
                item=item, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except StaleEditError as error:
            stale = error
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"“{item}” has been deleted.")
            return redirect("delivery:tree", plan.slug)
    status = 400 if refusal and request.method == "POST" else _status(form, stale)
    return TemplateResponse(
        request,
        "delivery/hierarchy/item_delete.html",
        {
            "plan": plan,
            "item": item,
            "form": None if refusal else form,
            "refusal": refusal,
            "stale": stale,
            "page_heading": "Delete this item",
            "breadcrumbs": _crumbs(plan, item),
        },
        status=status,
    )


# --- money and people by year ----------------------------------------------------------------


def _figure_to_edit(request, pk: int) -> YearFigure:
    figure = get_object_or_404(
        YearFigure.objects.filter(
            item__plan__organisation__in=permissions.organisations_where(request.user, Action.VIEW)
        ).select_related("item", "item__plan", "item__plan__organisation"),
        pk=pk,
    )
    permissions.require_plan(request.user, Action.EDIT_PLAN, figure.item.plan)
    return figure


def _figure_page(request, item, form, *, heading, figure=None, stale=None, template="figure_form"):
    return TemplateResponse(
        request,
        f"delivery/hierarchy/{template}.html",
        {
            "plan": item.plan,
            "item": item,
            "figure": figure,
            "form": form,
            "stale": stale,
            "locked": _locked_message(item.plan),
            "page_heading": heading,
            "breadcrumbs": _crumbs(item.plan, item),
        },
        status=_status(form, stale),
    )


def _figures_url(item) -> str:
    return _url(item) + "#figures"


@require_http_methods(["GET", "POST"])
def figure_create(request, pk: int):
    item = _item_to_edit(request, pk)
    done = "The figure has been added."
    if _already_saved(request):
        messages.success(request, done)
        return redirect(_figures_url(item))
    form = FigureForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_create(
                item=item,
                by=request.user,
                data=form.service_data(),
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            messages.success(request, done)
            return redirect(_figures_url(item))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_figures_url(item))
    return _figure_page(request, item, form, heading="Add money or people by year")


@require_http_methods(["GET", "POST"])
def figure_edit(request, pk: int):
    figure = _figure_to_edit(request, pk)
    item = figure.item
    done = "The figure has been saved."
    if _already_saved(request):
        messages.success(request, done)
        return redirect(_figures_url(item))
    form = FigureForm(request.POST or None, instance=copy.copy(figure), item=item)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_update(
                figure=figure,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
                submission_token=form.cleaned_data.get("submission_token", ""),
            )
        except idempotency.DuplicateSubmission:
            messages.success(request, done)
            return redirect(_figures_url(item))
        except StaleEditError as error:
            stale = error
            figure = YearFigure.objects.get(pk=figure.pk)
            data = request.POST.copy()
            data["version"] = figure.version
            form = FigureForm(data, instance=copy.copy(figure), item=item)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_figures_url(item))
    return _figure_page(request, item, form, heading="Change a figure", figure=figure, stale=stale)


@require_http_methods(["GET", "POST"])
def figure_delete(request, pk: int):
    figure = _figure_to_edit(request, pk)
    item = figure.item
    form = FigureDeleteForm(request.POST or None, version=figure.version)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_delete(
                figure=figure, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except StaleEditError as error:
            stale = error
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The figure has been deleted.")
            return redirect(_figures_url(item))
    return _figure_page(
        request,
        item,
        form,
        heading="Delete this figure",
        figure=figure,
        stale=stale,
        template="figure_delete",
    )
