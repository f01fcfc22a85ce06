"""One error shape for the API, including the errors Django raises before DRF sees a request."""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from events.services import TransitionNotAllowed
from registration.locking import Busy
from registration.services import RegistrationRefused
from teams.services import LastOwner


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": _("The request body is too large.")}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, SuspiciousOperation):
        return Response(
            {"detail": _("The request could not be read.")}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, DjangoValidationError):
        return Response(_validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Busy):
        # A seat was held by others for too long; nothing was written, and trying again works.
        return Response(
            {"detail": exc.reason},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, TransitionNotAllowed | RegistrationRefused | LastOwner):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


def _validation_error_body(exc):
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": exc.messages}
    body = {}
    for field, errors in exc.error_dict.items():
        name = "non_field_errors" if field == "__all__" else field
        for error in errors:
            message = next(iter(error))
            if key := (error.params or {}).get("key"):
                # An error about one item of the field, such as one answer: keyed by its id.
                body.setdefault(name, {}).setdefault(key, []).append(message)
            else:
                body.setdefault(name, []).append(message)
    return body
