from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from . import errors
from .views.auth import TokenView
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
from .views.log import EventLogViewSet
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
router.register(f"{EVENT}/log", EventLogViewSet, basename="event-log")
router.register("contacts", ContactViewSet, basename="contact")
router.register("contact-lists", ContactListViewSet, basename="contact-list")
router.register("imports", ContactImportViewSet, basename="contact-import")
router.register(f"{EVENT}/invitations", GuestListViewSet, basename="event-invitation")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's setup script is served as a file (the split view), not inline, for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # ReDoc styles itself with <style> elements it adds, and always shows its maker's logo
    # from their site (this one image); its scripts stay as strict as everywhere else.
    path(
        "docs/redoc/",
        csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["https://cdn.redoc.ly/redoc/"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
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
    # Last: anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"", errors.not_found),
]
