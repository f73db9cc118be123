from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("audit/", views.audit, name="audit"),
]
