from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("account/notifications/", views.preferences, name="preferences"),
    path("notifications/link/<str:token>/", views.preference_link, name="preference_link"),
    path(
        "notifications/people/<int:user_id>/reminders/",
        views.member_reminders,
        name="member_reminders",
    ),
    path("plans/<slug:slug>/reminders/", views.plan_settings, name="plan_settings"),
    path("plans/<slug:slug>/board-pack/publish/", views.board_pack, name="board_pack"),
]
