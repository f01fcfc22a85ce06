from django.urls import path

from . import job_views, message_views
from . import workspace_views as views

app_name = "outbox"

urlpatterns = [
    path("events/<slug:slug>/messages/", views.outbox, name="outbox"),
    path(
        "events/<slug:slug>/messages/<int:message_id>/",
        message_views.message_detail,
        name="message",
    ),
    path(
        "events/<slug:slug>/messages/<int:message_id>/email.html",
        message_views.message_html,
        name="message_html",
    ),
    path(
        "events/<slug:slug>/messages/<int:message_id>/resend/",
        message_views.message_resend,
        name="message_resend",
    ),
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
