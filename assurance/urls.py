from django.urls import path

from assurance import exports, views

app_name = "assurance"

urlpatterns = [
    path("organisations/<slug:org>/risks/", views.register, name="register"),
    path("organisations/<slug:org>/risks/add", views.risk_create, name="risk_create"),
    path("organisations/<slug:org>/risks/settings", views.risk_settings, name="settings"),
    path(
        "organisations/<slug:org>/risks/categories/add",
        views.category_create,
        name="category_create",
    ),
    path("organisations/<slug:org>/risks/export.xlsx", exports.register_xlsx, name="export"),
    path("organisations/<slug:org>/risks/import", exports.register_import, name="import"),
    path("risk-categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("risk-categories/<int:pk>/delete", views.category_delete, name="category_delete"),
    path("risks/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit", views.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/review", views.risk_review, name="risk_review"),
    path("risks/<int:pk>/controls/add", views.control_create, name="control_create"),
    path("risk-controls/<int:pk>/", views.control_edit, name="control_edit"),
    path("risk-controls/<int:pk>/delete", views.control_delete, name="control_delete"),
    path(
        "plans/<slug:slug>/board-assurance-framework/",
        views.board_assurance,
        name="baf",
    ),
]
