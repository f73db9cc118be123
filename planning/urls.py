from django.urls import path

from planning import (
    calendar_views,
    editing_views,
    session_views,
    views,
    views_lifecycle,
    views_versions,
)

app_name = "planning"

urlpatterns = [
    path("", views.home, name="home"),
    path("session/status", session_views.session_status, name="session_status"),
    path("session/keep-alive", session_views.session_keep_alive, name="session_keep_alive"),
    path("start/", views.landing, name="landing"),
    path("plans/<slug:slug>/details/", views_lifecycle.plan_details, name="plan_details"),
    path("plans/<slug:slug>/status/<str:step>/", views_lifecycle.plan_step, name="plan_step"),
    path("plans/<slug:slug>/versions/", views_versions.plan_versions, name="plan_versions"),
    path("plans/<slug:slug>/roll-forward/", views_lifecycle.roll_forward, name="roll_forward"),
    # A planner's editing pages for the plan's lists (planning.ordering).
    path("plans/<slug:slug>/edit/<slug:kind>/", editing_views.edit_list, name="edit_list"),
    path("plans/<slug:slug>/edit/<slug:kind>/add", editing_views.edit_add, name="edit_add"),
    path(
        "plans/<slug:slug>/edit/<slug:kind>/<int:pk>/",
        editing_views.edit_item,
        name="edit_item",
    ),
    path(
        "plans/<slug:slug>/edit/<slug:kind>/<int:pk>/move",
        editing_views.edit_move,
        name="edit_move",
    ),
    path(
        "plans/<slug:slug>/edit/<slug:kind>/<int:pk>/delete",
        editing_views.edit_delete,
        name="edit_delete",
    ),
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
