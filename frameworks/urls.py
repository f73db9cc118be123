from django.urls import path

from frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("organisations/<slug:slug>/frameworks/", views.framework_list, name="list"),
    path("organisations/<slug:slug>/frameworks/add", views.framework_create, name="create"),
    path("frameworks/<int:pk>/", views.framework_detail, name="detail"),
    path("frameworks/<int:pk>/edit", views.framework_edit, name="edit"),
    path("frameworks/<int:pk>/delete", views.framework_delete, name="delete"),
    path("frameworks/<int:pk>/competencies/add", views.competency_create, name="competency_create"),
    path("competencies/<int:pk>/edit", views.competency_edit, name="competency_edit"),
    path("competencies/<int:pk>/delete", views.competency_delete, name="competency_delete"),
    path("competencies/<int:pk>/move", views.competency_move, name="competency_move"),
    path("frameworks/<int:pk>/assessments/", views.assessment_list, name="assessments"),
    path("frameworks/<int:pk>/assessments/add", views.assessment_create, name="assessment_create"),
    path("frameworks/<int:pk>/assessments/export.csv", views.assessment_export, name="export"),
    path("frameworks/<int:pk>/assessments/import", views.assessment_import, name="import"),
    path("assessments/<int:pk>/edit", views.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/delete", views.assessment_delete, name="assessment_delete"),
    path("frameworks/<int:pk>/targets/add", views.target_create, name="target_create"),
    path("targets/<int:pk>/edit", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete", views.target_delete, name="target_delete"),
    path("plans/<slug:slug>/gap-analyses/", views.gap_list, name="gap_list"),
    path("plans/<slug:slug>/gap-analyses/add", views.gap_create, name="gap_create"),
    path("gap-analyses/<int:pk>/", views.gap_detail, name="gap_detail"),
    path("gap-analyses/<int:pk>/edit", views.gap_edit, name="gap_edit"),
    path("gap-analyses/<int:pk>/delete", views.gap_delete, name="gap_delete"),
    path("gap-analyses/<int:pk>/dimensions/add", views.dimension_create, name="dimension_create"),
    path("gap-dimensions/<int:pk>/edit", views.dimension_edit, name="dimension_edit"),
    path("gap-dimensions/<int:pk>/delete", views.dimension_delete, name="dimension_delete"),
]
