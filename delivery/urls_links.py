"""URLs of the delivery app's links pages (joined in delivery/urls.py): dependencies, lineage,
an item's risks, governance bodies and their decisions."""

from django.urls import path

from delivery import views_links as views

urlpatterns: list = [
    path("plans/<slug:slug>/delivery/dependencies/", views.dependencies, name="dependencies"),
    path("plans/<slug:slug>/delivery/governance/", views.plan_governance, name="plan_governance"),
    path(
        "delivery/items/<int:pk>/dependencies/add",
        views.dependency_create,
        name="dependency_create",
    ),
    path("delivery/dependencies/<int:pk>/edit", views.dependency_edit, name="dependency_edit"),
    path(
        "delivery/dependencies/<int:pk>/delete", views.dependency_delete, name="dependency_delete"
    ),
    path("delivery/items/<int:pk>/lineage/add", views.lineage_create, name="lineage_create"),
    path("delivery/lineage/<int:pk>/edit", views.lineage_edit, name="lineage_edit"),
    path("delivery/lineage/<int:pk>/delete", views.lineage_delete, name="lineage_delete"),
    path("delivery/items/<int:pk>/risks", views.item_risks, name="item_risks"),
    path("organisations/<slug:org>/governance/", views.governance, name="governance"),
    path("organisations/<slug:org>/governance/bodies/add", views.body_create, name="body_create"),
    path("delivery/bodies/<int:pk>/edit", views.body_edit, name="body_edit"),
    path("delivery/bodies/<int:pk>/delete", views.body_delete, name="body_delete"),
    path("delivery/bodies/<int:pk>/decisions/add", views.decision_create, name="decision_create"),
    path("delivery/decisions/<int:pk>/edit", views.decision_edit, name="decision_edit"),
    path("delivery/decisions/<int:pk>/delete", views.decision_delete, name="decision_delete"),
]
