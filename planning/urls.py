from django.urls import path

from planning import calendar_views, session_views, views

app_name = "planning"

urlpatterns = [
    path("", views.home, name="home"),
    path("session/status", session_views.session_status, name="session_status"),
    path("session/keep-alive", session_views.session_keep_alive, name="session_keep_alive"),
    path("start/", views.landing, name="landing"),
    path(
        "plans/<slug:slug>/reporting-calendar/",
        calendar_views.reporting_calendar,
        name="reporting_calendar",
    ),
    path(
        "plans/<slug:slug>/reporting-calendar/<str:quarter>/reopen/",
        calendar_views.quarter_reopen,
        name="quarter_reopen",
    ),
    path(
        "plans/<slug:slug>/reporting-calendar/<str:quarter>/lock/",
        calendar_views.quarter_relock,
        name="quarter_relock",
    ),
]
