"""Top-level URLs: each app mounts its own, under its own namespace."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from planning.signin import SignInForm


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("planning.urls")),
    path("", include("reporting.urls")),
    path("", include("objectives.urls")),
    path("", include("reporting.documents.urls")),
    path("", include("kpis.urls")),
    path("budgets/", include("budgets.urls")),
]
