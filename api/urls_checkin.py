"""API routes for the checkin part of registration."""

from django.urls import path

from .views.checkin import AttendanceImportView, CheckInView

urlpatterns = [
    path("events/<slug:event_slug>/checkins/", CheckInView.as_view(), name="event-checkin"),
    path(
        "events/<slug:event_slug>/attendance/import/",
        AttendanceImportView.as_view(),
        name="event-attendance-import",
    ),
]
