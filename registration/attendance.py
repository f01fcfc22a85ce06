"""Online attendance from the meeting platform's own report: read it, show who it would mark,
then mark them.

Reports come as the platforms write them:
- Zoom's participant report: a CSV whose participant rows start under a header with
  "Name (Original Name)" and "User Email", sometimes after a meeting summary block that has a
  "User Email" column of its own (the host's). UTF-8, often with a byte order mark.
- Microsoft Teams' attendance report: UTF-16 tab-separated text in sections ("1. Summary",
  "2. Participants", "3. In-Meeting Activities"); the participants' section has "Email".
- Webex's attendee reports: UTF-16 tab-separated text (as Webex exports every report) or a CSV,
  with "Attendee Email" (or "Participant Email", or "Email").
- Anything else: a CSV or tab-separated file whose header names an email column ("Email",
  "E-mail", "Email address"), or whose email column the organizer picks.

Only confirmed online registrants are marked; the plan lists everyone else the report names:
registrants who are not confirmed online, addresses that are not registrants, rows without an
address (Zoom's guests), and rows with a bad one. Marking twice changes nothing.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.audit import Actor, log_action

from .models import AttendanceMode, AttendanceUpload, Registration

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 50_000

PLATFORMS = {
    "zoom": gettext_lazy("Zoom participant report"),
    "teams": gettext_lazy("Microsoft Teams attendance report"),
    "webex": gettext_lazy("Webex attendee report"),
    "": gettext_lazy("A file with a header row"),
}
# Header cells (compared case-insensitively) that mark each platform's participant rows, and
# the columns it keeps the address and the name in, in order of preference.
ZOOM_MARKERS = {"name (original name)"}
WEBEX_MARKERS = {"attendee email", "participant email", "attendance minutes", "attendee name"}
TEAMS_PARTICIPANTS = re.compile(r"^\s*2\.\s*participants\s*$", re.IGNORECASE)
TEAMS_SECTION = re.compile(r"^\s*\d+\.\s+\S")
EMAIL_HEADERS = {
    "zoom": ("user email", "email"),
    "teams": ("email", "participant id (upn)"),
    "webex": ("attendee email", "participant email", "email"),
    "": ("email", "e-mail", "email address", "e-mail address", "user email", "mail"),
}
NAME_HEADERS = (
    "name (original name)",
    "name",
    "full name",
    "attendee name",
    "participant name",
    "display name",
)


@dataclass
class Report:
    """A report as read: which platform wrote it, its participant header and rows."""

    platform: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line in the file, cells) of each participant row
    email_column: int | None = None
    name_column: int | None = None

    @property
    def platform_label(self):
        return PLATFORMS[self.platform]

    @property
    def email_header(self):
        return "" if self.email_column is None else self.headers[self.email_column]


@dataclass
class Plan:
    """Who a report would mark as attended, and what else it names; nothing is marked yet."""

    report: Report
    to_mark: list[Registration] = field(default_factory=list)
    already: list[Registration] = field(default_factory=list)
    not_online: list[Registration] = field(default_factory=list)
    not_registered: list[str] = field(default_factory=list)
    without_email: list[str] = field(default_factory=list)  # names of rows with no address
    errors: list[dict] = field(default_factory=list)

    @property
    def emails_to_mark(self):
        return [registration.email for registration in self.to_mark]

    def as_dict(self, *, marked=None):
        """The API's answer; `marked` is how many were marked, or None for a dry run."""
        return {
            "platform": self.report.platform,
            "column": self.report.email_header,
            "rows": len(self.report.rows),
            "marked": len(self.to_mark) if marked is None else marked,
            "already": len(self.already),
            "unknown": [r.email for r in self.not_online] + self.not_registered,
            "not_online": [r.email for r in self.not_online],
            "not_registered": self.not_registered,
            "without_email": self.without_email,
            "errors": self.errors,
            "dry_run": marked is None,
        }


