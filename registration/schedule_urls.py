from django.urls import path

from . import schedule_views as views

app_name = "schedule"

EVENT = "events/<slug:slug>"

urlpatterns = [
    path(f"{EVENT}/reminders/", views.reminders_page, name="reminders"),
    path(f"{EVENT}/reminders/<str:key>/send/", views.reminder_send, name="reminder_send"),
    path(f"{EVENT}/follow-up/", views.followup_page, name="followup"),
    path(f"{EVENT}/follow-up/send/", views.followup_send, name="followup_send"),
    path(
        f"{EVENT}/follow-up/new-material/<int:resource_id>/",
        views.followup_note,
        name="followup_note",
    ),
]
