"""What the public sees by the token in an invitation link, and what declining sends."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Event, Session
from invitations import selectors
from invitations.forms import REASON_MAX_LENGTH
from invitations.models import Invitation


class InvitationEventSerializer(serializers.ModelSerializer):
    """The event in short, in its own time zone."""

    public_url = serializers.URLField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "summary",
            "format",
            "starts_at",
            "ends_at",
            "timezone",
            "venue_name",
            "venue_address",
            "webcast_url",
            "status",
            "public_url",
        ]
        read_only_fields = fields


class InvitationSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "title", "starts_at", "ends_at", "location"]
        read_only_fields = fields


class PublicInvitationSerializer(serializers.ModelSerializer):
    """The invitation as its link shows it. `email` is the address a personal (not
    transferable) invitation must register with."""

    status = serializers.SerializerMethodField(
        help_text=_("Where it stands: registered while someone stands registered with it.")
    )
    event = InvitationEventSerializer(read_only=True)
    full_name = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True, help_text=_("ISO 3166-1 alpha-2 code."))
    seats_left = serializers.SerializerMethodField(
        help_text=_(
            "How many more people may register with this invitation now: the smaller of its "
            "own seats left and what the event's per-organization limit leaves."
        )
    )
    seats_used = serializers.SerializerMethodField(
        help_text=_("Registrations made with it that still stand.")
    )
    contact_email = serializers.EmailField(
        source="event.contact_address", read_only=True, help_text=_("The organizers' address.")
    )
    sessions = InvitationSessionSerializer(
        many=True, read_only=True, help_text=_("Invitation-only sessions it opens.")
    )

    class Meta:
        model = Invitation
        fields = [
            "status",
            "email",
            "honorific",
            "first_name",
            "last_name",
            "full_name",
            "position",
            "organization_name",
            "country",
            "language",
            "seats",
            "seats_left",
            "seats_used",
            "transferable",
            "sessions",
            "expires_at",
            "contact_email",
            "event",
        ]
        read_only_fields = fields

    def to_representation(self, invitation):
        with timezone.override(invitation.event.tzinfo):
            return super().to_representation(invitation)

    def _seats(self, invitation):
        if getattr(invitation, "_seats", None) is None:
            invitation._seats = selectors.seats(invitation)
        return invitation._seats

    @extend_schema_field(serializers.ChoiceField(choices=Invitation.State.choices))
    def get_status(self, invitation) -> str:
        return selectors.with_state(invitation).state

    def get_seats_left(self, invitation) -> int:
        return self._seats(invitation).usable

    def get_seats_used(self, invitation) -> int:
        return self._seats(invitation).used


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=_("An optional word to the organizers."),
    )
