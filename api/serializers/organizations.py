from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from events.models import Membership, Organization

from .base import CleanModelSerializer


class OrganizationSerializer(CountryFieldMixin, CleanModelSerializer):
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, read_only=True, help_text=_("Your role in its team.")
    )

    class Meta:
        model = Organization
        fields = ["id", "name", "short_name", "kind", "country", "role"]
