"""Registrations as the public registers and as the organizer reviews them, the event's
registration questions, and the event's funnel counts.

Registering goes through registration.services.register, which decides confirmed, waitlisted or
pending; these serializers only check the shape of the request.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import NOT_IN_DIRECTORY, Organization
from registration import services
from registration.emails import manage_url
from registration.models import AttendanceMode, Question, Registration, validate_time_zone

from .base import CleanModelSerializer, EmailAddressField, NameField, StrictBooleanField


@extend_schema_field(OpenApiTypes.INT)
class DirectoryEntryField(serializers.PrimaryKeyRelatedField):
    """A directory entry by id. The queryset is made when a value is looked up, not given to the
    field: DRF deep-copies a field's arguments for every request, and copying a queryset was
    half the cost of checking a registration's body."""

    def get_queryset(self):
        return Organization.objects.directory()


class RegisterSerializer(serializers.Serializer):
    """What a registrant sends. Rules that depend on the event are checked by the service."""

    email = EmailAddressField(max_length=254)
    first_name = NameField(max_length=100)
    last_name = NameField(max_length=100)
    honorific = NameField(
        max_length=50, required=False, allow_blank=True, help_text=_("For example H.E. Mr.")
    )
    position = NameField(max_length=200, required=False, allow_blank=True)
    organization_name = NameField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_(
            "As the registrant names it. Exactly a directory entry's name (any case), it counts "
            "as that entry."
        ),
    )
    organization = DirectoryEntryField(
        required=False,
        allow_null=True,
        help_text=_(
            "Id of the registrant's organization in the directory (GET /api/v1/organizations/); "
            "seats_per_organization counts by it. organization_name defaults to its name."
        ),
        error_messages={"does_not_exist": NOT_IN_DIRECTORY, "incorrect_type": NOT_IN_DIRECTORY},
    )
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    attendance_mode = serializers.ChoiceField(
        choices=AttendanceMode.choices,
        required=False,
        allow_blank=True,
        help_text=_("Required for hybrid events."),
    )
    sessions = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=50,
        help_text=_("Ids of the event's sessions to attend."),
    )
    answers = serializers.DictField(
        required=False, help_text=_('Answers keyed by question id: {"<question id>": value}.')
    )
    invitation_token = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        allow_blank=True,
        help_text=_("The language of the registrant's emails; the event's language if absent."),
    )
    timezone = serializers.CharField(
        source="time_zone",
        max_length=64,
        required=False,
        allow_blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "The registrant's IANA time zone, e.g. Europe/Paris: reminders say the time there."
        ),
    )
    consent = StrictBooleanField(
        help_text=_("Must be JSON true: consent to store these details."),
        error_messages={"required": _("Registration needs your consent to store these details.")},
    )

    def validate_country(self, country):
        return country.upper()


# A plain serializer: a model serializer would inspect the model again on every registration to
# build the same fields.
class RegisteredSerializer(serializers.Serializer):
    """The answer to a successful registration. The private link is answered only to a manager of
    the event registering on someone's behalf (`show_link` in the context); everyone else is told
    it went to the address, so typing someone's address never opens their registration."""

    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(
        choices=[
            (value, label)
            for value, label in Registration.Status.choices
            if value in Registration.ACTIVE_STATUSES
        ],
        read_only=True,
    )
    attendance_mode = serializers.ChoiceField(
        choices=AttendanceMode.choices,
        label=capfirst(Registration._meta.get_field("attendance_mode").verbose_name),
    )
    # Not read-only, so the schema lists them as optional: each answer has one of the two.
    manage_url = serializers.URLField(
        required=False,
        help_text=_(
            "The registrant's private link to see, change or cancel the registration. Only "
            "for a caller authenticated as a manager of the event; anyone else gets `detail`."
        ),
    )
    detail = serializers.CharField(
        required=False,
        help_text=_("Where the private link was sent, when it is not in this answer."),
    )

    def to_representation(self, registration):
        data = super().to_representation(registration)
        if self.context.get("show_link"):
            data["manage_url"] = manage_url(registration)
        else:
            data["detail"] = _(
                "Registered. The private link to see, change or cancel this registration was "
                "emailed to %(email)s."
            ) % {"email": registration.email}
        return data


