"""Events and their parts, scoped to the caller's organizations: another team's event is a 404,
not a 403, so its existence does not leak. Changes to an event go through events.services."""

from django.db import transaction
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.mixins import EventInURLMixin
from api.permissions import EventRules, ObjectRules
from api.serializers.events import (
    EventSerializer,
    HostSerializer,
    ResourceSerializer,
    SessionSerializer,
    SpeakerSerializer,
)
from events import parts, services
from events.audit import Actor
from events.models import Event, EventHost, Resource, Session, Speaker

TRANSITION_RESPONSES = {
    200: EventSerializer,
    409: OpenApiResponse(
        inline_serializer("Conflict", {"detail": serializers.CharField()}),
        description="The event is not in a state that allows this change.",
    ),
}


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status", enum=Event.Status.values, description="Only events in this status."
            )
        ]
    )
)
class EventViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Event.objects.all()
    serializer_class = EventSerializer
    lookup_field = "slug"
    permission_classes = [IsAuthenticated, ObjectRules]
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_permission = "events.view_event"
    write_permission = "events.change_event"

    def get_queryset(self):
        events = Event.objects.for_user(self.request.user)
        status = self.request.query_params.get("status")
        if self.action == "list" and status:
            events = events.filter(status=status)
        return events

    def perform_create(self, serializer):
        with transaction.atomic():
            actor = Actor.for_request(self.request)
            serializer.instance = services.create_event(actor=actor, **serializer.validated_data)
            # The team is the new event's organizer until a host says otherwise.
            services.name_team_as_organizer(actor=actor, event=serializer.instance)

    def perform_update(self, serializer):
        serializer.instance = services.update_event(
            actor=Actor.for_request(self.request),
            event=serializer.instance,
            **serializer.validated_data,
        )

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def publish(self, request, slug):
        """Open a draft to the public and to registration."""
        return self._transition(services.publish_event)

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def cancel(self, request, slug):
        """Cancel a published event."""
        return self._transition(services.cancel_event)

    def _transition(self, service):
        event = service(actor=Actor.for_request(self.request), event=self.get_object())
        return Response(self.get_serializer(event).data)


@extend_schema(parameters=[OpenApiParameter("event_slug", str, OpenApiParameter.PATH)])
class EventPartViewSet(EventInURLMixin, viewsets.ModelViewSet):
    """Records that belong to the event in the URL. Members may read them; owners and managers
    may change them. An id from another event is a 404."""

    permission_classes = [IsAuthenticated, EventRules]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    read_permission = "events.view_event"
    write_permission = "events.change_event"

    def get_queryset(self):
        return self.queryset.filter(event=self.event)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # The schema generator builds serializers without a URL, so without an event.
        if not getattr(self, "swagger_fake_view", False):
            context["event"] = self.event
        return context

    def perform_create(self, serializer):
        parts.create_part(
            actor=Actor.for_request(self.request), serializer=serializer, event=self.event
        )

    def perform_update(self, serializer):
        parts.update_part(actor=Actor.for_request(self.request), serializer=serializer)

    def perform_destroy(self, instance):
        parts.delete_part(actor=Actor.for_request(self.request), part=instance)


class HostViewSet(EventPartViewSet):
    """Organizations named as hosting the event, in the order they are named."""

    queryset = EventHost.objects.select_related("organization")
    serializer_class = HostSerializer


class SpeakerViewSet(EventPartViewSet):
    """The people on the programme."""

    queryset = Speaker.objects.all()
    serializer_class = SpeakerSerializer


class SessionViewSet(EventPartViewSet):
    """Parts of the event with their own time, place and capacity, such as a working lunch."""

    queryset = Session.objects.all()
    serializer_class = SessionSerializer


class ResourceViewSet(EventPartViewSet):
    """The recording, reports and related reading."""

    queryset = Resource.objects.all()
    serializer_class = ResourceSerializer
