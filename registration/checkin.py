"""Who came: checking people in at the door. Each check-in runs in one transaction and is safe
to repeat.

A check-in locks the registration's row, so two doors scanning the same ticket at once record
one check-in; the second door learns when the first one let the person in.

Staff may type a ticket code in any case, with spaces or dashes, or only its start: a prefix of
at least four characters that only one ticket of the event begins with is that ticket. A prefix
two tickets share is refused, naming both, so staff pick the one in front of them. A whole code
whose check character does not match is a typo, and says so. See tickets.py for the codes.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.audit import Actor, log_action

from . import tickets
from .models import AttendanceMode, Registration
from .services import RegistrationRefused

SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 25
MATCHES_NAMED = 5  # tickets named when a prefix is ambiguous


class TicketNotFound(Exception):
    """No registration of this event carries the ticket code (HTTP 404)."""

    def __init__(self, ticket_code, *, mistyped=False, too_short=False):
        if mistyped:
            message = _(
                "This code has a typo: its check character does not match. Check each character, "
                "or find the person by name."
            )
        elif too_short:
            message = _("Too short: type at least %(count)d characters of the code.") % {
                "count": tickets.PREFIX_MIN_LENGTH
            }
        else:
            message = _("No ticket with this code for this event.")
        super().__init__(message)
        self.ticket_code = ticket_code
        self.mistyped = mistyped
        self.message = message


class AmbiguousTicketCode(Exception):
    """The typed start of a code is the start of more than one ticket (HTTP 400)."""

    def __init__(self, ticket_code, matches, *, more=False):
        named = ", ".join(
            f"{registration.ticket_code_grouped} ({registration.full_name})"
            for registration in matches
        )
        count = len(matches)
        message = ngettext(
            "“%(code)s” starts %(count)d ticket: %(tickets)s. Type more of the code.",
            "“%(code)s” starts %(count)d tickets: %(tickets)s. Type more of the code.",
            count,
        ) % {"code": ticket_code, "count": count, "tickets": named}
        if more:
            message += " " + _("More tickets start with it than are named here.")
        super().__init__(message)
        self.ticket_code = ticket_code
        self.matches = matches
        self.message = message


class NotConfirmed(RegistrationRefused):
    """The ticket is real but its registration holds no confirmed place (HTTP 409)."""

    def __init__(self, registration):
        super().__init__(
            _("This registration is %(status)s, not confirmed.")
            % {"status": registration.get_status_display().lower()}
        )
        self.registration = registration


def find_ticket(*, event, ticket_code) -> Registration:
    """The registration of this event whose code is, or uniquely starts with, what was typed.

    Raises TicketNotFound (with why: a typo, too short) or AmbiguousTicketCode (with the
    matches). A code of another event is as unknown as a mistyped one.
    """
    code = tickets.normalize(ticket_code)
    if not code:
        raise TicketNotFound(ticket_code)
    candidates = list(
        Registration.objects.filter(event=event, ticket_code__startswith=code)
        .select_related("event")
        .order_by("ticket_code")[: MATCHES_NAMED + 1]
    )
    exact = next((r for r in candidates if r.ticket_code == code), None)
    if exact is not None:
        return exact
    if tickets.mistyped(code) and not candidates:
        raise TicketNotFound(ticket_code, mistyped=True)
    if len(code) < tickets.PREFIX_MIN_LENGTH or not candidates:
        raise TicketNotFound(ticket_code, too_short=len(code) < tickets.PREFIX_MIN_LENGTH)
    if len(candidates) > 1:
        raise AmbiguousTicketCode(
            code, candidates[:MATCHES_NAMED], more=len(candidates) > MATCHES_NAMED
        )
    return candidates[0]


@transaction.atomic
def check_in(*, event, ticket_code, actor: Actor, now=None) -> tuple[Registration, bool]:
    """Check in the holder of a ticket of this event; returns it and whether it already was."""
    found = find_ticket(event=event, ticket_code=ticket_code)
    return check_in_registration(registration=found, actor=actor, now=now)


@transaction.atomic
def check_in_registration(*, registration, actor: Actor, now=None) -> tuple[Registration, bool]:
    """Check in a registrant found by name at the door; returns it and whether it already was."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )
    return _check_in_locked(registration, actor=actor, now=now)


def _check_in_locked(registration, *, actor, now):
    if registration.status != Registration.Status.CONFIRMED:
        raise NotConfirmed(registration)
    if registration.checked_in_at is not None:
        return registration, True
    registration.checked_in_at = now or timezone.now()
    registration.attended = True
    registration.save(update_fields=["checked_in_at", "attended", "updated_at"])
    log_action(actor=actor, action="registration.checked_in", obj=registration)
    return registration, False


# Reads for the check-in desk.


def door_list(event):
    """Who is expected at the door: confirmed in-person registrants, and anyone confirmed online
    who came in person anyway."""
    return Registration.objects.confirmed().filter(
        Q(attendance_mode=AttendanceMode.IN_PERSON) | Q(checked_in_at__isnull=False), event=event
    )


def door_counts(event) -> dict:
    """{"checked_in", "expected"} for the count at the top of the check-in page."""
    expected = door_list(event)
    return {
        "checked_in": expected.filter(checked_in_at__isnull=False).count(),
        "expected": expected.count(),
    }


def search_door_list(event, query):
    """Registrants expected at the door whose name, email or organization contains every word
    of the query; nothing for a query shorter than two characters."""
    query = " ".join((query or "").split())
    if len(query) < SEARCH_MIN_LENGTH:
        return Registration.objects.none()
    found = door_list(event)
    for word in query.split():
        found = found.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(organization_name__icontains=word)
        )
    return found.order_by(Lower("last_name"), Lower("first_name"), "pk")[:SEARCH_LIMIT]
