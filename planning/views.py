"""The home page and the plan page. Reads come from planning.selectors; access from the
QuerySets' for_user(), so a plan of another organisation is simply not found (404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from planning import selectors
from planning.models import Organisation, Plan


def home(request):
    organisations = Organisation.objects.for_user(request.user).with_plans()
    return TemplateResponse(request, "planning/home.html", {"organisations": organisations})


def plan_detail(request, slug):
    plan = get_object_or_404(Plan.objects.for_user(request.user).with_structure(), slug=slug)
    return TemplateResponse(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "page": selectors.plan_page(plan),
            "breadcrumbs": [{"text": "Home", "href": reverse("planning:home")}],
        },
    )
