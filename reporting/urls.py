from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/scorecard/", views.scorecard, name="scorecard"),
    path("audit/", views.audit, name="audit"),
]
