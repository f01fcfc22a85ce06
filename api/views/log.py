"""`GET /api/v1/events/{slug}/log/`: the event's audit log, newest first. For members who may
see its private details: check-in staff may not (403); another team's event is a 404."""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated

from api.permissions import EventRules
from api.serializers.log import LogEntrySerializer
from events import log
from events.models import Event, LogEntry


@extend_schema(parameters=[OpenApiParameter("event_slug", str, OpenApiParameter.PATH)])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "action",
                str,
                description="Only actions starting with this: a family such as `invitation.` "
                "or a code such as `invitation.sent`.",
            ),
            OpenApiParameter(
                "actor_kind", enum=LogEntry.ActorKind.values, description="Only this kind of actor."
            ),
            OpenApiParameter(
                "object_type", str, description="Only this object type, e.g. `registration`."
            ),
            OpenApiParameter(
                "since",
                str,
                description="Only entries at or after this ISO 8601 date or date-time "
                "(without a zone: UTC).",
            ),
        ]
    )
)
class EventLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who changed what on the event, newest first."""

    serializer_class = LogEntrySerializer
    permission_classes = [IsAuthenticated, EventRules]
    read_permission = "events.view_private_details"  # names and addresses: not for check-in
    write_permission = "events.change_event"  # unused: the log is read-only

    @cached_property
    def event(self):
        """The event in the URL, if it belongs to one of the caller's organizations."""
        events = Event.objects.for_user(self.request.user)
        return get_object_or_404(events, slug=self.kwargs["event_slug"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LogEntry.objects.none()
        params = self.request.query_params
        filters = log.LogFilters.from_query(params)
        if params.get("since") and filters.since is None:
            raise ValidationError({"since": ["Give an ISO 8601 date or date-time."]})
        if params.get("actor_kind") and not filters.actor_kind:
            raise ValidationError(
                {"actor_kind": [f"Choose one of: {', '.join(LogEntry.ActorKind.values)}."]}
            )
        return log.entries_for_event(self.event, filters)
