"""The outbox as an organizer or integrator reads it: one row per email, as it stands now."""

from django.utils import timezone
from rest_framework import serializers

from notifications.models import Message


class MessageSerializer(serializers.ModelSerializer):
    """Times are written in the event's own time zone, like the event's."""

    to = serializers.EmailField(source="to_email", read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "to",
            "to_name",
            "status",
            "delivery_status",
            "subject",
            "attempts",
            "created_at",
            "sent_at",
            "esp_message_id",
            "error",
        ]
        read_only_fields = fields

    def to_representation(self, message):
        event = self.context.get("event")
        if event is None:
            return super().to_representation(message)
        with timezone.override(event.tzinfo):
            return super().to_representation(message)


class MessageCountsSerializer(serializers.Serializer):
    by_kind = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Number of messages per kind, then per status; absent means none.",
    )
    total = serializers.IntegerField()
