"""The directory of organizations, the caller's teams, and a team's members and invitations."""

from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from events.models import Membership, Organization
from teams.models import TeamInvitation

from .base import CleanModelSerializer


class OrganizationSerializer(CountryFieldMixin, CleanModelSerializer):
    role = serializers.ChoiceField(
        choices=Membership.Role.choices,
        read_only=True,
        allow_null=True,
        help_text=_("Your role when this is one of your teams; null for a directory entry."),
    )

    class Meta:
        model = Organization
        fields = ["id", "name", "short_name", "kind", "country", "role", "is_team", "code"]
        read_only_fields = ["is_team", "code"]
        extra_kwargs = {
            "code": {"help_text": _("Set on the entries shipped with Plenary, e.g. mission:GH.")},
        }


class MemberSerializer(serializers.ModelSerializer):
    """A member of the team. Only the role can be changed, by the team's owners."""

    name = serializers.SerializerMethodField()
    email = serializers.EmailField(source="user.email", read_only=True)
    joined_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "name", "email", "role", "joined_at"]

    def get_name(self, membership) -> str:
        return membership.user.get_full_name() or membership.user.get_username()


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class TeamInvitationSerializer(serializers.ModelSerializer):
    """An invitation sent by email; its link is in that email only."""

    status = serializers.SerializerMethodField()

    class Meta:
        model = TeamInvitation
        fields = ["id", "email", "role", "status", "created_at", "expires_at"]

    def get_status(self, invitation) -> str:
        return invitation.status().value
