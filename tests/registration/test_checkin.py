"""Check-in at the door and online attendance from the meeting platform's report."""

import threading
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from events.audit import Actor
from registration import checkin
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
        actor=Actor.system("test"),
        event=hybrid_event,
        ticket_code=delegate.ticket_code,
        now=FIRST_SCAN,
    )

    assert already is False
    assert registration == delegate
    delegate.refresh_from_db()
    assert delegate.checked_in_at == FIRST_SCAN
    assert delegate.attended is True


def test_second_check_in_says_already_with_the_first_time(hybrid_event, delegate):
    checkin.check_in(
        actor=Actor.system("test"),
        event=hybrid_event,
        ticket_code=delegate.ticket_code,
        now=FIRST_SCAN,
    )

    registration, already = checkin.check_in(
        actor=Actor.system("test"),
        event=hybrid_event,
        ticket_code=delegate.ticket_code,
        now=LATER_SCAN,
    )

    assert already is True
    assert registration.checked_in_at == FIRST_SCAN
    delegate.refresh_from_db()
    assert delegate.checked_in_at == FIRST_SCAN


def test_code_is_matched_ignoring_case_spaces_and_dashes(hybrid_event, delegate):
    code = delegate.ticket_code
    typed = f" {code[:4].lower()}-{code[4:8]} – {code[8:].lower()} "

    registration, already = checkin.check_in(
        actor=Actor.system("test"), event=hybrid_event, ticket_code=typed
    )

    assert registration == delegate
    assert already is False


def test_code_of_another_event_is_unknown(organization, hybrid_event, register):
    other_event = EventFactory(organization=organization)
    elsewhere = register(other_event)

    with pytest.raises(checkin.TicketNotFound):
        checkin.check_in(
            actor=Actor.system("test"), event=hybrid_event, ticket_code=elsewhere.ticket_code
        )

    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


@pytest.mark.parametrize("code", ["", "  ", "NOSUCHCODE12"])
def test_unknown_code_is_not_found(hybrid_event, code):
    with pytest.raises(checkin.TicketNotFound):
        checkin.check_in(actor=Actor.system("test"), event=hybrid_event, ticket_code=code)


def test_waitlisted_registration_is_refused_and_not_checked_in(hybrid_event, register):
    register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)
    assert waiting.status == Registration.Status.WAITLISTED

    with pytest.raises(checkin.NotConfirmed) as refusal:
        checkin.check_in(
            actor=Actor.system("test"), event=hybrid_event, ticket_code=waiting.ticket_code
        )

    assert refusal.value.reason == "This registration is waitlisted, not confirmed."
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None
    assert waiting.attended is False


def test_check_in_by_registration_for_the_search_at_the_door(delegate):
    registration, already = checkin.check_in_registration(
        actor=Actor.system("test"), registration=delegate, now=FIRST_SCAN
    )
    again, already_again = checkin.check_in_registration(
        actor=Actor.system("test"), registration=delegate, now=LATER_SCAN
    )

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
            outcomes.append(
                checkin.check_in(
                    actor=Actor.system("test"), event=hybrid_event, ticket_code=delegate.ticket_code
                )
            )
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
