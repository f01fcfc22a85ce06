"""Registrations: the public registers; the organizer lists, corrects, approves, declines,
cancels and exports. Also the event's registration questions and its funnel counts.

Registering is public for events anyone may open by URL; everything else is scoped to the
caller's organizations, so another team's event is a 404. State changes go through
registration.services, one transaction each.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.mixins import EventInURLMixin
from api.permissions import EventRules
from api.serializers.registrations import (
    DecisionSerializer,
    DoorRegistrationSerializer,
    EventStatsSerializer,
    QuestionSerializer,
    RegisteredSerializer,
    RegisterSerializer,
    RegistrationSerializer,
)
from api.views.events import EventPartViewSet
from events import throttling
from events.audit import Actor
from invitations import selectors as invitation_selectors
from invitations import services as invitation_services
from registration import badges, export, organizer_selectors, selectors, services
from registration.models import AttendanceMode, Question, Registration

CONFLICT = OpenApiResponse(
    inline_serializer("RegistrationConflict", {"detail": serializers.CharField()}),
    description="The event or the registration is not in a state that allows this.",
)
EVENT_SLUG = OpenApiParameter("event_slug", str, OpenApiParameter.PATH)
FILTERS = [
    OpenApiParameter("status", enum=Registration.Status.values, description="Only this status."),
    OpenApiParameter(
        "attendance_mode", enum=AttendanceMode.values, description="Only this attendance mode."
    ),
    OpenApiParameter(
        "organization", str, description="Organization name contains this (any case)."
    ),
    OpenApiParameter("country", str, description="ISO 3166-1 alpha-2 code."),
]


def _file_response(file):
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def _conflict(refusal):
    return Response({"detail": str(refusal.reason)}, status=status.HTTP_409_CONFLICT)


class FileFormatNegotiation(DefaultContentNegotiation):
    """On the export, `?format=` names the file to make, not one of DRF's renderers; errors are
    answered in JSON, and the file itself is a plain Django response."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(parameters=[EVENT_SLUG])
