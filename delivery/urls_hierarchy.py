"""URLs of the delivery app's hierarchy pages (joined in delivery/urls.py)."""

from django.urls import path

from delivery import views_hierarchy as views

urlpatterns: list = [
    path("plans/<slug:slug>/delivery/", views.tree, name="tree"),
    path("plans/<slug:slug>/delivery/benefits/", views.benefits, name="benefits"),
    path("plans/<slug:slug>/delivery/new/", views.item_create, name="item_create"),
    path("delivery/items/<int:pk>/", views.item_detail, name="item"),
    path("delivery/items/<int:pk>/update/", views.item_update, name="item_update"),
    path("delivery/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("delivery/items/<int:pk>/move/", views.item_move, name="item_move"),
    path("delivery/items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("delivery/items/<int:pk>/figures/new/", views.figure_create, name="figure_create"),
    path("delivery/figures/<int:pk>/edit/", views.figure_edit, name="figure_edit"),
    path("delivery/figures/<int:pk>/delete/", views.figure_delete, name="figure_delete"),
]
