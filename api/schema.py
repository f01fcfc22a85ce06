"""The OpenAPI schema as the API really answers: every operation documents the errors it can
give in the API's error shape, and fields that only some callers see are not required.

Errors are added here once, from what each view is made of, rather than copied onto every view:
- 400 (field errors, or `detail` for an unreadable body) for operations that take a body;
- 401 and 403 for operations that read credentials (a bad token, a refused permission, a
  session without its CSRF token);
- 404 for operations with an object in the path, and for paginated lists (a page past the end);
- 429 (`Retry-After`) for throttled operations.
A view's own description of a code is kept; only its body schema is filled in when missing.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

BODY_METHODS = {"POST", "PUT", "PATCH"}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, in plain words."))


VALIDATION_ERROR = {
    "type": "object",
    "description": str(
        _(
            'Field errors: {"<field>": ["message", ...]}, with "non_field_errors" for the whole '
            'object, or {"detail": "..."} when the body could not be read.'
        )
    ),
    "additionalProperties": {},
}

DESCRIPTIONS = {
    "400": _("The request is malformed or a field is wrong; nothing was changed."),
    "401": _("No credentials, or a bad token."),
    "403": _("The credentials do not allow this."),
    "404": _("Not found, or not yours to see."),
    "409": _("The object's state does not allow this now."),
    "429": _("Too many requests; retry after the number of seconds in Retry-After."),
}


class AutoSchema(SpectacularAutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A serializer whose Meta names `door_fields` answers only those to check-in staff:
        # the others are documented but not required.
        door_fields = getattr(getattr(serializer, "Meta", None), "door_fields", None)
        if door_fields and direction == "response" and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name in door_fields]
        # An optional link or address reads as "" when absent, which no "uri" or "email"
        # format accepts: document the empty string as the alternative it is.
        for name, field in serializer.fields.items():
            mapped = schema.get("properties", {}).get(name)
            if mapped and mapped.get("format") in ("uri", "email") and _may_be_blank(field):
                mapped["anyOf"] = [{"format": mapped.pop("format")}, {"maxLength": 0}]
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            documented = responses.get(code)
            if documented is None:
                responses[code] = self._error_response(code, DESCRIPTIONS[code])
            elif "content" not in documented:
                responses[code] = {
                    **self._error_response(code, documented["description"]),
                    **{key: value for key, value in documented.items() if key != "content"},
                }
        return dict(sorted(responses.items()))

    def _error_codes(self):
        codes = {code for code in DESCRIPTIONS if code in self._declared_codes()}
        if self.method in BODY_METHODS:
            codes.add("400")
        if self.view.get_authenticators():
            codes |= {"401", "403"}
        if "{" in self.path or (self.method == "GET" and self._is_list_view()):
            codes.add("404")
        if self.view.get_throttles():
            codes.add("429")
        return codes

    def _declared_codes(self):
        declared = self.get_response_serializers()
        return {str(code) for code in declared} if isinstance(declared, dict) else set()

    def _error_response(self, code, description):
        body = VALIDATION_ERROR if code == "400" else ErrorSerializer
        response = self._get_response_for_code(OpenApiResponse(body, description), code)
        if code == "429":
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": str(_("Seconds to wait before trying again.")),
                }
            }
        return response


def _may_be_blank(field):
    if getattr(field, "allow_blank", False):
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return model._meta.get_field(field.source).blank
    except FieldDoesNotExist:  # a property, such as public_url
        return False
