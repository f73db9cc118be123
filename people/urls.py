from django.urls import path

from people import views, views_partnerships

app_name = "people"

urlpatterns = [
    path("people/", views.index, name="index"),
    path("people/<slug:slug>/", views.member_list, name="list"),
    path("people/<slug:slug>/not-updated/", views.not_updated, name="not_updated"),
    path("people/<slug:slug>/invite/", views.invite, name="invite"),
    path(
        "people/<slug:slug>/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("people/<slug:slug>/<int:pk>/", views.member_detail, name="member"),
    path("people/<slug:slug>/<int:pk>/role/", views.member_change, name="member_change"),
    path("people/<slug:slug>/<int:pk>/records/", views.member_people, name="member_people"),
    path(
        "people/<slug:slug>/<int:pk>/deactivate/",
        views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "people/<slug:slug>/<int:pk>/reactivate/",
        views.member_reactivate,
        name="member_reactivate",
    ),
    # The invitation's link: opened signed out (people.views.accept).
    path("invitations/<str:token>/", views.accept, name="accept"),
]

# A partnership's member organisations and its roles (people.views_partnerships).
urlpatterns += [
    path(
        "people/<slug:slug>/member-organisations/",
        views_partnerships.member_organisations,
        name="partnership_members",
    ),
    path(
        "people/<slug:slug>/member-organisations/add/",
        views_partnerships.member_organisation_add,
        name="partnership_member_add",
    ),
    path(
        "people/<slug:slug>/member-organisations/<int:pk>/remove/",
        views_partnerships.member_organisation_remove,
        name="partnership_member_remove",
    ),
    path(
        "people/<slug:slug>/partnership-role/",
        views_partnerships.role_grant,
        name="partnership_role_grant",
    ),
]
