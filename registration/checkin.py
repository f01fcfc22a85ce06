"""Who came: checking people in at the door, and marking online attendance from the meeting
platform's report. Each change runs in one transaction and is safe to repeat.

A check-in locks the registration's row, so two doors scanning the same ticket at once record
one check-in; the second door learns when the first one let the person in.
"""

import csv
import io
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AttendanceMode, Registration
from .services import RegistrationRefused

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 50_000
SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 25

# Spaces, hyphens and the dashes (U+2010 to U+2015) that people type or paste into a code.
_NOT_IN_CODE = re.compile(r"[\s\-\u2010-\u2015]+")


class TicketNotFound(Exception):
    """No registration of this event carries the ticket code (HTTP 404)."""

    def __init__(self, ticket_code):
        super().__init__(_("No ticket with this code for this event."))
        self.ticket_code = ticket_code


class NotConfirmed(RegistrationRefused):
    """The ticket is real but its registration holds no confirmed place (HTTP 409)."""

    def __init__(self, registration):
        super().__init__(
            _("This registration is %(status)s, not confirmed.")
            % {"status": registration.get_status_display().lower()}
        )
        self.registration = registration


def normalize_ticket_code(code: str) -> str:
    """'k7pq-x2mn ab3c' as typed at the door reads as the stored 'K7PQX2MNAB3C'."""
    return _NOT_IN_CODE.sub("", code or "").upper()


@transaction.atomic
def check_in(*, event, ticket_code, now=None) -> tuple[Registration, bool]:
    """Check in the holder of a ticket of this event; returns it and whether it already was.

    A code of another event is as unknown as a mistyped one."""
    code = normalize_ticket_code(ticket_code)
    registration = (
        Registration.objects.select_for_update(of=("self",))  # not the event: registering goes on
        .select_related("event")
        .filter(event=event, ticket_code=code)
        .first()
        if code
        else None
    )
    if registration is None:
        raise TicketNotFound(ticket_code)
    return _check_in_locked(registration, now=now)


@transaction.atomic
def check_in_registration(*, registration, now=None) -> tuple[Registration, bool]:
    """Check in a registrant found by name at the door; returns it and whether it already was."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )
    return _check_in_locked(registration, now=now)


def _check_in_locked(registration, *, now):
    if registration.status != Registration.Status.CONFIRMED:
        raise NotConfirmed(registration)
    if registration.checked_in_at is not None:
        return registration, True
    registration.checked_in_at = now or timezone.now()
    registration.attended = True
    registration.save(update_fields=["checked_in_at", "attended", "updated_at"])
    return registration, False


@transaction.atomic
def import_attendance(*, event, csv_file) -> dict:
    """Mark the confirmed online registrants listed in a meeting platform's attendance report
    as attended.

    The report is a CSV file (UTF-8 with or without a byte order mark, or UTF-16 as Microsoft
    Teams saves it; comma, semicolon or tab separated) whose header names an `email` column.
    Rows with a bad address are reported and the others applied; an address listed twice counts
    once. Returns
    {"rows", "marked", "already", "unknown": [emails], "errors": [{"row", "message"}]}.
    """
    rows = _read_report(csv_file)
    emails, errors = [], []
    for number, email in rows:
        if not email:
            errors.append({"row": number, "message": _("No email address in this row.")})
            continue
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                {
                    "row": number,
                    "message": _("“%(email)s” is not an email address.") % {"email": email},
                }
            )
            continue
        emails.append(email.lower())
    listed = list(dict.fromkeys(emails))

    online = {
        registration.email: registration
        for registration in Registration.objects.select_for_update()
        .confirmed()
        .filter(event=event, attendance_mode=AttendanceMode.VIRTUAL)
        .only("pk", "email", "attended")
    }
    to_mark = [
        online[email].pk for email in listed if email in online and not online[email].attended
    ]
    for start in range(0, len(to_mark), 500):
        Registration.objects.filter(pk__in=to_mark[start : start + 500]).update(
            attended=True, updated_at=timezone.now()
        )
    found = [email for email in listed if email in online]
    return {
        "rows": len(rows),
        "marked": len(to_mark),
        "already": len(found) - len(to_mark),
        "unknown": [email for email in listed if email not in online],
        "errors": errors,
    }


def _read_report(csv_file) -> list[tuple[int, str]]:
    """(row number as a spreadsheet shows it, email) for each non-empty row after the header."""
    size = getattr(csv_file, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        raise _file_error(_("The file is larger than 5 MB. Split it and import each part."))
    raw = csv_file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise _file_error(_("The file is larger than 5 MB. Split it and import each part."))
    text = _decoded(raw)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter, column = _email_column(header_line)
    if column is None:
        raise _file_error(
            _(
                "The file has no “email” column. Name the column of addresses “email” "
                "in its first row."
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, past_header = [], False
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if not past_header:
            past_header = True
            continue
        if len(rows) == MAX_IMPORT_ROWS:
            raise _file_error(
                _("The file has more than %(count)s rows. Split it and import each part.")
                % {"count": f"{MAX_IMPORT_ROWS:,}"}
            )
        rows.append((reader.line_num, cells[column].strip() if column < len(cells) else ""))
    return rows


def _decoded(raw: bytes) -> str:
    # Microsoft Teams saves its attendance lists as UTF-16 with a byte order mark.
    encoding = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise _file_error(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and import it again.")
        ) from None


def _email_column(header_line):
    """The delimiter and index of the `email` column that the header line names, or (",", None)."""
    for delimiter in (",", ";", "\t"):
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        for index, cell in enumerate(cells):
            if cell.strip().casefold() == "email":
                return delimiter, index
    return ",", None


def _file_error(message):
    return ValidationError({"file": message})


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
