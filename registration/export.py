"""The registrants list as a file, in the shape a UN security office asks for to issue grounds
passes: one person a row, with honorific, position, organization and country spelled out; then a
column per session (for catering and room access) and per question (dietary needs, say). The
organizer may choose which columns, by key.

CSV is UTF-8 with a byte order mark, so Excel reads accents right; a cell that begins with a
character a spreadsheet reads as a formula is prefixed with a quote. XLSX cells are written as
text, never as formulas.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# OWASP's list: these start a formula in Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class Column:
    key: str  # stable: "email", "session:12", "question:7"
    heading: str
    width: int  # in characters, for the spreadsheet
    value: Callable  # (registration, event zone) -> str


class UnknownColumns(ValueError):
    def __init__(self, keys, columns):
        super().__init__(
            _("Unknown columns: %(keys)s. Choose from: %(known)s.")
            % {"keys": ", ".join(keys), "known": ", ".join(column.key for column in columns)}
        )


def _local(moment, zone) -> str:
    return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _organization(registration):
    return registration.organization_name or (
        registration.organization.name if registration.organization_id else ""
    )


def answer_text(value) -> str:
    """An answer as a cell: choices joined by "; ", a checkbox as yes or no."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else str(value)


def _session_column(session):
    def attends(registration, zone):
        chosen = {chosen.pk for chosen in registration.sessions.all()}  # prefetched
        return _("yes") if session.pk in chosen else ""

    return Column(
        f"session:{session.pk}", _("Session: %(title)s") % {"title": session.title}, 14, attends
    )


def _question_column(question):
    def answer(registration, zone):
        return answer_text((registration.answers or {}).get(str(question.pk)))

    return Column(f"question:{question.pk}", question.label, 24, answer)


def base_columns() -> list[Column]:
    """The grounds-pass columns, in order."""
    return [
        Column("honorific", _("Honorific"), 12, lambda r, z: r.honorific),
        Column("first_name", _("First name"), 18, lambda r, z: r.first_name),
        Column("last_name", _("Last name"), 20, lambda r, z: r.last_name),
        Column("position", _("Position"), 30, lambda r, z: r.position),
        Column("organization", _("Organization"), 36, lambda r, z: _organization(r)),
        Column("country", _("Country"), 22, lambda r, z: str(r.country.name) if r.country else ""),
        Column("country_code", _("Country code"), 9, lambda r, z: r.country.code or ""),
        Column("email", _("Email"), 32, lambda r, z: r.email),
        Column(
            "attendance", _("Attendance"), 12, lambda r, z: str(r.get_attendance_mode_display())
        ),
        Column("status", _("Status"), 18, lambda r, z: str(r.get_status_display())),
        Column("registered_at", _("Registered at"), 18, lambda r, z: _local(r.created_at, z)),
        Column("checked_in_at", _("Checked in at"), 18, lambda r, z: _local(r.checked_in_at, z)),
    ]


def available_columns(event) -> list[Column]:
    """Every column the event's export can have: the grounds-pass ones, then one per session
    and one per question."""
    return (
        base_columns()
        + [_session_column(session) for session in event.sessions.all()]
        + [_question_column(question) for question in event.questions.all()]
    )


def column_keys(query) -> list[str]:
    """Column keys asked for in a query: `?columns=a,b` or `?columns=a&columns=b`."""
    return [key for value in query.getlist("columns") for key in value.split(",") if key.strip()]


def chosen_columns(event, keys=None) -> list[Column]:
    """The columns named by `keys`, in the order given; all of them without keys."""
    columns = available_columns(event)
    keys = [key.strip() for key in (keys or []) if key and key.strip()]
    if not keys:
        return columns
    by_key = {column.key: column for column in columns}
    unknown = [key for key in keys if key not in by_key]
    if unknown:
        raise UnknownColumns(unknown, columns)
    return [by_key[key] for key in dict.fromkeys(keys)]


def rows(event, registrations, chosen=None):
    """One list of texts per registration; times in the event's time zone."""
    chosen = chosen or available_columns(event)
    zone = event.tzinfo
    for registration in registrations:
        yield [column.value(registration, zone) for column in chosen]


def neutralise_formula(value: str) -> str:
    """'=HYPERLINK(…)' becomes "'=HYPERLINK(…)", which a spreadsheet shows as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def as_csv(event, registrations, chosen=None) -> bytes:
    chosen = chosen or available_columns(event)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.heading for column in chosen])
    for row in rows(event, registrations, chosen):
        writer.writerow([neutralise_formula(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(event, registrations, chosen=None) -> bytes:
    chosen = chosen or available_columns(event)
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Registrants")[:31]
    bold = Font(bold=True)
    for index, column in enumerate(chosen, start=1):
        cell = sheet.cell(row=1, column=index, value=column.heading)
        cell.font = bold
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row_number, row in enumerate(rows(event, registrations, chosen), start=2):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=index, value=value)
            # openpyxl stores a text that starts with "=" as a formula; keep every cell text.
            cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(event, what, extension) -> str:
    stamp = timezone.localtime(timezone.now(), event.tzinfo).strftime("%Y%m%d")
    return f"{slugify(event.slug)[:60]}-{what}-{stamp}.{extension}"


def export(event, registrations, file_format, column_keys=None) -> ExportFile:
    """The registrations as a CSV or XLSX file named after the event, with the chosen columns
    (all of them without a choice). Raises UnknownColumns for a key the event has not."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown export format: {file_format}")
    chosen = chosen_columns(event, column_keys)
    name = filename(event, "registrants", file_format)
    if file_format == "csv":
        return ExportFile(as_csv(event, registrations, chosen), "text/csv; charset=utf-8", name)
    return ExportFile(
        as_xlsx(event, registrations, chosen),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name,
    )
