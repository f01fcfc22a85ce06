"""Check-in at the door and online attendance from the meeting platform's report."""

import threading
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from registration import attendance, checkin, services
from registration.models import Registration
from tests.factories import EventFactory

FIRST_SCAN = datetime(2019, 11, 12, 15, 4, tzinfo=UTC)
LATER_SCAN = datetime(2019, 11, 12, 15, 30, tzinfo=UTC)


def report(text, *, encoding="utf-8"):
    return SimpleUploadedFile("attendance.csv", text.encode(encoding), content_type="text/csv")


@pytest.fixture
def delegate(hybrid_event, register):
    return register(
        hybrid_event,
        email="kristina.zetterlund@gov.se",
        honorific="H.E. Ms.",
        first_name="Kristina",
        last_name="Zetterlund",
        organization_name="Permanent Mission of Sweden",
    )


def test_first_check_in_records_the_time_and_attendance(hybrid_event, delegate):
    registration, already = checkin.check_in(
        event=hybrid_event, ticket_code=delegate.ticket_code, now=FIRST_SCAN
    )

    assert already is False
    assert registration == delegate
    delegate.refresh_from_db()
    assert delegate.checked_in_at == FIRST_SCAN
    assert delegate.attended is True


def test_second_check_in_says_already_with_the_first_time(hybrid_event, delegate):
    checkin.check_in(event=hybrid_event, ticket_code=delegate.ticket_code, now=FIRST_SCAN)

    registration, already = checkin.check_in(
        event=hybrid_event, ticket_code=delegate.ticket_code, now=LATER_SCAN
    )

    assert already is True
    assert registration.checked_in_at == FIRST_SCAN
    delegate.refresh_from_db()
    assert delegate.checked_in_at == FIRST_SCAN


def test_code_is_matched_ignoring_case_spaces_and_dashes(hybrid_event, delegate):
    code = delegate.ticket_code
    typed = f" {code[:4].lower()}-{code[4:8]} – {code[8:].lower()} "

    registration, already = checkin.check_in(event=hybrid_event, ticket_code=typed)

    assert registration == delegate
    assert already is False


def test_code_of_another_event_is_unknown(organization, hybrid_event, register):
    other_event = EventFactory(organization=organization)
    elsewhere = register(other_event)

    with pytest.raises(checkin.TicketNotFound):
        checkin.check_in(event=hybrid_event, ticket_code=elsewhere.ticket_code)

    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


@pytest.mark.parametrize("code", ["", "  ", "NOSUCHCODE12"])
def test_unknown_code_is_not_found(hybrid_event, code):
    with pytest.raises(checkin.TicketNotFound):
        checkin.check_in(event=hybrid_event, ticket_code=code)


def test_waitlisted_registration_is_refused_and_not_checked_in(hybrid_event, register):
    register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)
    assert waiting.status == Registration.Status.WAITLISTED

    with pytest.raises(checkin.NotConfirmed) as refusal:
        checkin.check_in(event=hybrid_event, ticket_code=waiting.ticket_code)

    assert refusal.value.reason == "This registration is waitlisted, not confirmed."
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None
    assert waiting.attended is False


