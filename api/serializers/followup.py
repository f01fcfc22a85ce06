"""The follow-up after the event: what the organizer asks, and who it goes to."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class FollowupRequestSerializer(serializers.Serializer):
    include_invitees = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Also invited guests who never registered, with their own wording."),
    )


class FollowupQueuedSerializer(serializers.Serializer):
    attended = serializers.IntegerField(help_text=_("Confirmed registrants who attended."))
    absent = serializers.IntegerField(help_text=_("Confirmed registrants who did not attend."))
    invited = serializers.IntegerField(help_text=_("Invited guests who never registered."))
    job = serializers.IntegerField(help_text=_("The job writing the messages."))
