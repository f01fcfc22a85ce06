"""Why a registration is refused, and the one decision between waiting and refusing."""

from functools import wraps

from django.utils.translation import gettext as _

from .. import capacity
from .links import remind_link


class RegistrationRefused(Exception):
    """The request is well formed but the event's state does not allow it (HTTP 409)."""

    def __init__(self, reason, *, field=None):
        super().__init__(reason)
        self.reason = reason
        self.field = field


class DuplicateRegistration(RegistrationRefused):
    """Registered already with this address; `sends_link_again` has sent its link again."""

    def __init__(self, existing):
        super().__init__(
            _(
                "This email address is already registered for this event. "
                "We have sent its link again."
            )
        )
        self.existing = existing


def sends_link_again(service):
    """Whoever registers twice with one address is sent the link of the registration they have,
    once their (refused) transaction is over, then refused."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except DuplicateRegistration as duplicate:
            remind_link(duplicate.existing)
            raise

    return wrapper


# The form field a refusal is shown on, by the kind of limit that refused.
REFUSED_FIELDS = {capacity.Limit.SESSION: "sessions"}


def waitlist_or_refuse(registration, full: capacity.SeatsUnavailable) -> None:
    """Return when the registration waits for a seat (its mode is full and the event keeps a
    waitlist); any other full limit refuses it."""
    if full.kind is capacity.Limit.MODE and registration.event.waitlist_enabled:
        return
    raise RegistrationRefused(full.reason, field=REFUSED_FIELDS.get(full.kind)) from None
