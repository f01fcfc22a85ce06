"""A team's contacts, contact lists and imports. Contacts and lists change through
invitations.contacts.services; these serializers only translate JSON."""

from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from events.models import Organization
from invitations.contacts import selectors
from invitations.contacts.fields import IMPORT_FIELDS
from invitations.models import Contact, ContactImport, ContactList


@extend_schema_field(OpenApiTypes.INT)
class TeamField(serializers.PrimaryKeyRelatedField):
    """A team the caller belongs to; anyone else's reads as an unknown id."""

    def get_queryset(self):
        return selectors.teams_of(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class TeamListField(serializers.PrimaryKeyRelatedField):
    """A contact list of one of the caller's teams."""

    def get_queryset(self):
        teams = selectors.teams_of(self.context["request"].user)
        return ContactList.objects.filter(team__in=teams)


class ContactIdsField(serializers.ListField):
    """Contacts by id, read in one query; an id of a team the caller is not in is unknown."""

    child = serializers.IntegerField(min_value=1)

    def to_internal_value(self, data):
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        found = selectors.contacts_of_member(self.context["request"].user).in_bulk(ids)
        unknown = [str(pk) for pk in ids if pk not in found]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown contact ids: %(ids)s.") % {"ids": ", ".join(unknown[:20])}
            )
        return [found[pk] for pk in ids]

    def to_representation(self, manager):
        return [contact.pk for contact in manager.all()]


class TagNamesField(serializers.ListField):
    """Tags by name; written as names, a new one made for the team."""

    child = serializers.CharField(max_length=50)

    def to_representation(self, manager):
        return [tag.name for tag in manager.all()]


def team_for_change(request, team=None, *, fallback=None):
    """The team a new record goes to: the one named, else `fallback`, else the only team the
    caller manages. A team the caller may only look at is a 403."""
    team = team or fallback
    if team is None:
        managed = selectors.managed_teams(request.user)
        if len(managed) != 1:
            raise serializers.ValidationError(
                {"team": [_("Say which team the contacts belong to.")]}
            )
        team = managed[0]
    if not request.user.has_perm("invitations.change_contacts", team):
        raise PermissionDenied(_("Only the team's owners and managers may change its contacts."))
    return team


class TeamOwnedSerializer(serializers.ModelSerializer):
    """Records of one team: `team` is optional on create when the caller manages exactly one
    team, and fixed afterwards."""

    team = TeamField(
        required=False,
        help_text=_("Id of the team; optional when you manage exactly one. Fixed afterwards."),
    )

    def validate(self, attrs):
        request = self.context["request"]
        if self.instance is None:
            attrs["team"] = team_for_change(request, attrs.get("team"))
        elif "team" in attrs and attrs["team"] != self.instance.team:
            raise serializers.ValidationError(
                {"team": [_("This field cannot be changed once the record exists.")]}
            )
        else:
            attrs.pop("team", None)
        return attrs


class ContactSerializer(CountryFieldMixin, TeamOwnedSerializer):
    tags = TagNamesField(
        required=False,
        help_text=_('Tag names, e.g. ["focal point", "G77"]; a new name makes a new tag.'),
    )
    lists = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=ContactList.objects.all(),
        help_text=_("Ids of the team's contact lists the contact is in."),
    )
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "team",
            "email",
            "honorific",
            "first_name",
            "last_name",
            "full_name",
            "position",
            "organization_name",
            "country",
            "language",
            "tags",
            "lists",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "email": {"help_text": _("Unique in the team, without regard to case.")},
        }

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["lists"].child_relation.queryset = ContactList.objects.filter(
                team__in=selectors.teams_of(request.user)
            )
        return fields

    def get_unique_together_validators(self):
        return []  # the service says "already in your team's contacts" on the email field


class ContactListSerializer(TeamOwnedSerializer):
    contacts = ContactIdsField(
        required=False, help_text=_("Ids of the list's contacts; a PATCH replaces them.")
    )
    size = serializers.IntegerField(read_only=True, help_text=_("How many contacts it holds."))

    class Meta:
        model = ContactList
        fields = ["id", "team", "name", "description", "contacts", "size", "created_at"]

    def get_unique_together_validators(self):
        return []  # the service says "already a list named" on the name field


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("As numbered in the file; the header is row 1."))
    field = serializers.CharField(help_text=_("The contact field at fault, e.g. email."))
    message = serializers.CharField()


class ContactImportSerializer(serializers.ModelSerializer):
    processed = serializers.IntegerField(
        source="rows_done", read_only=True, help_text=_("Data rows read so far.")
    )
    percent = serializers.IntegerField(read_only=True)
    errors = ImportErrorSerializer(many=True, read_only=True)

    class Meta:
        model = ContactImport
        fields = [
            "id",
            "team",
            "status",
            "file_name",
            "file_format",
            "contact_list",
            "total",
            "processed",
            "percent",
            "created",
            "updated",
            "refused",
            "errors",
            "message",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "total": {"help_text": _("Data rows in the file (estimated for XLSX until done).")},
            "refused": {"help_text": _("Rows not imported; `errors` says why.")},
            "message": {"help_text": _("Why a failed import stopped.")},
        }


class ContactImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("A CSV (UTF-8 or Windows-1252) or XLSX file."))
    contact_list = TeamListField(
        required=False, help_text=_("Id of a list to add every imported contact to.")
    )
    team = TeamField(required=False, help_text=_("Optional when you manage exactly one team."))
    mapping = serializers.JSONField(
        required=False,
        binary=True,
        help_text=_(
            "Which column fills which field when the header does not say: "
            '{"email": "Courriel", "last_name": 3} (a header name or a column number from 1; '
            "null to skip a field). Fields: %(fields)s."
        )
        % {"fields": ", ".join(IMPORT_FIELDS)},
    )

    def validate(self, attrs):
        contact_list = attrs.get("contact_list")
        team: Organization | None = attrs.get("team")
        if team and contact_list and contact_list.team_id != team.pk:
            raise serializers.ValidationError(
                {"contact_list": [_("Choose one of this team's lists.")]}
            )
        attrs["team"] = team_for_change(
            self.context["request"], team, fallback=contact_list.team if contact_list else None
        )
        return attrs
