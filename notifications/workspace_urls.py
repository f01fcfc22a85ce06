from django.urls import path

from . import job_views
from . import workspace_views as views

app_name = "outbox"

urlpatterns = [
    path("events/<slug:slug>/messages/", views.outbox, name="outbox"),
    path(
        "events/<slug:slug>/messages/progress/",
        job_views.fanout_progress,
        name="fanout_progress",
    ),
    path(
        "events/<slug:slug>/messages/<int:message_id>/retry/",
        views.message_retry,
        name="message_retry",
    ),
    path(
        "events/<slug:slug>/messages/templates/",
        views.message_template_list,
        name="template_list",
    ),
    path(
        "events/<slug:slug>/messages/templates/<slug:kind>/",
        views.message_template_edit,
        name="template_edit",
    ),
]
