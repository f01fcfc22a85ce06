from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    # The token is "<id>.<secret>", from the link in the invitation.
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("invitations/<str:token>/decline/", views.decline, name="decline"),
]
