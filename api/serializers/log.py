"""The event's audit log as the API lists it (see events.audit and events.log)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import LogEntry


class LogActorSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LogEntry.ActorKind.choices)
    name = serializers.CharField()


class LogObjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The object's type, e.g. `registration`.")
    id = serializers.CharField()


class LogEntrySerializer(serializers.ModelSerializer):
    """`data` holds the changed fields as `{"field": {"from": old, "to": new}}`, or what else
    explains the change (e.g. `{"email": …}` for an invitation created)."""

    actor = serializers.SerializerMethodField()
    object = serializers.SerializerMethodField()

    class Meta:
        model = LogEntry
        fields = ["at", "actor", "action", "object", "data"]
        read_only_fields = fields

    @extend_schema_field(LogActorSerializer)
    def get_actor(self, entry):
        return {"kind": entry.actor_kind, "name": entry.actor_name}

    @extend_schema_field(LogObjectSerializer)
    def get_object(self, entry):
        return {"type": entry.object_type, "id": entry.object_id}
