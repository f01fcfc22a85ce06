from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.upcoming_events, name="upcoming"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/calendar.ics", views.event_calendar, name="calendar"),
    path("directory/suggest", views.directory_suggest, name="directory_suggest"),
]
