"""Objectives and actions: the table, exports, the item page and progress updates.

Views stay thin: permissions come from planning.permissions, reads from selectors, writes
from services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from objectives import exports, selectors
from objectives.filters import (
    InvalidFilters,
    filter_summary,
    objective_filter,
    valid_objective_filter,
)
from objectives.forms import ProgressUpdateForm
from objectives.services import progress_update_create
from objectives.tables import ObjectiveTable
from planning import idempotency, lifecycle, page_cache, permissions, reporting_window
from planning.concurrency import StaleEditError
from planning.permissions import Action

PAGE_SIZE = 50


def _crumbs(*items):
    return [{"text": "Home", "href": reverse("planning:home")}, *items]


def _filtered(request):
    return objective_filter(request.user, request.GET, for_table=True)


def objective_list(request):
    def body() -> str:
        filterset = _filtered(request)
        table = ObjectiveTable(filterset.qs)
        RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
        # Filtered to one plan its planner may edit: offer to add an item to it.
        chosen = filterset.form.cleaned_data.get("plan") if filterset.is_valid() else None
        may_add = chosen is not None and permissions.has_permission(
            request.user, Action.EDIT_PLAN, chosen.organisation_id
        )
        return render_to_string(
            "objectives/_objective_list_body.html",
            {
                "add_to_plan": chosen if may_add else None,
                "filter": filterset,
                "table": table,
                "can_export": permissions.may_anywhere(request.user, Action.EXPORT),
                "query_string": request.GET.urlencode(),
            },
            request=request,
        )

    # The same page for every reader who may view, edit and export in the same organisations
    # and asks the same query: kept under the content version (planning.page_cache).
    reach = permissions.reach(request.user, Action.VIEW, Action.EDIT_PLAN, Action.EXPORT)
    query = tuple(sorted(request.GET.lists()))
    return TemplateResponse(
        request,
        "objectives/objective_list.html",
        {
            "body": page_cache.PageCache().html("objectives-table", reach, query, render=body),
            "breadcrumbs": _crumbs(),
        },
    )


def objective_export(request, fmt: str):
    """The rows as filtered on screen, from the organisations where the user may export."""
    if not permissions.may_anywhere(request.user, Action.EXPORT):
        raise PermissionDenied("Your role does not allow exports.")
    try:
        filterset = valid_objective_filter(request.user, request.GET)
    except InvalidFilters as error:
        if error.names_unknown_record:
            raise Http404("No such record.") from error
        return HttpResponseBadRequest(
            f"The filters are not valid: {error}", content_type="text/plain; charset=utf-8"
        )
    queryset = filterset.qs.order_by("plan", "order").filter(
        plan__organisation__in=permissions.organisations_where(request.user, Action.EXPORT)
    )
    filters = filter_summary(filterset) if filterset.is_valid() else []
    plan = filterset.form.cleaned_data.get("plan") if filterset.is_valid() else None
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(queryset), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(queryset, title=exports.export_title(plan, filters)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    filename = exports.export_filename(plan, filters, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _kept_part(pages, name: str, objective, *parts, context=None):
    """A part of the item page kept under the content version (planning.page_cache), keyed by
    the item and ``parts`` (what differs between the readers who see it, never who they are):
    templates/objectives/_<name>.html ("item-…" → "_item_…"), drawn from ``context()`` (by
    default the item with its particulars) only when no copy is kept. A callable, which the
    template calls only where it draws it."""
    template = f"objectives/_{name.replace('-', '_')}.html"
    context = context or (lambda: {"objective": selectors.with_details(objective)})
    return pages.part(
        name, objective.pk, *parts, render=lambda: render_to_string(template, context())
    )


def _audit_part(pages, objective):
    """The item's audit trail, the same for everybody who may read it. Keyed by its history's
    count and last record besides the content version: a save that changed nothing leaves the
    version where it was but still adds a record, which the trail shows."""
    return _kept_part(
        pages,
        "item-audit",
        objective,
        selectors.history_mark(objective),
        context=lambda: {"audit": selectors.audit_trail(objective)},
    )


def _detail_context(request, objective, form=None, stale=None, *, pages=None, whole_page=True):
    """``whole_page``: False for the htmx partial (the form and the history only), which
    draws neither the particulars nor the audit trail, so the trail's query is not run."""
    pages = pages or page_cache.PageCache()
    can_update = permissions.can_update_objective(request.user, objective)
    if can_update and form is None:
        form = ProgressUpdateForm(objective=objective)
    can_audit = permissions.has_permission(
        request.user, Action.VIEW_AUDIT, objective.plan.organisation_id
    )
    today = timezone.localdate()
    calendar = reporting_window.for_plan(
        objective.plan, any_reopened=objective.has_reopened_quarter
    )
    updates = selectors.update_history(request.user, objective, today, calendar)
    # The item's particulars and KPIs are the same for every reader: kept under the content
    # version (planning.page_cache), their relations read only when the copy is missing. Each
    # a callable, which the template calls only where it draws it (not in the htmx partial).
    return {
        "objective": objective,
        "plan": objective.plan,
        "summary": _kept_part(pages, "item-summary", objective),
        "linked_kpis": _kept_part(pages, "item-kpis", objective),
        # The same for every reader who may correct the same of its updates (the Correct and
        # Withdraw links): keyed by those flags.
        "history": _kept_part(
            pages,
            "item-history",
            objective,
            tuple(update.may_correct for update in updates),
            context=lambda: {"updates": updates},
        ),
        "open_quarters": calendar.open_quarters(today),
        "can_update": can_update,
        # Milestones are content: added and changed only while the plan is editable.
        "can_change_milestones": can_update and lifecycle.is_editable(objective.plan),
        "form": form if can_update else None,
        "stale": stale,
        "can_audit": can_audit,
        # Made with the other parts, so that the page reads all their copies in one round trip.
        "audit": _audit_part(pages, objective) if can_audit and whole_page else None,
        "breadcrumbs": _crumbs(
            {"text": str(objective.plan), "href": objective.plan.get_absolute_url()},
            {"text": "Objectives and actions", "href": reverse("objectives:list")},
        ),
    }


