from django.urls import path

from . import workspace_views as views

app_name = "guests"

EVENT = "events/<slug:slug>/invitations"

urlpatterns = [
    path(f"{EVENT}/", views.guest_list, name="list"),
    path(f"{EVENT}/invite/", views.invite, name="invite"),
    path(f"{EVENT}/send/", views.send, name="send"),
    path(f"{EVENT}/remind/", views.remind, name="remind"),
    path(f"{EVENT}/reminder-schedule/", views.reminder_schedule, name="reminder_schedule"),
    path(f"{EVENT}/export.csv", views.export_csv, name="export"),
    path(f"{EVENT}/<int:invitation_id>/", views.edit, name="edit"),
    path(f"{EVENT}/<int:invitation_id>/resend/", views.resend, name="resend"),
    path(f"{EVENT}/<int:invitation_id>/revoke/", views.revoke, name="revoke"),
]
