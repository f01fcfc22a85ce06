"""The OpenAPI schema as the API really answers: its error responses, and fields that only
some callers see."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A serializer whose Meta names `door_fields` answers only those to check-in staff:
        # the others are documented but not required.
        door_fields = getattr(getattr(serializer, "Meta", None), "door_fields", None)
        if door_fields and direction == "response" and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name in door_fields]
        return schema
