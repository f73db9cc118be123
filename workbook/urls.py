from django.urls import path

from workbook import views

app_name = "workbook"

urlpatterns = [
    path("plans/<slug:slug>/workbook.xlsx", views.plan_download, name="plan_download"),
    path("workbook/template.xlsx", views.template_download, name="template"),
    path(
        "organisations/<slug:organisation>/import-plan/",
        views.import_upload,
        name="import_upload",
    ),
    path(
        "organisations/<slug:organisation>/import-plan/<str:token>/",
        views.import_preview,
        name="import_preview",
    ),
    path(
        "plans/<slug:slug>/import-version/",
        views.version_upload,
        name="version_upload",
    ),
    path(
        "plans/<slug:slug>/import-version/<str:token>/",
        views.version_preview,
        name="version_preview",
    ),
]
