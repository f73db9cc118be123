from django.urls import path

from objectives import views

app_name = "objectives"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("objectives/", views.objective_list, name="list"),
    path("objectives/export.csv", views.objective_export, {"fmt": "csv"}, name="export_csv"),
    path("objectives/export.xlsx", views.objective_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("objectives/<int:pk>/", views.objective_detail, name="detail"),
    path("objectives/<int:pk>/update/", views.objective_update, name="update"),
]
