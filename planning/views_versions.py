"""A plan's versions side by side: any two frozen versions, or one and the plan as it is now
(planning.versions). Anyone who may read the plan may compare its versions; a plan of another
organisation is not found (404)."""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse

from planning import permissions, versions
from planning.forms_lifecycle import CompareVersionsForm
from planning.permissions import Action


def plan_versions(request, slug: str):
    plan = permissions.plan_for(request.user, Action.VIEW, slug)
    history = versions.history(plan)
    choices = versions.choices(plan, history)
    default = versions.default_pair(plan, history)
    asked = "before" in request.GET or "after" in request.GET
    data = request.GET if asked else None
    if data is None and default:
        data = {"before": default[0], "after": default[1]}
    form = CompareVersionsForm(data, choices=choices)
    comparison = None
    if data is not None and form.is_valid():
        try:
            comparison = versions.compare(
                plan, form.cleaned_data["before"], form.cleaned_data["after"], history
            )
        except ValueError:
            raise Http404("No such version.") from None
    return TemplateResponse(
        request,
        "planning/plan_versions.html",
        {
            "plan": plan,
            "form": form,
            "comparison": comparison,
            "same": comparison is not None and comparison.before.key == comparison.after.key,
            "version_rows": versions.version_rows(plan, history),
            "can_compare": len(choices) > 1,
            "page_heading": "Compare versions",
            "breadcrumbs": [
                {"text": "Home", "href": reverse("planning:home")},
                {"text": f"{plan.title} {plan.period_label}", "href": plan.get_absolute_url()},
            ],
        },
        status=400 if form.errors else 200,
    )
