"""What an attendee changes through the private link in their emails, and what they get back."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registration.emails import manage_url
from registration.models import AttendanceMode, Registration


class AttendeeRegistrationSerializer(serializers.ModelSerializer):
    """The registration after the change."""

    manage_url = serializers.SerializerMethodField(
        help_text=_("The registrant's private link to see, change or cancel the registration.")
    )

    class Meta:
        model = Registration
        fields = ["id", "status", "attendance_mode", "manage_url"]
        read_only_fields = fields

    def get_manage_url(self, registration) -> str:
        return manage_url(registration)


class ModeSwitchSerializer(serializers.Serializer):
    attendance_mode = serializers.ChoiceField(
        choices=AttendanceMode.choices, help_text=_("The mode to attend in from now on.")
    )


class AttendeeRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Why the change is not possible, in plain words."))
