"""Events and the parts an organizer adds to them: hosts, speakers, sessions, resources.

Datetimes are written in the event's own time zone (`2019-11-12T10:00:00-05:00`), so the offset
a client reads is the one the organizer planned in.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.models import (
    NOT_IN_DIRECTORY,
    Event,
    EventHost,
    Organization,
    Resource,
    Session,
    Speaker,
)
from events.rules import MANAGING_ROLES

from .base import CleanModelSerializer


class MemberOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organization the caller belongs to; anyone else's reads as an unknown id."""

    def get_queryset(self):
        return Organization.objects.filter(memberships__user=self.context["request"].user)


class EventSerializer(serializers.ModelSerializer):
    organization = MemberOrganizationField(
        required=False,
        help_text=_(
            "The team that manages the event; required when you manage more than one. "
            "Fixed once the event exists."
        ),
    )
    reminder_offsets = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text=_("ISO 8601 durations before the start, e.g. P7D, P1D, PT1H."),
    )
    public_url = serializers.URLField(read_only=True)

    # A PATCH that sends another value for these answers 400 instead of silently keeping the
    # old one, so a client never believes it renamed or moved an event.
    create_only_fields = ("slug", "organization")

    class Meta:
        model = Event
        fields = [
            "slug",
            "organization",
            "title",
            "summary",
            "description",
            "format",
            "starts_at",
            "ends_at",
            "timezone",
            "venue_name",
            "venue_address",
            "online_join_url",
            "webcast_url",
            "visibility",
            "status",
            "registration_opens_at",
            "registration_closes_at",
            "requires_approval",
            "waitlist_enabled",
            "capacity_in_person",
            "capacity_virtual",
            "seats_per_organization",
            "language",
            "reminder_offsets",
            "contact_email",
            "followup_on_recording",
            "followup_delay_hours",
            "followup_include_invitees",
            "public_url",
        ]
        extra_kwargs = {
            "slug": {
                "required": False,
                "help_text": _("Made from the title when left out; fixed once the event exists."),
            }
        }

    def to_representation(self, event):
        with timezone.override(event.tzinfo):
            return super().to_representation(event)

    def validate_organization(self, organization):
        if not self.context["request"].user.has_perm("events.add_event", organization):
            raise serializers.ValidationError(
                _("Only the organization's owners and managers may add events to it.")
            )
        return organization

    def validate(self, attrs):
        if self.instance is None:
            if "organization" not in attrs:
                attrs["organization"] = self._only_managed_organization()
        else:
            self._refuse_changes_to_create_only_fields(attrs)
        return attrs

    def _only_managed_organization(self):
        managed = Organization.objects.filter(
            memberships__user=self.context["request"].user,
            memberships__role__in=MANAGING_ROLES,
        )[:2]
        if len(managed) != 1:
            raise serializers.ValidationError(
                {"organization": [_("Say which organization the event belongs to.")]}
            )
        return managed[0]

    def _refuse_changes_to_create_only_fields(self, attrs):
        errors = {
            name: [_("This field cannot be changed once the event exists.")]
            for name in self.create_only_fields
            if name in attrs and attrs[name] != getattr(self.instance, name)
        }
        if errors:
            raise serializers.ValidationError(errors)


class HostOrganizationField(serializers.PrimaryKeyRelatedField):
    """A directory entry, or the event's own team; another team reads as an unknown id."""

    default_error_messages = {
        "does_not_exist": NOT_IN_DIRECTORY,
        "incorrect_type": NOT_IN_DIRECTORY,
    }

    def get_queryset(self):
        event = self.context.get("event")  # the schema generator has no event
        team = Q(pk=event.organization_id) if event else Q(pk__in=[])
        return Organization.objects.filter(Q(is_team=False) | team)


class HostSerializer(CleanModelSerializer):
    organization = HostOrganizationField(
        help_text=_(
            "A directory entry's id (GET /api/v1/organizations/), or the event's own team. "
            "The organizer is always the event's own team."
        )
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = EventHost
        fields = ["id", "organization", "organization_name", "role", "order"]

    def validate_organization(self, organization):
        hosts = self.context["event"].hosts.filter(organization=organization)
        if self.instance is not None:
            hosts = hosts.exclude(pk=self.instance.pk)
        if hosts.exists():
            raise serializers.ValidationError(_("This organization already hosts the event."))
        return organization


class SpeakerSerializer(CleanModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "honorific", "position", "organization_name", "role", "order"]


class SessionSerializer(CleanModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "title", "starts_at", "ends_at", "location", "invitation_only", "capacity"]

    def to_representation(self, session):
        with timezone.override(self.context["event"].tzinfo):
            return super().to_representation(session)


class ResourceSerializer(CleanModelSerializer):
    class Meta:
        model = Resource
        fields = ["id", "kind", "title", "url", "audience", "order"]
