from django.urls import path

from planning import session_views, views, views_lifecycle

app_name = "planning"

urlpatterns = [
    path("", views.home, name="home"),
    path("session/status", session_views.session_status, name="session_status"),
    path("session/keep-alive", session_views.session_keep_alive, name="session_keep_alive"),
    path("start/", views.landing, name="landing"),
    path("plans/<slug:slug>/details/", views_lifecycle.plan_details, name="plan_details"),
    path("plans/<slug:slug>/status/<str:step>/", views_lifecycle.plan_step, name="plan_step"),
]
