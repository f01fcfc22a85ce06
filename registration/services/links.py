"""The registrant's private link: sent again on request, and opened."""

from django.utils import timezone

from events.tokens import object_for_token

from .. import emails
from ..models import Registration


def remind_link(registration: Registration, *, now=None) -> None:
    """Send the existing registrant their link again, at most once an hour."""
    hour = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    emails.notify(registration, "registration_link", key=f"{hour:%Y%m%d%H}")


def manage_token_registration(token: str) -> Registration | None:
    """The registration a manage link opens, or None; the secret is compared in constant time."""
    return object_for_token(Registration.objects.select_related("event"), token, "manage_secret")
