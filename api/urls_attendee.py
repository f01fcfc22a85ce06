"""API routes for the attendee part of registration: changes by the token in manage_url."""

from django.urls import path

from .views.attendee import CancelView, ModeSwitchView

urlpatterns = [
    path(
        "registrations/manage/<str:token>/cancel/",
        CancelView.as_view(),
        name="registration-manage-cancel",
    ),
    path(
        "registrations/manage/<str:token>/mode/",
        ModeSwitchView.as_view(),
        name="registration-manage-mode",
    ),
]