@extend_schema_view(list=extend_schema(parameters=FILTERS))
class RegistrationViewSet(
    EventInURLMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The registrations of one event."""

    serializer_class = RegistrationSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_permission = "events.view_event"
    write_permission = "events.change_event"

    def get_throttles(self):
        # Registering is public and sends mail: limited per IP and per address typed.
        if self.action == "create":
            return [throttle() for throttle in throttling.REGISTERING]
        return super().get_throttles()

    def get_permissions(self):
        # Registering is public; credentials, when sent, are still checked (a bad token is a
        # 401), since a manager registering on someone's behalf is answered the private link.
        if self.action == "create":
            return [AllowAny()]
        return [IsAuthenticated(), EventRules()]

    def get_serializer_class(self):
        if self.action == "create" or getattr(self, "swagger_fake_view", False):
            return super().get_serializer_class()
        if not self.request.user.has_perm("events.view_private_details", self.event):
            return DoorRegistrationSerializer  # check-in staff: no addresses or answers
        return super().get_serializer_class()

    def perform_update(self, serializer):
        serializer.save(actor=Actor.for_request(self.request))

    def get_queryset(self):
        filters = organizer_selectors.RegistrantFilters()
        if self.action == "list":
            filters = organizer_selectors.RegistrantFilters.from_query(self.request.query_params)
        return organizer_selectors.registrants(self.event, filters)

    @extend_schema(
        summary="Register for an event (public)",
        auth=[{}, {"tokenAuth": []}, {"cookieAuth": []}],
        request=RegisterSerializer,
        responses={
            201: RegisteredSerializer,
            400: OpenApiResponse(description="A field is missing or wrong; nothing was saved."),
            404: OpenApiResponse(description="No such event open to the public."),
            409: CONFLICT,
        },
    )
    def create(self, request, event_slug):
        """Register for a published public or unlisted event. The registrant's private link is
        emailed to them; it is in the answer only when the caller is authenticated as a manager
        of the event. A second registration with the same email answers 409 and sends the
        existing registrant their link again."""
        event, questions = selectors.event_to_register_for(event_slug)
        if event is None:
            raise Http404
        request_data = RegisterSerializer(data=request.data)
        request_data.is_valid(raise_exception=True)
        fields = dict(request_data.validated_data)
        token = fields.pop("invitation_token", "")
        actor = (
            Actor.for_request(request)  # a manager registering on someone's behalf
            if request.user.is_authenticated
            else Actor.attendee(f"{fields['first_name']} {fields['last_name']}")
        )
        try:
            if token:  # the invitations app checks it and hands registration a grant
                registration = invitation_services.register_by_invitation(
                    token=token, event=event, questions=questions, actor=actor, **fields
                )
            else:
                registration = services.register(
                    event=event, questions=questions, grant=None, actor=actor, **fields
                )
        except services.RegistrationRefused as refusal:  # a duplicate too: its link went again
            return _conflict(refusal)
        show_link = request.user.is_authenticated and request.user.has_perm(
            "events.change_event", event
        )
        return Response(
            RegisteredSerializer(registration, context={"show_link": show_link}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=DecisionSerializer, responses={200: RegistrationSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, event_slug, pk):
        """Approve a registration awaiting approval: it takes a seat, or waits for one."""
        return self._decide(services.approve, note=self._note(request))

    @extend_schema(
        request=DecisionSerializer, responses={200: RegistrationSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, event_slug, pk):
        """Decline a registration; a confirmed seat is freed for the waitlist. The note goes
        into the email to the registrant."""
        return self._decide(services.decline, note=self._note(request))

    @extend_schema(
        request=DecisionSerializer, responses={200: RegistrationSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, event_slug, pk):
        """Cancel a registration on the registrant's behalf; a confirmed seat goes to the next
        person waiting in that mode. The note goes into the email to the registrant."""
        return self._decide(services.cancel, note=self._note(request))

    @staticmethod
    def _note(request):
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        return decision.validated_data.get("note", "")

    def _decide(self, service, **arguments):
        try:
            registration = service(
                registration=self.get_object(), actor=Actor.for_request(self.request), **arguments
            )
        except services.RegistrationRefused as refusal:
            return _conflict(refusal)
        return Response(self.get_serializer(registration).data)

    @extend_schema(
        parameters=[
            *FILTERS,
            OpenApiParameter(
                "format", enum=list(export.FORMATS), description="The file format; csv if absent."
            ),
            OpenApiParameter(
                "columns",
                str,
                description="Comma-separated column keys, in order: honorific, first_name, "
                "last_name, position, organization, country, country_code, email, attendance, "
                "status, registered_at, checked_in_at, session:<id>, question:<id>. All of them "
                "if absent.",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="The format is neither csv nor xlsx."),
            403: OpenApiResponse(description="Only owners and managers may export registrants."),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FileFormatNegotiation,
    )
    def export(self, request, event_slug):
        """The registrants as a CSV or XLSX file for a grounds-pass list, with the same filters
        as the list."""
        if not request.user.has_perm("events.export_registrants", self.event):
            raise PermissionDenied(
                _("Only the event's owners and managers may export registrants.")
            )
        file_format = request.query_params.get("format") or "csv"
        if file_format not in export.FORMATS:
            return Response(
                {"format": [_("Choose csv or xlsx.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        filters = organizer_selectors.RegistrantFilters.from_query(request.query_params)
        try:
            file = export.export(
                self.event,
                organizer_selectors.registrants(self.event, filters),
                file_format,
                export.column_keys(request.query_params),
            )
        except export.UnknownColumns as unknown:
            return Response({"columns": [str(unknown)]}, status=status.HTTP_400_BAD_REQUEST)
        return _file_response(file)

    @extend_schema(
        parameters=[
            OpenApiParameter("organization", str, description="Organization name contains this."),
            OpenApiParameter("country", str, description="ISO 3166-1 alpha-2 code."),
            OpenApiParameter("format", enum=["pdf", "csv"], description="pdf if absent."),
            OpenApiParameter("paper", enum=list(badges.PAPERS), description="a4 if absent."),
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            400: OpenApiResponse(
                description="A format we do not make, or a name the badge fonts cannot draw."
            ),
            403: OpenApiResponse(description="Only owners and managers may export registrants."),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FileFormatNegotiation,
    )
    def badges(self, request, event_slug):
        """Name badges of the confirmed registrants who come in person, by family name: a PDF
        of eight a page (name with honorific, organization, country) or the same list as CSV."""
        if not request.user.has_perm("events.export_registrants", self.event):
            raise PermissionDenied(
                _("Only the event's owners and managers may export registrants.")
            )
        file_format = request.query_params.get("format") or "pdf"
        if file_format not in ("pdf", "csv"):
            return Response(
                {"format": [_("Choose pdf or csv.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        filters = organizer_selectors.RegistrantFilters.from_query(request.query_params)
        try:
            file, missing = badges.export_badges(
                self.event,
                organizer_selectors.registrants(self.event, filters),
                file_format,
                paper=request.query_params.get("paper", "a4"),
            )
        except badges.BadgeFontsMissing as problem:
            return Response({"detail": str(problem)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        if missing:
            return Response(
                {"non_field_errors": [badges.missing_message(missing)]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return _file_response(file)


class QuestionViewSet(EventPartViewSet):
    """Questions every registrant answers, such as dietary needs for a working lunch."""

    queryset = Question.objects.all()
    serializer_class = QuestionSerializer
    lookup_value_regex = r"\d+"


@extend_schema(parameters=[EVENT_SLUG])
class EventStatsView(EventInURLMixin, APIView):
    """How far the event's funnel has come: invitations, registrations by status, confirmed
    seats per mode, and attendance."""

    permission_classes = [IsAuthenticated, EventRules]
    read_permission = "events.view_event"
    write_permission = "events.change_event"

    @extend_schema(responses=EventStatsSerializer)
    def get(self, request, event_slug):
        stats = organizer_selectors.event_stats(self.event)
        stats["invitations"] = invitation_selectors.funnel(self.event) | {
            "by_organization": invitation_selectors.funnel_by(self.event, "organization"),
            "by_country": invitation_selectors.funnel_by(self.event, "country"),
        }
        return Response(EventStatsSerializer(stats).data)
