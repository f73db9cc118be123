"""The pages that read across the apps: the plan page, the quarterly scorecard and the audit
page. Reads come from reporting.plan_page, reporting.scorecard and planning.audit; access from
planning.permissions (organisations_where, plan_for), so a plan of another organisation is simply
not found (404)."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse

from budgets.selectors import scorecard_finance
from kpis import periods
from planning import lifecycle, page_cache, permissions, versions
from planning.audit import recent_changes
from planning.forms_lifecycle import SendBackForm
from planning.fy import Quarter
from planning.models import Plan
from planning.permissions import Action
from reporting import attention, plan_page
from reporting import scorecard as scorecards
from reporting.forms import QuarterForm


def _home_crumb() -> dict:
    return {"text": "Home", "href": reverse("planning:home")}


def plan_detail(request, slug):
    visible = permissions.organisations_for_filter(request.user, Action.VIEW)
    plan = get_object_or_404(
        Plan.objects.in_organisations(visible).select_related("organisation"), slug=slug
    )
    # What needs attention this quarter: for those who run the plan (planners, administrators).
    plans_it = permissions.has_permission(request.user, Action.EDIT_PLAN, plan.organisation_id)
    panel = lifecycle.status_panel(request.user, plan)

    # The plan's content is the same for every reader: kept under the content version
    # (planning.page_cache), and read only when it is not.
    @functools.cache
    def page() -> plan_page.PlanPage:
        return plan_page.plan_page(Plan.objects.with_structure().get(pk=plan.pk))

    pages = page_cache.PageCache()
    return TemplateResponse(
        request,
        "reporting/plan_detail.html",
        {
            "plan": plan,
            "control": pages.html(
                "plan-control",
                plan.pk,
                render=lambda: render_to_string("reporting/_plan_control.html", {"page": page()}),
            ),
            "body": pages.html(
                "plan-body",
                plan.pk,
                render=lambda: render_to_string(
                    "reporting/_plan_body.html", {"plan": page().plan, "page": page()}
                ),
            ),
            "attention": attention.needs_attention(plan) if plans_it else None,
            "status_panel": panel,
            "send_back_form": SendBackForm(plan=plan) if panel and panel.may_send_back else None,
            "version_rows": versions.version_rows(plan, versions.history(plan)),
            "breadcrumbs": [_home_crumb()],
        },
    )


def scorecard(request, slug: str):
    plan = permissions.plan_for(request.user, Action.VIEW, slug)
    org = plan.organisation_id
    # The quarters with data, read once for the switcher and the default quarter, and kept
    # with the page under the content version (planning.page_cache): a new value or update
    # changes the version, so neither can be stale.
    pages = page_cache.PageCache()
    data = pages.value("scorecard-periods", plan.pk, compute=lambda: scorecards.data_periods(plan))
    quarters = scorecards.scorecard_quarters(plan, data=data)
    if "quarter" in request.GET:
        try:
            quarter = Quarter.parse(request.GET["quarter"])
        except ValueError:
            raise Http404("No such quarter.") from None
        if quarter not in quarters:
            raise Http404("That quarter is outside the plan and has no data.")
    else:
        quarter = scorecards.default_quarter(plan, data=data)
    # What differs between two readers of this plan's scorecard: these three links.
    abilities = {
        "can_edit": permissions.has_permission(request.user, Action.EDIT_PLAN, org),
        "can_enter": permissions.has_permission(request.user, Action.UPDATE_PROGRESS, org),
        "can_export": permissions.has_permission(request.user, Action.EXPORT, org),
    }

    def body() -> str:
        card = scorecards.scorecard_for(plan, quarter, quarters=quarters)
        finance = scorecard_finance(plan, quarter)
        return render_to_string(
            "reporting/_scorecard_body.html",
            {
                "plan": plan,
                "card": card,
                "finance": finance,
                "monitoring_url": (
                    reverse("budgets:monitoring", args=[plan.slug, quarter.year])
                    + f"?month={quarter.end:%Y-%m}"
                    if finance
                    else ""
                ),
                "quarter_form": QuarterForm(
                    initial={"quarter": quarter.key}, quarters=quarters, plan=plan
                ),
                "earlier_url": scorecards.scorecard_url(plan, card.earlier) if card.earlier else "",
                "later_url": scorecards.scorecard_url(plan, card.later) if card.later else "",
                **abilities,
            },
        )

    return TemplateResponse(
        request,
        "reporting/scorecard.html",
        {
            "plan": plan,
            "label": periods.quarter_label(quarter),
            "body": pages.html("scorecard", plan.pk, quarter.key, *abilities.values(), render=body),
            "breadcrumbs": [_home_crumb(), {"text": str(plan), "href": plan.get_absolute_url()}],
        },
    )


def audit(request):
    """Recent changes to plan records in the organisations where the user may audit."""
    org_ids = permissions.organisation_ids_where(request.user, Action.VIEW_AUDIT)
    if not org_ids:
        raise PermissionDenied("Only planners and administrators can see the audit trail.")
    return TemplateResponse(
        request,
        "reporting/audit.html",
        {"changes": recent_changes(org_ids, limit=100), "breadcrumbs": [_home_crumb()]},
    )
