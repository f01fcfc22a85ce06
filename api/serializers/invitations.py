"""What the public sees by the token in an invitation link, and what declining sends."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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

    event = InvitationEventSerializer(read_only=True)
    full_name = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True, help_text=_("ISO 3166-1 alpha-2 code."))
    seats_left = serializers.SerializerMethodField(
        help_text=_("How many more people may register with this invitation now.")
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
            "transferable",
            "sessions",
            "event",
        ]
        read_only_fields = fields

    def to_representation(self, invitation):
        with timezone.override(invitation.event.tzinfo):
            return super().to_representation(invitation)

    def get_seats_left(self, invitation) -> int:
        return selectors.seats_left(invitation)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=_("An optional word to the organizers."),
    )