def file_error(message):
    return ValidationError({"file": message})


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, refused above 5 MB."""
    too_big = _("The file is larger than 5 MB. Split it and import each part.")
    if getattr(upload, "size", None) is not None and upload.size > MAX_IMPORT_BYTES:
        raise file_error(too_big)
    raw = upload.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise file_error(too_big)
    return raw


def decode(raw: bytes) -> str:
    """UTF-16 (Teams, Webex) by its byte order mark or its zero bytes, else UTF-8, else the
    Windows code page a spreadsheet may have saved it in."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decoded(raw, "utf-16")
    if raw[1:200:2].count(0) > 20:  # UTF-16 without a byte order mark
        return _decoded(raw, "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _decoded(raw, "cp1252")


def _decoded(raw, encoding):
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise file_error(
            _("The file is not text we can read. Save it as “CSV UTF-8” and import it again.")
        ) from None


def _delimiter(text):
    """Tab when the opening lines have tabs (Teams' summary opens with a line of one cell),
    else the more frequent of semicolon and comma."""
    opening = "\n".join(text.splitlines()[:20])
    if "\t" in opening:
        return "\t"
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def _records(text):
    """(line number, cells) of every row of the file, blank rows as empty lists."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return [(reader.line_num, [cell.strip() for cell in cells]) for cells in reader]
    except csv.Error as error:
        raise file_error(
            _("The file could not be read as CSV: %(error)s") % {"error": error}
        ) from None


def _folded(cells):
    return {cell.casefold() for cell in cells}


def _participant_block(records):
    """(platform, index of the header record, index after the last participant row)."""
    for index, (_line, cells) in enumerate(records):
        if cells and TEAMS_PARTICIPANTS.match(cells[0]) and not any(cells[1:]):
            header = next((i for i in range(index + 1, len(records)) if records[i][1]), None)
            if header is not None:
                end = next(
                    (
                        i
                        for i in range(header + 1, len(records))
                        if not records[i][1] or TEAMS_SECTION.match(records[i][1][0])
                    ),
                    len(records),
                )
                return "teams", header, end
    for platform, markers in (("zoom", ZOOM_MARKERS), ("webex", WEBEX_MARKERS)):
        for index, (_line, cells) in enumerate(records):
            if markers & _folded(cells):
                end = next(
                    (i for i in range(index + 1, len(records)) if not records[i][1]),
                    len(records),
                )
                return platform, index, end
    header = next((i for i, (_line, cells) in enumerate(records) if cells), None)
    if header is None:
        raise file_error(_("The file is empty."))
    generic = set(EMAIL_HEADERS[""])
    header = next(
        (i for i, (_line, cells) in enumerate(records) if generic & _folded(cells)), header
    )
    return "", header, len(records)


def _column(headers, wanted):
    folded = [header.casefold() for header in headers]
    return next((folded.index(name) for name in wanted if name in folded), None)


def _chosen_column(headers, column):
    """The index of the column the organizer named, by its header or its number from 1."""
    column = str(column).strip()
    if column.isdigit() and 1 <= int(column) <= len(headers):
        return int(column) - 1
    found = _column(headers, [column.casefold()])
    if found is None:
        raise ValidationError(
            {
                "column": _("The file has no column “%(column)s”. Its columns are: %(headers)s.")
                % {"column": column, "headers": ", ".join(h or "—" for h in headers)}
            }
        )
    return found


def parse_report(raw: bytes, *, column="") -> Report:
    """Read a report; `column` names the email column when detection is not wanted or fails.

    A report whose email column cannot be found comes back with email_column None, for the
    organizer to pick one."""
    records = _records(decode(raw))
    platform, header, end = _participant_block(records)
    headers = records[header][1]
    rows = [(line, cells) for line, cells in records[header + 1 : end] if any(cells)]
    if len(rows) > MAX_IMPORT_ROWS:
        raise file_error(
            _("The file has more than %(count)s rows. Split it and import each part.")
            % {"count": f"{MAX_IMPORT_ROWS:,}"}
        )
    email_column = (
        _chosen_column(headers, column) if column else _column(headers, EMAIL_HEADERS[platform])
    )
    name_column = _column(headers, NAME_HEADERS)
    return Report(platform, headers, rows, email_column, name_column)


def plan(*, event, report: Report) -> Plan:
    """Who the report would mark, read from the event's registrations as they are now."""
    result = Plan(report=report)
    if report.email_column is None:
        return result
    listed = []
    for line, cells in report.rows:
        email = cells[report.email_column] if report.email_column < len(cells) else ""
        if not email:
            name = cells[report.name_column] if report.name_column is not None else ""
            result.without_email.append(name or _("row %(row)s") % {"row": line})
            continue
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append(
                {
                    "row": line,
                    "message": _("“%(email)s” is not an email address.") % {"email": email},
                }
            )
            continue
        listed.append(email.lower())
    listed = list(dict.fromkeys(listed))
    # An address may have cancelled and registered again: its live registration counts.
    registrations = {}
    for registration in Registration.objects.filter(event=event, email__in=listed).order_by(
        "created_at"
    ):
        current = registrations.get(registration.email)
        if current is None or current.status == Registration.Status.CANCELLED:
            registrations[registration.email] = registration
    for email in listed:
        registration = registrations.get(email)
        if registration is None:
            result.not_registered.append(email)
        elif not _online_and_confirmed(registration):
            result.not_online.append(registration)
        elif registration.attended:
            result.already.append(registration)
        else:
            result.to_mark.append(registration)
    return result


def _online_and_confirmed(registration):
    return (
        registration.status == Registration.Status.CONFIRMED
        and registration.attendance_mode == AttendanceMode.VIRTUAL
    )


@transaction.atomic
def mark_attended(*, event, emails, actor: Actor) -> int:
    """Mark the confirmed online registrants of the event with these addresses as attended;
    return how many were not marked before. One log entry for the import, on the event."""
    emails = [email.lower() for email in emails]
    marked = 0
    for start in range(0, len(emails), 500):
        marked += (
            Registration.objects.confirmed()
            .filter(
                event=event,
                attendance_mode=AttendanceMode.VIRTUAL,
                attended=False,
                email__in=emails[start : start + 500],
            )
            .update(attended=True, updated_at=timezone.now())
        )
    log_action(
        actor=actor, action="registration.attendance_imported", obj=event, data={"marked": marked}
    )
    return marked


def import_attendance(*, event, csv_file, actor: Actor, column="", dry_run=False) -> dict:
    """Read a report and mark whom it names (or, with dry_run, only say whom it would)."""
    report = parse_report(read_upload(csv_file), column=column)
    if report.email_column is None:
        raise ValidationError(
            {
                "column": _(
                    "No column of addresses was found. Name it with “column”: one of %(headers)s."
                )
                % {"headers": ", ".join(h or "—" for h in report.headers)}
            }
        )
    found = plan(event=event, report=report)
    if dry_run:
        return found.as_dict()
    return found.as_dict(
        marked=mark_attended(event=event, emails=found.emails_to_mark, actor=actor)
    )


# --- The workspace's two steps: upload, then preview and confirm ------------------------------

UPLOAD_KEPT_FOR = timedelta(days=1)  # an upload nobody confirmed is dropped after this


class AlreadyApplied(Exception):
    pass


@transaction.atomic
def keep_upload(*, event, user, upload) -> AttendanceUpload:
    """Keep an uploaded report for its preview, once it reads as a report at all."""
    raw = read_upload(upload)
    parse_report(raw)
    AttendanceUpload.objects.filter(
        event=event, applied_at__isnull=True, created_at__lt=timezone.now() - UPLOAD_KEPT_FOR
    ).delete()
    return AttendanceUpload.objects.create(
        event=event, uploaded_by=user, filename=(upload.name or "")[:255], content=raw
    )


def read_kept(kept: AttendanceUpload, *, column="") -> Report:
    return parse_report(bytes(kept.content), column=column)


@transaction.atomic
def apply_upload(*, kept: AttendanceUpload, actor: Actor, column="") -> int:
    """Mark whom the kept report names, with the column the preview showed; drop its content."""
    kept = AttendanceUpload.objects.select_for_update().get(pk=kept.pk)
    if kept.applied_at is not None:
        raise AlreadyApplied
    report = read_kept(kept, column=column)
    if report.email_column is None:
        raise ValidationError({"column": _("Choose the column that holds the email addresses.")})
    found = plan(event=kept.event, report=report)
    kept.marked = mark_attended(event=kept.event, emails=found.emails_to_mark, actor=actor)
    kept.column = report.email_header[:200]
    kept.applied_at = timezone.now()
    kept.content = b""
    kept.save(update_fields=["marked", "column", "applied_at", "content"])
    return kept.marked
