"""Top-level URLs: each app mounts its own, under its own namespace."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from planning.session_views import SignInView


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Our sign-in (with "Keep me signed in") comes first; the rest are Django's own.
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("planning.urls")),
    path("", include("reporting.urls")),
    path("", include("objectives.urls")),
    path("", include("reporting.documents.urls")),
    path("", include("kpis.urls")),
    path("budgets/", include("budgets.urls")),
    path("", include("people.urls")),
    path("", include("notices.urls")),
    path("", include("frameworks.urls")),
    path("", include("assurance.urls")),
    path("", include("delivery.urls")),
    path("", include("workbook.urls")),
]
