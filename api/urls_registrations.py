"""API routes for the registrations part of registration."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views.registrations import EventStatsView, QuestionViewSet, RegistrationViewSet

EVENT = r"events/(?P<event_slug>[^/.]+)"

router = SimpleRouter()
router.register(f"{EVENT}/registrations", RegistrationViewSet, basename="event-registration")
router.register(f"{EVENT}/questions", QuestionViewSet, basename="event-question")

urlpatterns = [
    path("events/<slug:event_slug>/stats/", EventStatsView.as_view(), name="event-stats"),
    *router.urls,
]
