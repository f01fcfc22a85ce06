"""The follow-up after the event, for the event in the URL: owners and managers send it.
Another team's event is a 404. The messages are written by a worker; the answer is at once."""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from api.serializers.followup import FollowupQueuedSerializer, FollowupRequestSerializer
from api.views.checkin import EventActionView
from registration import followup


class FollowupView(EventActionView):
    permission = "events.change_event"

    @extend_schema(
        operation_id="events_followup_create",
        parameters=[OpenApiParameter("event_slug", str, OpenApiParameter.PATH)],
        request=FollowupRequestSerializer,
        responses={
            202: FollowupQueuedSerializer,
            409: OpenApiResponse(
                inline_serializer("FollowupConflict", {"detail": serializers.CharField()}),
                description="The event has not ended, or was cancelled.",
            ),
        },
    )
    def post(self, request, event_slug):
        """Queue the follow-up: `followup_attended` to confirmed registrants who attended,
        `followup_absent` to the others, each with the resources their audience may see; with
        `include_invitees`, `followup_invited` to invited guests who never registered. Each
        person gets one follow-up however often this is called; the counts are those it
        reaches now."""
        given = FollowupRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            started = followup.start(
                event=self.event,
                include_invitees=given.validated_data["include_invitees"],
                requested_by=request.user,
            )
        except followup.FollowupRefused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
        body = {
            "attended": started.attended,
            "absent": started.absent,
            "invited": started.invited,
            "job": started.job.pk,
        }
        return Response(FollowupQueuedSerializer(body).data, status=status.HTTP_202_ACCEPTED)
