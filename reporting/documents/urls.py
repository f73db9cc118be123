"""PDF exports, under the pages they export (`plans/<slug>/export/…`, `objectives/export.pdf`),
and the status and download of background exports (`exports/<ticket>/`)."""

from django.urls import path

from reporting.documents import views

app_name = "documents"

urlpatterns = [
    path("plans/<slug:slug>/export/", views.plan_exports, name="plan_exports"),
    path("plans/<slug:slug>/export/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<slug:slug>/export/board-pack.pdf", views.scorecard_pdf, name="scorecard_pdf"),
    # A delivery plan's programme report (issue 15). Here, not in delivery/urls_report.py:
    # delivery may not import reporting (tests/test_layout.py).
    path(
        "plans/<slug:slug>/export/programme-report.pdf",
        views.programme_pdf,
        name="programme_pdf",
    ),
    path("objectives/export.pdf", views.actions_pdf, name="actions_pdf"),
    path("exports/<str:token>/", views.export_status, name="status"),
    path("exports/<str:token>/download/", views.export_download, name="download"),
]
