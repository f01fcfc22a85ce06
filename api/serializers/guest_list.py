"""The organizer's guest list: who to invite, each invitation as it stands, and the actions.

These serializers check the shape of a request; invitations.services decides the rest.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from invitations.models import Invitation
from invitations.services import Invitee

MAX_INVITEES = 5000  # per request; a larger list goes in several requests or as a contact list


class InviteeSerializer(serializers.Serializer):
    """One person or mission to invite."""

    email = serializers.EmailField(max_length=254)
    honorific = serializers.CharField(max_length=50, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organization_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    language = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text=_("Of its emails, e.g. fr; empty for the event's."),
    )
    seats = serializers.IntegerField(
        min_value=1,
        default=1,
        help_text=_("1 for a person; N for a mission's focal point (needs transferable)."),
    )
    transferable = serializers.BooleanField(
        default=False,
        help_text=_("Its seats may be used by delegates with their own addresses."),
    )
    sessions = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=50,
        help_text=_("Ids of invitation-only sessions it opens, such as a working lunch."),
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("After this the link opens nothing.")
    )

    def validate_country(self, country):
        return country.upper()

    def to_invitee(self, data=None) -> Invitee:
        data = dict(data if data is not None else self.validated_data)
        data["session_ids"] = tuple(data.pop("sessions", ()))
        return Invitee(**data)


class InviteContactsSerializer(serializers.Serializer):
    """Invite a team's contact list, or some of its contacts, with the same options each."""

    contact_list = serializers.IntegerField(
        required=False, help_text=_("Id of one of the team's contact lists.")
    )
    contacts = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_INVITEES,
        help_text=_("Ids of the team's contacts."),
    )
    seats = serializers.IntegerField(min_value=1, default=1)
    transferable = serializers.BooleanField(default=False)
    sessions = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=50
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate(self, data):
        if "contact_list" not in data and not data.get("contacts"):
            raise serializers.ValidationError(_("Give a contact_list or a list of contacts."))
        return data

    def options(self) -> dict:
        data = self.validated_data
        return {
            "seats": data["seats"],
            "transferable": data["transferable"],
            "session_ids": tuple(data.get("sessions", ())),
            "expires_at": data.get("expires_at"),
        }


class GuestSerializer(serializers.ModelSerializer):
    """An invitation on the guest list. `status` is where it stands now: `registered` only
    while someone stands registered with it; `delivered`, `bounced` as the ESP reported."""

    status = serializers.ChoiceField(
        source="state", choices=Invitation.State.choices, read_only=True
    )
    seats_used = serializers.IntegerField(
        read_only=True, help_text=_("Registrations made with it that still stand.")
    )
    full_name = serializers.CharField(read_only=True)
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    sessions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    suppressed = serializers.SerializerMethodField(
        help_text=_("Why email to this address is not sent (bounced, unsubscribed…), or null.")
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
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
            "seats_used",
            "transferable",
            "sessions",
            "expires_at",
            "status",
            "decline_reason",
            "delivery",
            "suppressed",
            "contact",
            "times_sent",
            "sent_at",
            "reminded_at",
            "responded_at",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "full_name",
            "seats_used",
            "status",
            "decline_reason",
            "delivery",
            "suppressed",
            "contact",
            "times_sent",
            "sent_at",
            "reminded_at",
            "responded_at",
            "created_at",
        ]

    def to_representation(self, invitation):
        with timezone.override(invitation.event.tzinfo):
            return super().to_representation(invitation)

    def get_suppressed(self, invitation) -> str | None:
        return getattr(invitation, "suppressed_reason", None)

    def validate_country(self, country):
        return country.upper()


class CreatedGuestSerializer(GuestSerializer):
    already_invited = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "True when the address was invited to the event before; it was left as it was."
        ),
    )

    class Meta(GuestSerializer.Meta):
        fields = [*GuestSerializer.Meta.fields, "already_invited"]


class GuestUpdateSerializer(serializers.Serializer):
    """The organizer's corrections: a bounced address, a name, the seats, the expiry."""

    email = serializers.EmailField(max_length=254, required=False)
    honorific = serializers.CharField(max_length=50, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organization_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    language = serializers.CharField(max_length=10, required=False, allow_blank=True)
    seats = serializers.IntegerField(min_value=1, required=False)
    transferable = serializers.BooleanField(required=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate_country(self, country):
        return country.upper()

    def validate_email(self, email):
        return email.strip().lower()


class SendSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=50_000,
        help_text=_("Invitations to send; drafts among them are sent, others left alone."),
    )
    all_drafts = serializers.BooleanField(default=False, help_text=_("Send every draft."))

    def validate(self, data):
        if not data["all_drafts"] and not data.get("ids"):
            raise serializers.ValidationError(_('Give "ids" or "all_drafts": true.'))
        return data


class RemindSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=50_000,
        help_text=_("Only these; by default everyone who has not answered."),
    )


class QueuedSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text=_("How many emails are on their way."))


class ReminderScheduleSerializer(serializers.Serializer):
    remind_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_("When those who have not answered get one reminder; null for none."),
    )
    done_at = serializers.DateTimeField(read_only=True, allow_null=True)
