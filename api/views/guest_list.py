"""The organizer's guest list of an event: invite, list, correct, send, remind, revoke, export.

Scoped to the caller's organizations: another team's event is a 404. Members read; owners and
managers change. State changes go through invitations.services, one transaction each.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
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
from api.serializers.guest_list import (
    MAX_INVITEES,
    CreatedGuestSerializer,
    GuestSerializer,
    GuestUpdateSerializer,
    InviteContactsSerializer,
    InviteeSerializer,
    QueuedSerializer,
    ReminderScheduleSerializer,
    RemindSerializer,
    SendSerializer,
)
from api.views.registrations import FileFormatNegotiation
from events.audit import Actor
from invitations import export, selectors, services
from invitations.models import Contact, ContactList, Invitation
from invitations.selectors import GuestListFilters

EVENT_SLUG = OpenApiParameter("event_slug", str, OpenApiParameter.PATH)
CONFLICT = OpenApiResponse(
    inline_serializer("GuestListConflict", {"detail": serializers.CharField()}),
    description="The event or the invitation is not in a state that allows this (a draft or "
    "cancelled event sends nothing; a declined or withdrawn invitation is not sent again).",
)
BAD_REQUEST = OpenApiResponse(
    description='Field errors: `{"field": ["message"]}`, or for a list one object per invitee '
    "in order (`{}` for those without errors). Nothing was saved."
)
FORBIDDEN = OpenApiResponse(description="Members of the team may read; only managers change.")
NOT_FOUND = OpenApiResponse(description="No such event among your teams', or no such invitation.")
FILTERS = [
    OpenApiParameter("status", enum=Invitation.State.values, description="Only this status."),
    OpenApiParameter("q", str, description="Name, email or organization contains these words."),
    OpenApiParameter("country", str, description="ISO 3166-1 alpha-2 code."),
]


def _invitees_invalid(refusal: services.InviteesInvalid, count: int) -> Response:
    return Response(
        [refusal.errors.get(index, {}) for index in range(count)],
        status=status.HTTP_400_BAD_REQUEST,
    )


@extend_schema(parameters=[EVENT_SLUG])
@extend_schema_view(
    list=extend_schema(parameters=FILTERS, responses={200: GuestSerializer, 404: NOT_FOUND}),
    retrieve=extend_schema(responses={200: GuestSerializer, 404: NOT_FOUND}),
)
class GuestListViewSet(
    EventInURLMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The invitations of one event."""

    serializer_class = GuestSerializer
    permission_classes = [IsAuthenticated, EventRules]
    lookup_value_regex = r"\d+"
    read_permission = "events.view_private_details"
    write_permission = "events.change_event"

    def get_queryset(self):
        filters = GuestListFilters()
        if self.action in ("list", "export"):
            filters = GuestListFilters.from_query(self.request.query_params)
        return selectors.guest_list(self.event, filters).prefetch_related("sessions")

    def _read(self, invitations):
        """These invitations (or ids) as the guest list shows them, in their order."""
        pks = [getattr(invitation, "pk", invitation) for invitation in invitations]
        by_pk = selectors.guest_list(self.event).prefetch_related("sessions").in_bulk(pks)
        return [by_pk[pk] for pk in pks if pk in by_pk]

    def list(self, request, event_slug):
        """The guest list, filtered. A page is cut from the ids first, so a late page does not
        work out the seats and suppressions of every invitation before it."""
        ids = self.paginate_queryset(self.get_queryset().values_list("pk", flat=True))
        return self.get_paginated_response(self.get_serializer(self._read(ids), many=True).data)

    @extend_schema(
        summary="Invite people, a contact list or contacts",
        request=PolymorphicProxySerializer(
            "InviteRequest",
            serializers=[InviteeSerializer(many=True), InviteContactsSerializer],
            resource_type_field_name=None,
            many=False,  # the list is the first alternative's own; the proxy is one body
        ),
        responses={
            201: CreatedGuestSerializer(many=True),
            200: OpenApiResponse(
                CreatedGuestSerializer(many=True),
                description="Every address was invited before; nothing new was created.",
            ),
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def create(self, request, event_slug):
        """Create draft invitations: from a list of invitees (or one), from `{"contact_list":
        id}` or from `{"contacts": [ids]}` with the same seats, sessions and expiry for each.
        The answer lists one invitation per address, in order; an address invited before is
        not invited twice and comes back with `already_invited: true`."""
        data = request.data
        if isinstance(data, dict) and ("contact_list" in data or "contacts" in data):
            invitees = self._contacts_as_invitees(data)
        else:
            items = data if isinstance(data, list) else [data]
            body = InviteeSerializer(data=items, many=True, max_length=MAX_INVITEES)
            body.is_valid(raise_exception=True)
            invitees = [body.child.to_invitee(item) for item in body.validated_data]
        try:
            result = services.invite(
                actor=Actor.for_request(request), event=self.event, invitees=invitees
            )
        except services.InviteesInvalid as refusal:
            return _invitees_invalid(refusal, len(invitees))
        existing = {invitation.pk for invitation in result.existing}
        order = {}
        for index, invitee in enumerate(invitees):
            order.setdefault(invitee.email.strip().lower(), index)
        invitations = self._read(
            sorted(result.created + result.existing, key=lambda i: order.get(i.email, 0))
        )
        for invitation in invitations:
            invitation.already_invited = invitation.pk in existing
        return Response(
            CreatedGuestSerializer(invitations, many=True).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    def _contacts_as_invitees(self, data):
        body = InviteContactsSerializer(data=data)
        body.is_valid(raise_exception=True)
        team = self.event.organization
        contacts = Contact.objects.filter(team=team)
        if "contact_list" in body.validated_data:
            contact_list = ContactList.objects.filter(
                team=team, pk=body.validated_data["contact_list"]
            ).first()
            if contact_list is None:
                raise serializers.ValidationError(
                    {"contact_list": [_("Your team has no contact list with this id.")]}
                )
            contacts = contacts.filter(lists=contact_list)
        if ids := body.validated_data.get("contacts"):
            contacts = contacts.filter(pk__in=ids)
            unknown = set(ids) - set(contacts.values_list("pk", flat=True))
            if unknown:
                raise serializers.ValidationError(
                    {
                        "contacts": [
                            _("Your team has no contacts with these ids: %(ids)s.")
                            % {"ids": ", ".join(map(str, sorted(unknown)))}
                        ]
                    }
                )
        options = body.options()
        invitees = [
            services.Invitee.from_contact(contact, **options)
            for contact in contacts.order_by("pk").iterator(chunk_size=2000)
        ]
        if ids:  # in the order asked for
            place = {contact_id: index for index, contact_id in enumerate(ids)}
            invitees.sort(key=lambda invitee: place.get(invitee.contact_id, len(place)))
        return invitees

    @extend_schema(
        request=GuestUpdateSerializer,
        responses={200: GuestSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 409: CONFLICT},
    )
    def partial_update(self, request, event_slug, pk):
        """Correct an invitation: a bounced address (then resend it), names, seats, expiry."""
        body = GuestUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = services.update_invitation(
            actor=Actor.for_request(request), invitation=self.get_object(), **body.validated_data
        )
        return Response(GuestSerializer(self._read([invitation])[0]).data)

    @extend_schema(request=None, responses={200: GuestSerializer, 403: FORBIDDEN, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def revoke(self, request, event_slug, pk):
        """Withdraw the invitation: its link then opens a page that says so. Registrations made
        with it stay."""
        invitation = services.revoke(actor=Actor.for_request(request), invitation=self.get_object())
        return Response(GuestSerializer(self._read([invitation])[0]).data)

    @extend_schema(request=None, responses={200: GuestSerializer, 403: FORBIDDEN, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def resend(self, request, event_slug, pk):
        """Email the invitation again (to its address as it is now), with the same link."""
        invitation = services.resend(actor=Actor.for_request(request), invitation=self.get_object())
        return Response(GuestSerializer(self._read([invitation])[0]).data)

    @extend_schema(
        request=SendSerializer,
        responses={202: QueuedSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 409: CONFLICT},
    )
    @action(detail=False, methods=["post"])
    def send(self, request, event_slug):
        """Send draft invitations: those among `ids`, or all with `all_drafts`. Answers at once
        with how many are on their way; a large send is written out by a background job."""
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        queued = services.send_invitations(
            actor=Actor.for_request(request),
            event=self.event,
            ids=body.validated_data.get("ids"),
            all_drafts=body.validated_data["all_drafts"],
        )
        return Response({"queued": queued}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=RemindSerializer,
        responses={202: QueuedSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 409: CONFLICT},
    )
    @action(detail=False, methods=["post"])
    def remind(self, request, event_slug):
        """Remind those who have not answered (or those of them among `ids`): never anyone who
        registered or declined, whose invitation bounced, was revoked or expired, or whose
        address is suppressed. At most one reminder an hour each."""
        body = RemindSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        queued = services.remind(
            actor=Actor.for_request(request), event=self.event, ids=body.validated_data.get("ids")
        )
        return Response({"queued": queued}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(methods=["GET"], request=None, responses={200: ReminderScheduleSerializer})
    @extend_schema(
        methods=["PUT"],
        request=ReminderScheduleSerializer,
        responses={200: ReminderScheduleSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["get", "put"], url_path="reminder-schedule")
    def reminder_schedule(self, request, event_slug):
        """The date those who have not answered get one reminder, sent by the scheduler."""
        if request.method == "PUT":
            body = ReminderScheduleSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            schedule = services.schedule_reminder(
                actor=Actor.for_request(request),
                event=self.event,
                remind_at=body.validated_data["remind_at"],
            )
        else:
            schedule = selectors.reminder_schedule(self.event)
        data = {"remind_at": None, "done_at": None}
        if schedule is not None:
            data = {"remind_at": schedule.remind_at, "done_at": schedule.done_at}
        with timezone.override(self.event.tzinfo):
            return Response(ReminderScheduleSerializer(data).data)

    @extend_schema(
        parameters=[
            *FILTERS,
            OpenApiParameter(
                "by",
                enum=[*export.GROUPINGS],
                description="One row per invitation (default), or the funnel per organization "
                "or per country.",
            ),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        content_negotiation_class=FileFormatNegotiation,
    )
    def export(self, request, event_slug):
        """The guest list as CSV, with the same filters as the list, or its funnel by
        organization or country."""
        if not request.user.has_perm("events.change_event", self.event):
            self.permission_denied(request, message=_("Only managers may export the guest list."))
        grouping = request.query_params.get("by") or "invitation"
        if grouping not in export.GROUPINGS:
            return Response(
                {"by": [_("Choose invitation, organization or country.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        file = export.export(self.event, self.get_queryset(), grouping)
        response = HttpResponse(file.content, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response
