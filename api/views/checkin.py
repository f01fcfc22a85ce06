"""Check-in at the door and online attendance, for the event in the URL. Check-in staff,
managers and owners may check people in; managers and owners import attendance. Another
team's event is a 404."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.mixins import EventInURLMixin
from api.permissions import EventRules
from api.serializers.checkin import (
    AttendanceImportRequestSerializer,
    AttendanceReportSerializer,
    CheckInProblemSerializer,
    CheckInRequestSerializer,
    CheckInSerializer,
)
from events.audit import Actor
from registration import attendance, checkin

EVENT_SLUG = OpenApiParameter("event_slug", str, OpenApiParameter.PATH)


class EventActionView(EventInURLMixin, APIView):
    """A POST-only action on the event in the URL, allowed by `permission`."""

    permission_classes = [IsAuthenticated, EventRules]
    permission = ""

    @property
    def read_permission(self):
        return self.permission

    @property
    def write_permission(self):
        return self.permission


class CheckInView(EventActionView):
    permission = "events.check_in"

    @extend_schema(
        operation_id="events_checkins_create",
        parameters=[EVENT_SLUG],
        request=CheckInRequestSerializer,
        responses={
            200: CheckInSerializer,
            400: OpenApiResponse(
                description="No code given, or the start of a code that several tickets share "
                "(the message names them)."
            ),
            404: OpenApiResponse(
                CheckInProblemSerializer,
                description="No ticket with this code for this event, or a typo in the code.",
            ),
            409: OpenApiResponse(
                CheckInProblemSerializer, description="The registration is not confirmed."
            ),
        },
    )
    def post(self, request, event_slug):
        """Check in the holder of a ticket. A second check-in changes nothing and answers
        `already_checked_in: true` with the time of the first.

        The code may be typed in any case, with spaces or dashes, or only its start (four
        characters or more) when no other ticket of the event starts the same way; a start that
        several tickets share answers 400 naming them. A whole code whose check character does
        not match answers 404 saying it has a typo."""
        given = CheckInRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            registration, already = checkin.check_in(
                event=self.event,
                ticket_code=given.validated_data["ticket_code"],
                actor=Actor.for_request(request),
            )
        except checkin.TicketNotFound as unknown:
            return Response({"detail": unknown.message}, status=status.HTTP_404_NOT_FOUND)
        except checkin.AmbiguousTicketCode as ambiguous:
            return Response(
                {"ticket_code": [ambiguous.message]}, status=status.HTTP_400_BAD_REQUEST
            )
        except checkin.NotConfirmed as refusal:
            return Response({"detail": refusal.reason}, status=status.HTTP_409_CONFLICT)
        return Response(
            CheckInSerializer({"registration": registration, "already_checked_in": already}).data
        )


class AttendanceImportView(EventActionView):
    permission = "events.change_event"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="events_attendance_import_create",
        parameters=[EVENT_SLUG],
        request={"multipart/form-data": AttendanceImportRequestSerializer},
        responses={200: AttendanceReportSerializer},
    )
    def post(self, request, event_slug):
        """Mark the confirmed online registrants listed in an online meeting's attendance
        report as attended: Zoom's participant report, Teams' attendance report, Webex's
        attendee report, or any CSV with an email column (or the `column` named). Bad rows are
        reported and the others applied; importing the same report again changes nothing. With
        `dry_run` nobody is marked and the answer says whom the report would mark."""
        given = AttendanceImportRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        report = attendance.import_attendance(
            event=self.event,
            csv_file=given.validated_data["file"],
            column=given.validated_data.get("column", ""),
            dry_run=given.validated_data["dry_run"],
            actor=Actor.for_request(request),
        )
        return Response(AttendanceReportSerializer(report).data)
