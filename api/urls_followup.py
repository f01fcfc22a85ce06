"""API routes for the follow-up after the event."""

from django.urls import path

from .views.followup import FollowupView

urlpatterns = [
    path("events/<slug:event_slug>/followup/", FollowupView.as_view(), name="event-followup"),
]
