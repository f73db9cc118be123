"""The home page: the plans of the user's organisations (Organisation.objects.for_user)."""

from __future__ import annotations

from django.template.response import TemplateResponse

from planning.models import Organisation


def home(request):
    organisations = Organisation.objects.for_user(request.user).with_plans()
    return TemplateResponse(request, "planning/home.html", {"organisations": organisations})
