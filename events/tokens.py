"""The "<id>.<secret>" tokens of private links (manage-registration and invitation links)."""

from django.utils.crypto import constant_time_compare

TOKEN_MAX_LENGTH = 200


def split_token(token: str) -> tuple[int, str] | None:
    """(id, secret) of a well-formed token, else None; nothing is looked up."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    object_id, _dot, secret = token.partition(".")
    if not (object_id.isascii() and object_id.isdigit()) or not secret:
        return None
    return int(object_id), secret


def object_for_token(queryset, token: str, secret_field: str):
    """The object of `queryset` the token opens, or None; the secret is compared in constant
    time."""
    parts = split_token(token)
    if parts is None:
        return None
    obj = queryset.filter(pk=parts[0]).first()
    if obj is None or not constant_time_compare(parts[1], getattr(obj, secret_field)):
        return None
    return obj
