from django.urls import path

from objectives import views, views_editing, views_records

app_name = "objectives"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("objectives/", views.objective_list, name="list"),
    path("objectives/export.csv", views.objective_export, {"fmt": "csv"}, name="export_csv"),
    path("objectives/export.xlsx", views.objective_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("objectives/<int:pk>/", views.objective_detail, name="detail"),
    path("objectives/<int:pk>/update/", views.objective_update, name="update"),
    path("plans/<slug:slug>/objectives/new/", views_editing.objective_create, name="create"),
    path("objectives/<int:pk>/edit/", views_editing.objective_edit, name="edit"),
    path("objectives/<int:pk>/move/", views_editing.objective_move, name="move"),
    path("objectives/<int:pk>/delete/", views_editing.objective_delete, name="delete"),
    path("objectives/<int:pk>/close/", views_editing.objective_close, name="close"),
    path("updates/<int:pk>/correct/", views_records.update_correct, name="update_correct"),
    path("updates/<int:pk>/withdraw/", views_records.update_withdraw, name="update_withdraw"),
    path(
        "objectives/<int:pk>/milestones/new/",
        views_records.milestone_create,
        name="milestone_create",
    ),
    path("milestones/<int:pk>/edit/", views_records.milestone_edit, name="milestone_edit"),
    path(
        "milestones/<int:pk>/complete/", views_records.milestone_complete, name="milestone_complete"
    ),
    path("milestones/<int:pk>/reopen/", views_records.milestone_reopen, name="milestone_reopen"),
]
