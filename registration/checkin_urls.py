"""The check-in desk and the attendance import, under /workspace/."""

from django.urls import path

from . import attendance_views
from . import checkin_views as views

app_name = "checkin"

urlpatterns = [
    path("events/<slug:slug>/check-in/", views.desk, name="desk"),
    path(
        "events/<slug:slug>/check-in/<int:registration_id>/",
        views.check_in_registrant,
        name="registrant",
    ),
    path("events/<slug:slug>/attendance/", attendance_views.attendance_upload, name="attendance"),
    path(
        "events/<slug:slug>/attendance/<int:upload_id>/",
        attendance_views.attendance_preview,
        name="attendance_preview",
    ),
]
