"""The registrants export: readable by Excel, and safe to open."""

import csv
import io

import openpyxl
from django.utils import timezone

from registration import export
from registration.models import Registration


def test_csv_starts_with_a_byte_order_mark_and_keeps_accents(hybrid_event, register):
    register(hybrid_event, first_name="Łukasz", last_name="Gaspard-Ndiaye", country="SN")

    content = export.as_csv(hybrid_event, Registration.objects.all())

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][1:3] == ["Łukasz", "Gaspard-Ndiaye"]
    assert rows[1][5:7] == ["Senegal", "SN"]


def test_csv_cells_that_would_be_formulas_are_quoted(hybrid_event, register):
    register(
        hybrid_event,
        first_name='=HYPERLINK("https://evil.example")',
        last_name="+1 212 555",
        position="-2+3",
        organization_name="@SUM(A1)",
    )

    content = export.as_csv(hybrid_event, Registration.objects.all())

    row = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1]
    assert row[1] == '\'=HYPERLINK("https://evil.example")'
    assert row[2] == "'+1 212 555"
    assert row[3] == "'-2+3"
    assert row[4] == "'@SUM(A1)"


def test_xlsx_writes_would_be_formulas_as_text(hybrid_event, register):
    register(hybrid_event, first_name="=1+1")

    content = export.as_xlsx(hybrid_event, Registration.objects.all())

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["B2"].value == "=1+1"
    assert sheet["B2"].data_type == "s"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width >= 30


def test_times_are_in_the_event_time_zone(hybrid_event, register):
    registration = register(hybrid_event)
    registration.checked_in_at = timezone.now()
    registration.save()

    row = next(export.rows(hybrid_event, [registration]))

    local = timezone.localtime(registration.created_at, hybrid_event.tzinfo)
    assert row[10] == local.strftime("%Y-%m-%d %H:%M")
    assert row[11] == timezone.localtime(registration.checked_in_at, hybrid_event.tzinfo).strftime(
        "%Y-%m-%d %H:%M"
    )