class RegistrationSerializer(serializers.ModelSerializer):
    """A registration as the organizer sees it. Only contact details may be corrected."""

    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "email",
            "honorific",
            "first_name",
            "last_name",
            "position",
            "organization_name",
            "organization",
            "country",
            "attendance_mode",
            "status",
            "language",
            "sessions",
            "answers",
            "decision_note",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "checked_in_at",
            "attended",
        ]
        # What check-in staff get (DoorRegistrationSerializer); the schema marks the rest optional.
        door_fields = [
            "id",
            "honorific",
            "first_name",
            "last_name",
            "organization_name",
            "attendance_mode",
            "status",
            "checked_in_at",
            "attended",
        ]
        # Status, mode and seats change only through the actions, which keep capacity right.
        read_only_fields = [
            "id",
            "email",
            "organization",
            "attendance_mode",
            "status",
            "language",
            "sessions",
            "answers",
            "decision_note",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "checked_in_at",
            "attended",
        ]

    def to_representation(self, registration):
        with timezone.override(registration.event.tzinfo):
            return super().to_representation(registration)

    def validate_country(self, country):
        return country.upper()

    def update(self, registration, validated_data):
        # The view hands the actor to save(); the service holds the rule and writes the log.
        actor = validated_data.pop("actor")
        return services.update_details(registration=registration, actor=actor, **validated_data)


class DoorRegistrationSerializer(serializers.ModelSerializer):
    """A registration as check-in staff see it: what the door needs, no contact details or
    answers."""

    class Meta:
        model = Registration
        fields = RegistrationSerializer.Meta.door_fields
        read_only_fields = fields

    def to_representation(self, registration):
        with timezone.override(registration.event.tzinfo):
            return super().to_representation(registration)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text=_("A message to the registrant; a decline's email includes it."),
    )


class QuestionSerializer(CleanModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "label", "kind", "choices", "required", "order"]


class StatsFunnelGroupSerializer(serializers.Serializer):
    organization = serializers.CharField(required=False)
    country = serializers.CharField(required=False, help_text=_("ISO 3166-1 alpha-2 code."))
    invited = serializers.IntegerField()
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    opened = serializers.IntegerField()
    registered = serializers.IntegerField()
    declined = serializers.IntegerField()
    no_answer = serializers.IntegerField()


class StatsInvitationsSerializer(serializers.Serializer):
    """The invitation funnel: invited → sent → delivered → opened → registered, declined or no
    answer; `opened` is unreliable (mail programs block tracking, scanners trigger it) and
    counts everyone who answered too."""

    total = serializers.IntegerField(help_text=_("Every invitation, revoked ones included."))
    invited = serializers.IntegerField(help_text=_("Not revoked."))
    draft = serializers.IntegerField()
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    opened = serializers.IntegerField()
    registered = serializers.IntegerField(
        help_text=_("Invitations someone stands registered with now.")
    )
    declined = serializers.IntegerField()
    no_answer = serializers.IntegerField()
    bounced = serializers.IntegerField()
    expired = serializers.IntegerField()
    revoked = serializers.IntegerField()
    by_organization = StatsFunnelGroupSerializer(
        many=True, help_text=_("Those with invitations not answered first.")
    )
    by_country = StatsFunnelGroupSerializer(many=True)


class StatsRegistrationsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    declined = serializers.IntegerField()


class StatsByModeSerializer(serializers.Serializer):
    in_person = serializers.IntegerField(help_text=_("Confirmed in person."))
    virtual = serializers.IntegerField(help_text=_("Confirmed online."))


class EventStatsSerializer(serializers.Serializer):
    invitations = StatsInvitationsSerializer()
    registrations = StatsRegistrationsSerializer()
    by_mode = StatsByModeSerializer()
    attended = serializers.IntegerField()
