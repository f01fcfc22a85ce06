"""Online attendance from the meeting platform's report."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AttendanceMode, Registration

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 50_000


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
