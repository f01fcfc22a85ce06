from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import SimpleRouter

from .views.events import (
    EventViewSet,
    HostViewSet,
    ResourceViewSet,
    SessionViewSet,
    SpeakerViewSet,
)
from .views.invitations import InvitationDeclineView, InvitationView
from .views.messages import MessageViewSet
from .views.organizations import OrganizationViewSet

app_name = "api"

EVENT = r"events/(?P<event_slug>[^/.]+)"

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("events", EventViewSet, basename="event")
router.register(f"{EVENT}/hosts", HostViewSet, basename="event-host")
router.register(f"{EVENT}/speakers", SpeakerViewSet, basename="event-speaker")
router.register(f"{EVENT}/sessions", SessionViewSet, basename="event-session")
router.register(f"{EVENT}/resources", ResourceViewSet, basename="event-resource")
router.register(f"{EVENT}/messages", MessageViewSet, basename="event-message")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    # Registration's endpoints, each part in its own module.
    path("", include("api.urls_registrations")),
    path("", include("api.urls_attendee")),
    path("", include("api.urls_checkin")),
    path("", include("api.urls_followup")),
    # The invitee's side, by the token in the invitation link.
    path("invitations/<str:token>/", InvitationView.as_view(), name="invitation"),
    path(
        "invitations/<str:token>/decline/",
        InvitationDeclineView.as_view(),
        name="invitation-decline",
    ),
]
