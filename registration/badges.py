"""Name badges for the door, ready for a printer: a PDF of eight badges a page (90 by 60 mm, on
A4 or US Letter, with light cut lines), or the same list as CSV for a badge printer's software.

Each badge reads the name with its honorific ("H.E. Ms. Kristina Zetterlund"), the organization
and the country. Names come in every script the UN works in, so the PDF is drawn with fpdf2
and HarfBuzz (Arabic joined and right to left) in the fonts the settings name: DejaVu Sans for
Latin, Cyrillic, Greek and Arabic, and a fallback such as Droid Sans Fallback for Chinese,
Japanese and Korean. A character no font has is reported, never silently dropped.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from fpdf import FPDF

from .export import ExportFile, filename, neutralise_formula
from .models import AttendanceMode, Registration

PAPERS = {"a4": "A4", "letter": "Letter"}
BADGE_WIDTH, BADGE_HEIGHT = 90, 60  # millimetres
COLUMNS, ROWS = 2, 4
PADDING = 6
GREY = (110, 110, 110)


class BadgeFontsMissing(Exception):
    pass


@dataclass(frozen=True)
class Badge:
    name: str
    organization: str
    country: str


@dataclass(frozen=True)
class BadgeSheet:
    content: bytes
    missing_characters: str  # characters none of the fonts could draw


def badge_registrations(registrations):
    """Who gets a badge: confirmed registrants who come in person, by family name."""
    return (
        registrations.filter(
            status=Registration.Status.CONFIRMED, attendance_mode=AttendanceMode.IN_PERSON
        )
        .select_related("organization")
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )


def badges(registrations) -> list[Badge]:
    return [
        Badge(
            name=registration.full_name,
            organization=registration.organization_name
            or (registration.organization.name if registration.organization_id else ""),
            country=str(registration.country.name) if registration.country else "",
        )
        for registration in registrations
    ]


def as_csv(badge_list) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Name"), _("Organization"), _("Country")])
    for badge in badge_list:
        writer.writerow(
            [neutralise_formula(value) for value in (badge.name, badge.organization, badge.country)]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _fonts(pdf):
    regular, bold = Path(settings.BADGE_FONT), Path(settings.BADGE_FONT_BOLD)
    if not regular.is_file() or not bold.is_file():
        raise BadgeFontsMissing(
            _(
                "The badge PDF needs the fonts %(regular)s and %(bold)s (on Debian: apt-get "
                "install fonts-dejavu-core), or BADGE_FONT and BADGE_FONT_BOLD set to others. "
                "The CSV badge list works without them."
            )
            % {"regular": regular, "bold": bold}
        )
    pdf.add_font("badge", "", str(regular))
    pdf.add_font("badge", "B", str(bold))
    fallbacks = []
    for number, path in enumerate(settings.BADGE_FALLBACK_FONTS):
        if Path(path).is_file():
            pdf.add_font(f"fallback{number}", "", path)
            fallbacks.append(f"fallback{number}")
    pdf.set_fallback_fonts(fallbacks, exact_match=False)
    pdf.set_text_shaping(True)


def _fitted(pdf, text, *, width, sizes, style, max_lines):
    """The largest of `sizes` at which `text` fits `width` in `max_lines` lines."""
    for size in sizes:
        pdf.set_font("badge", style, size)
        lines = pdf.multi_cell(width, size * 0.45, text, dry_run=True, output="LINES")
        if len(lines) <= max_lines:
            return size
    return sizes[-1]


def _write(pdf, text, *, x, y, width, size, style, color=(0, 0, 0)):
    pdf.set_font("badge", style, size)
    pdf.set_text_color(*color)
    pdf.set_xy(x, y)
    pdf.multi_cell(width, size * 0.45, text, align="C", max_line_height=size * 0.45)


def _draw(pdf, badge, *, x, y, event_title):
    pdf.set_draw_color(200, 200, 200)
    pdf.rect(x, y, BADGE_WIDTH, BADGE_HEIGHT)
    inner = BADGE_WIDTH - 2 * PADDING
    _write(pdf, event_title, x=x + PADDING, y=y + 4, width=inner, size=7, style="", color=GREY)
    name_size = _fitted(
        pdf, badge.name, width=inner, sizes=(22, 20, 18, 16, 14, 12), style="B", max_lines=2
    )
    _write(pdf, badge.name, x=x + PADDING, y=y + 16, width=inner, size=name_size, style="B")
    if badge.organization:
        size = _fitted(
            pdf, badge.organization, width=inner, sizes=(12, 11, 10, 9), style="", max_lines=2
        )
        below_name = max(y + 36, pdf.get_y() + 2)
        _write(
            pdf, badge.organization, x=x + PADDING, y=below_name, width=inner, size=size, style=""
        )
    if badge.country:
        _write(
            pdf,
            badge.country.upper(),
            x=x + PADDING,
            y=y + 50,
            width=inner,
            size=9,
            style="B",
            color=GREY,
        )


def as_pdf(badge_list, *, paper="a4", event_title="") -> BadgeSheet:
    """Eight badges a page, centred on the paper, in the order given."""
    pdf = FPDF(format=PAPERS.get(paper, "A4"), unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_creator("Plenary")
    pdf.set_title(_("Badges: %(title)s") % {"title": event_title})
    _fonts(pdf)
    left = (pdf.w - COLUMNS * BADGE_WIDTH) / 2
    top = (pdf.h - ROWS * BADGE_HEIGHT) / 2
    per_page = COLUMNS * ROWS
    if not badge_list:
        pdf.add_page()
    for index, badge in enumerate(badge_list):
        if index % per_page == 0:
            pdf.add_page()
        place = index % per_page
        _draw(
            pdf,
            badge,
            x=left + (place % COLUMNS) * BADGE_WIDTH,
            y=top + (place // COLUMNS) * BADGE_HEIGHT,
            event_title=event_title,
        )
    content = bytes(pdf.output())
    return BadgeSheet(content, _missing_characters(pdf, badge_list, event_title))


def _missing_characters(pdf, badge_list, event_title):
    texts = [event_title] + [
        text for badge in badge_list for text in (badge.name, badge.organization, badge.country)
    ]
    characters = {c for text in texts for c in text.upper() + text if not c.isspace()}
    return "".join(
        sorted(c for c in characters if not any(ord(c) in font.cmap for font in pdf.fonts.values()))
    )


def missing_message(missing) -> str:
    return _(
        "The fonts installed cannot draw these characters of some names: %(characters)s. Install "
        "fonts-droid-fallback (or name a font that has them in BADGE_FALLBACK_FONTS), or use "
        "the badge list as CSV."
    ) % {"characters": " ".join(missing)}


def export_badges(event, registrations, file_format, *, paper="a4") -> tuple[ExportFile, str]:
    """The badge list as a file, and the characters its PDF's fonts could not draw."""
    badge_list = badges(badge_registrations(registrations))
    if file_format == "csv":
        content = as_csv(badge_list)
        return ExportFile(content, "text/csv; charset=utf-8", filename(event, "badges", "csv")), ""
    sheet = as_pdf(badge_list, paper=paper, event_title=event.title)
    pdf = ExportFile(sheet.content, "application/pdf", filename(event, "badges", "pdf"))
    return pdf, sheet.missing_characters
