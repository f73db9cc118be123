from django.urls import path

from kpis import views, views_withdraw

app_name = "kpis"

urlpatterns = [
    path("plans/<slug:slug>/kpis/", views.kpi_list, name="list"),
    path("plans/<slug:slug>/kpis/new/", views.kpi_create, name="create"),
    path("plans/<slug:slug>/kpis/import/", views.measurement_import, name="import"),
    path("kpis/<int:pk>/", views.kpi_detail, name="detail"),
    path("kpis/<int:pk>/edit/", views.kpi_edit, name="edit"),
    path("kpis/<int:pk>/target/", views.kpi_target_change, name="target_change"),
    path("kpis/<int:pk>/measurements/new/", views.measurement_create, name="measurement_create"),
    path("measurements/<int:pk>/edit/", views.measurement_edit, name="measurement_edit"),
    path(
        "measurements/<int:pk>/withdraw/",
        views_withdraw.measurement_withdraw,
        name="measurement_withdraw",
    ),
]
