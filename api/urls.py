from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import SimpleRouter

from .views.contacts import ContactImportViewSet, ContactListViewSet, ContactViewSet
from .views.events import (
    EventViewSet,
    HostViewSet,
    ResourceViewSet,
    SessionViewSet,
    SpeakerViewSet,
)
from .views.guest_list import GuestListViewSet
from .views.invitations import InvitationDeclineView, InvitationView
from .views.messages import MessageViewSet
from .views.organizations import MemberViewSet, OrganizationViewSet, TeamInvitationViewSet

app_name = "api"

EVENT = r"events/(?P<event_slug>[^/.]+)"

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
TEAM = r"organizations/(?P<organization_pk>\d+)"
router.register(f"{TEAM}/members", MemberViewSet, basename="team-member")
router.register(f"{TEAM}/invitations", TeamInvitationViewSet, basename="team-invitation")
router.register("events", EventViewSet, basename="event")
router.register(f"{EVENT}/hosts", HostViewSet, basename="event-host")
router.register(f"{EVENT}/speakers", SpeakerViewSet, basename="event-speaker")
router.register(f"{EVENT}/sessions", SessionViewSet, basename="event-session")
router.register(f"{EVENT}/resources", ResourceViewSet, basename="event-resource")
router.register(f"{EVENT}/messages", MessageViewSet, basename="event-message")
router.register("contacts", ContactViewSet, basename="contact")
router.register("contact-lists", ContactListViewSet, basename="contact-list")
router.register("imports", ContactImportViewSet, basename="contact-import")
router.register(f"{EVENT}/invitations", GuestListViewSet, basename="event-invitation")

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
