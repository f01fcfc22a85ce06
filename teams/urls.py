from django.urls import path

from . import token_views, views

app_name = "teams"

urlpatterns = [
    path("workspace/teams/", views.team_list, name="list"),
    path("workspace/teams/new/", views.team_create, name="create"),
    path("workspace/teams/<int:pk>/", views.team_detail, name="detail"),
    path(
        "workspace/teams/<int:pk>/members/<int:member_pk>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "workspace/teams/<int:pk>/members/<int:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "workspace/teams/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("workspace/tokens/", token_views.token_list, name="tokens"),
    path("workspace/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("teams/join/<str:token>/", views.join, name="join"),
]
