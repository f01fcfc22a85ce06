"""The outbox of one event: what was sent to whom, what failed and why, and sending a failed
message again. Members may read it; owners and managers may retry. Another team's event is a
404."""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.mixins import EventInURLMixin
from api.permissions import EventRules
from api.serializers.messages import MessageCountsSerializer, MessageSerializer
from events.audit import Actor
from notifications import selectors, services
from notifications.models import Message


@extend_schema(parameters=[OpenApiParameter("event_slug", str, OpenApiParameter.PATH)])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", enum=Message.Kind.values, description="Only this kind."),
            OpenApiParameter(
                "status", enum=Message.Status.values, description="Only messages in this status."
            ),
        ]
    )
)
class MessageViewSet(
    EventInURLMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The event's messages, newest first."""

    serializer_class = MessageSerializer
    permission_classes = [IsAuthenticated, EventRules]
    lookup_value_regex = r"\d+"
    read_permission = "events.view_private_details"  # addresses: not for check-in staff
    write_permission = "events.change_event"

    def get_queryset(self):
        if self.action == "list":
            return selectors.messages_for_event(
                self.event,
                kind=self.request.query_params.get("kind", ""),
                status=self.request.query_params.get("status", ""),
            )
        return selectors.messages_for_event(self.event)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # The schema generator builds serializers without a URL, so without an event.
        if not getattr(self, "swagger_fake_view", False):
            context["event"] = self.event
        return context

    @extend_schema(
        request=None,
        responses={
            200: MessageSerializer,
            409: OpenApiResponse(
                inline_serializer("MessageConflict", {"detail": serializers.CharField()}),
                description="Only a failed message can be retried.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, event_slug, pk):
        """Send a failed message again, from the current data."""
        try:
            message = services.retry(actor=Actor.for_request(request), message=self.get_object())
        except services.MessageNotRetryable as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(message).data)

    @extend_schema(responses=MessageCountsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request, event_slug):
        """How many messages of each kind are in each status."""
        return Response(MessageCountsSerializer(selectors.message_counts(self.event)).data)