def objective_detail(request, pk: int):
    pages = page_cache.PageCache()  # the content version, read once for the whole page
    objective = selectors.objective_for_page(request.user, pk, pages=pages)
    return TemplateResponse(
        request,
        "objectives/objective_detail.html",
        _detail_context(request, objective, pages=pages),
    )


@require_http_methods(["GET", "POST"])
def objective_update(request, pk: int):
    pages = page_cache.PageCache()  # the content version, read once for the whole page
    objective = selectors.objective_for_page(request.user, pk, pages=pages)
    permissions.require_objective_update(request.user, objective)
    stale = None
    if request.method == "POST":
        if idempotency.already_used(idempotency.token_from(request.POST), user=request.user):
            return _update_saved(request, pk)  # the same form again: answer as the first time
        form = ProgressUpdateForm(request.POST, objective=objective)
        if form.is_valid():
            try:
                progress_update_create(
                    objective=objective, by=request.user, **form.service_kwargs()
                )
            except idempotency.DuplicateSubmission:
                return _update_saved(request, pk)
            except StaleEditError as error:
                stale = error
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                return _update_saved(request, pk)
    else:
        form = ProgressUpdateForm(objective=objective)
    if stale is not None:
        # Re-read so the page shows the other person's change beside the refused form (under
        # the version it raised, which may be newer than this request's first read).
        pages = page_cache.PageCache()
        objective = selectors.objective_for_page(request.user, pk, pages=pages)
        data = request.POST.copy()
        data["version"] = objective.version  # resubmitting now means "mine still stands"
        form = ProgressUpdateForm(data, objective=objective)
        form.is_valid()
    context = _detail_context(
        request, objective, form=form, stale=stale, pages=pages, whole_page=not request.htmx
    )
    template = "objectives/_progress.html" if request.htmx else "objectives/objective_update.html"
    status = 409 if stale is not None else (200 if request.method == "GET" else 400)
    if request.htmx:
        status = 200  # htmx swaps only 2xx responses; the partial itself shows the problem
    return TemplateResponse(request, template, context, status=status)


def _update_saved(request, pk: int):
    if not request.htmx:
        # The item page, asked next, reads the item itself. Reading it here as well only
        # warmed the cache for that request, and under steady writes another save has
        # usually raised the version by the time it comes (issue 17's load test).
        messages.success(request, "Your progress update has been saved.")
        return redirect("objectives:detail", pk=pk)
    pages = page_cache.PageCache()  # read after the save: the version it raised
    objective = selectors.objective_for_page(request.user, pk, pages=pages)
    context = _detail_context(request, objective, pages=pages, whole_page=False)
    context["saved"] = True
    return TemplateResponse(request, "objectives/_progress.html", context)


def my_work(request):
    return TemplateResponse(
        request,
        "objectives/my_work.html",
        {"work": selectors.my_work(request.user), "breadcrumbs": _crumbs()},
    )
