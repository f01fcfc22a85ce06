"""The check-in desk and the attendance import, under /workspace/."""

from django.urls import path

from . import checkin_views as views

app_name = "checkin"

urlpatterns = [
    path("events/<slug:slug>/check-in/", views.desk, name="desk"),
    path(
        "events/<slug:slug>/check-in/<int:registration_id>/",
        views.check_in_registrant,
        name="registrant",
    ),
    path("events/<slug:slug>/attendance/", views.attendance_report, name="attendance"),
]
