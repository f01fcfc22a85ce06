"""The API's one JSON parser: DRF's, with a limit on nesting.

Python's json module recurses once per level, so a body of a thousand nested brackets raises
RecursionError, which DRF would answer with a 500. No request of this API nests more than a few
levels, so anything deeper than settings.API_JSON_MAX_DEPTH is refused as unreadable (400).
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def nesting_depth(data) -> int:
    """How many arrays and objects deep `data` goes, counted without recursion."""
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(
            _("JSON parse error - nested more than %(depth)d levels deep.")
            % {"depth": settings.API_JSON_MAX_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if nesting_depth(data) > settings.API_JSON_MAX_DEPTH:
            raise too_deep
        return data
