"""The registrants list as a file, in the shape a UN security office asks for to issue grounds
passes: one person a row, with honorific, position, organization and country spelled out.

CSV is UTF-8 with a byte order mark, so Excel reads accents right; a cell that begins with a
character a spreadsheet reads as a formula is prefixed with a quote. XLSX cells are written as
text, never as formulas.
"""

import csv
import io
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


def columns() -> list[tuple[str, int]]:
    """(heading, width in characters) of each column, in order."""
    return [
        (_("Honorific"), 12),
        (_("First name"), 18),
        (_("Last name"), 20),
        (_("Position"), 30),
        (_("Organization"), 36),
        (_("Country"), 22),
        (_("Country code"), 9),
        (_("Email"), 32),
        (_("Attendance"), 12),
        (_("Status"), 18),
        (_("Registered at"), 18),
        (_("Checked in at"), 18),
    ]


def _local(moment, zone) -> str:
    return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def rows(event, registrations):
    """One list of texts per registration; times in the event's time zone."""
    zone = event.tzinfo
    for registration in registrations:
        organization = registration.organization_name or (
            registration.organization.name if registration.organization_id else ""
        )
        yield [
            registration.honorific,
            registration.first_name,
            registration.last_name,
            registration.position,
            organization,
            str(registration.country.name) if registration.country else "",
            registration.country.code or "",
            registration.email,
            str(registration.get_attendance_mode_display()),
            str(registration.get_status_display()),
            _local(registration.created_at, zone),
            _local(registration.checked_in_at, zone),
        ]


def neutralise_formula(value: str) -> str:
    """'=HYPERLINK(…)' becomes "'=HYPERLINK(…)", which a spreadsheet shows as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def as_csv(event, registrations) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for heading, _width in columns()])
    for row in rows(event, registrations):
        writer.writerow([neutralise_formula(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(event, registrations) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Registrants")[:31]
    bold = Font(bold=True)
    for index, (heading, width) in enumerate(columns(), start=1):
        cell = sheet.cell(row=1, column=index, value=heading)
        cell.font = bold
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row_number, row in enumerate(rows(event, registrations), start=2):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=index, value=value)
            # openpyxl stores a text that starts with "=" as a formula; keep every cell text.
            cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(event, registrations, file_format) -> ExportFile:
    """The registrations as a CSV or XLSX file named after the event."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown export format: {file_format}")
    stamp = timezone.localtime(timezone.now(), event.tzinfo).strftime("%Y%m%d")
    filename = f"{slugify(event.slug)[:60]}-registrants-{stamp}.{file_format}"
    if file_format == "csv":
        return ExportFile(as_csv(event, registrations), "text/csv; charset=utf-8", filename)
    return ExportFile(
        as_xlsx(event, registrations),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename,
    )