def test_check_in_by_registration_for_the_search_at_the_door(delegate):
    registration, already = checkin.check_in_registration(registration=delegate, now=FIRST_SCAN)
    again, already_again = checkin.check_in_registration(registration=delegate, now=LATER_SCAN)

    assert (already, already_again) == (False, True)
    assert registration.checked_in_at == again.checked_in_at == FIRST_SCAN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_doors_scanning_one_ticket_at_once_record_one_check_in(hybrid_event, delegate):
    doors = 2
    start = threading.Barrier(doors)
    outcomes, errors = [], []

    def door():
        try:
            start.wait()
            outcomes.append(checkin.check_in(event=hybrid_event, ticket_code=delegate.ticket_code))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=door) for _ in range(doors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(already for _registration, already in outcomes) == [False, True]
    first, second = (registration.checked_in_at for registration, _already in outcomes)
    assert first == second
    delegate.refresh_from_db()
    assert delegate.checked_in_at == first


@pytest.fixture
def online(hybrid_event, register):
    """Two confirmed online registrants, one in person, and one online who cancelled."""
    cancelled = register(hybrid_event, email="gone@mission.example", attendance_mode="virtual")
    services.cancel(registration=cancelled)
    return {
        "ana": register(
            hybrid_event, email="ana.silva@itamaraty.gov.br", attendance_mode="virtual"
        ),
        "kofi": register(hybrid_event, email="kofi@mission.example", attendance_mode="virtual"),
        "in_person": register(hybrid_event, email="door@mission.example"),
        "cancelled": cancelled,
    }


def _attended(online):
    return {
        name: Registration.objects.get(pk=registration.pk).attended
        for name, registration in online.items()
    }


def test_import_marks_only_confirmed_online_registrants(hybrid_event, online):
    result = attendance.import_attendance(
        event=hybrid_event,
        csv_file=report(
            "Name,Email,Duration\n"
            "Ana Silva,ANA.SILVA@itamaraty.gov.br,54\n"
            "Door,door@mission.example,3\n"
            "Gone,gone@mission.example,12\n"
        ),
    )

    assert _attended(online) == {"ana": True, "kofi": False, "in_person": False, "cancelled": False}
    assert result == {
        "rows": 3,
        "marked": 1,
        "already": 0,
        "unknown": ["door@mission.example", "gone@mission.example"],
        "errors": [],
    }


def test_import_reports_unknown_emails_and_counts_repeats_once(hybrid_event, online):
    result = attendance.import_attendance(
        event=hybrid_event,
        csv_file=report(
            "email\nana.silva@itamaraty.gov.br\nguest@example.org\nAna.Silva@itamaraty.gov.br\n"
        ),
    )

    assert result["rows"] == 3
    assert result["marked"] == 1
    assert result["unknown"] == ["guest@example.org"]


def test_importing_the_same_report_again_changes_nothing(hybrid_event, online):
    text = "email\nana.silva@itamaraty.gov.br\nkofi@mission.example\n"
    attendance.import_attendance(event=hybrid_event, csv_file=report(text))

    again = attendance.import_attendance(event=hybrid_event, csv_file=report(text))

    assert (again["marked"], again["already"]) == (0, 2)
    assert _attended(online)["kofi"] is True


def test_import_tolerates_a_byte_order_mark_and_semicolons(hybrid_event, online):
    result = attendance.import_attendance(
        event=hybrid_event,
        csv_file=report(
            "\ufeffNom;EMAIL;Durée\r\nSilva;ana.silva@itamaraty.gov.br;54\r\nMensah;kofi@mission.example;40\r\n"
        ),
    )

    assert result["marked"] == 2
    assert result["errors"] == []


def test_import_reads_a_utf16_tab_separated_report(hybrid_event, online):
    result = attendance.import_attendance(
        event=hybrid_event,
        csv_file=report("Full Name\tEmail\nKofi\tkofi@mission.example\n", encoding="utf-16"),
    )

    assert result["marked"] == 1


def test_import_without_an_email_column_is_refused(hybrid_event, online):
    with pytest.raises(ValidationError) as error:
        attendance.import_attendance(
            event=hybrid_event,
            csv_file=report("Name,User Email\nKofi,kofi@mission.example\n"),
        )

    assert "email" in error.value.message_dict["file"][0]
    assert _attended(online)["kofi"] is False


def test_import_that_is_not_utf8_is_refused(hybrid_event, online):
    with pytest.raises(ValidationError) as error:
        attendance.import_attendance(
            event=hybrid_event,
            csv_file=report("email,nom\nkofi@mission.example,Kofi Mensah Ée\n", encoding="cp1252"),
        )

    assert "UTF-8" in error.value.message_dict["file"][0]


def test_bad_rows_are_reported_and_good_rows_applied(hybrid_event, online):
    result = attendance.import_attendance(
        event=hybrid_event,
        csv_file=report(
            "name,email\n"
            "Ana,ana.silva@itamaraty.gov.br\n"
            "Phone caller,\n"
            "\n"
            "Typo,kofi at mission.example\n"
        ),
    )

    assert result["marked"] == 1
    assert result["errors"] == [
        {"row": 3, "message": "No email address in this row."},
        {"row": 5, "message": "“kofi at mission.example” is not an email address."},
    ]
    assert _attended(online) == {"ana": True, "kofi": False, "in_person": False, "cancelled": False}


def test_import_over_the_row_limit_is_refused_and_changes_nothing(hybrid_event, online):
    rows = "".join(f"guest{n}@example.org\n" for n in range(attendance.MAX_IMPORT_ROWS))
    text = "email\nana.silva@itamaraty.gov.br\n" + rows

    with pytest.raises(ValidationError) as error:
        attendance.import_attendance(event=hybrid_event, csv_file=report(text))

    assert "50,000 rows" in error.value.message_dict["file"][0]
    assert _attended(online)["ana"] is False


def test_import_over_five_megabytes_is_refused(hybrid_event):
    big = "email\n" + "x" * (attendance.MAX_IMPORT_BYTES + 1)

    with pytest.raises(ValidationError) as error:
        attendance.import_attendance(event=hybrid_event, csv_file=report(big))

    assert "5 MB" in error.value.message_dict["file"][0]
