from django.urls import path

from . import directory_views, log_views
from . import workspace_views as views

app_name = "workspace"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("events/<slug:slug>/publish/", views.event_publish, name="event_publish"),
    path("events/<slug:slug>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<slug:slug>/log/", log_views.event_log, name="event_log"),
    path(
        "events/<slug:slug>/registrations/<int:registration_id>/history/",
        log_views.registration_history,
        name="registration_history",
    ),
    path("directory/", directory_views.directory, name="directory"),
]
