from datetime import UTC, datetime

import icalendar
import pytest

from events.audit import SYSTEM
from events.models import Event
from events.services import cancel_event, update_event
from tests.factories import EventFactory


def _parsed_event(client, event):
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, calendar.walk("VEVENT")[0]


@pytest.fixture
def ecosoc_event(organization):
    return EventFactory(
        organization=organization,
        title="Peacekeeping in Africa: Fostering Partnership and Synergies",
        starts_at=datetime(2030, 11, 12, 15, 0, tzinfo=UTC),
        ends_at=datetime(2030, 11, 12, 18, 0, tzinfo=UTC),
        timezone="America/New_York",
        venue_name="ECOSOC Chamber",
        venue_address="United Nations Headquarters, New York",
    )


def test_calendar_file_carries_the_event_in_its_own_zone_with_vtimezone(client, ecosoc_event):
    calendar, entry = _parsed_event(client, ecosoc_event)

    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert entry["DTSTART"].params["TZID"] == "America/New_York"
    assert entry.decoded("DTSTART").hour == 10
    assert entry.decoded("DTSTART").astimezone(UTC) == ecosoc_event.starts_at
    assert entry.decoded("DTEND").astimezone(UTC) == ecosoc_event.ends_at
    assert str(entry["SUMMARY"]) == ecosoc_event.title
    assert str(entry["LOCATION"]) == "ECOSOC Chamber, United Nations Headquarters, New York"
    assert str(entry["URL"]) == ecosoc_event.public_url
    assert str(entry["STATUS"]) == "CONFIRMED"


def test_calendar_uid_is_stable_across_downloads_and_changes(client, ecosoc_event):
    _calendar, first = _parsed_event(client, ecosoc_event)
    update_event(actor=SYSTEM, event=ecosoc_event, venue_name="Trusteeship Council Chamber")
    _calendar, second = _parsed_event(client, ecosoc_event)

    assert str(first["UID"]) == str(second["UID"])


def test_calendar_sequence_grows_when_time_or_place_change(client, ecosoc_event):
    _calendar, before = _parsed_event(client, ecosoc_event)
    update_event(
        actor=SYSTEM, event=ecosoc_event, starts_at=datetime(2030, 11, 12, 14, 0, tzinfo=UTC)
    )
    _calendar, moved = _parsed_event(client, ecosoc_event)
    update_event(
        actor=SYSTEM, event=ecosoc_event, venue_address="UN Headquarters, Conference Building"
    )
    _calendar, relocated = _parsed_event(client, ecosoc_event)

    assert before["SEQUENCE"] < moved["SEQUENCE"] < relocated["SEQUENCE"]


def test_calendar_sequence_stays_when_only_the_text_changes(client, ecosoc_event):
    _calendar, before = _parsed_event(client, ecosoc_event)
    update_event(actor=SYSTEM, event=ecosoc_event, summary="A half-day conference.")
    _calendar, after = _parsed_event(client, ecosoc_event)

    assert after["SEQUENCE"] == before["SEQUENCE"]


def test_cancelled_event_calendar_says_cancelled_with_a_higher_sequence(client, ecosoc_event):
    _calendar, before = _parsed_event(client, ecosoc_event)
    cancel_event(actor=SYSTEM, event=ecosoc_event)
    _calendar, after = _parsed_event(client, ecosoc_event)

    assert str(after["STATUS"]) == "CANCELLED"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert str(after["UID"]) == str(before["UID"])


def test_virtual_event_calendar_never_carries_the_join_link(client, organization):
    event = EventFactory(organization=organization, virtual=True)

    response = client.get(f"/events/{event.slug}/calendar.ics")

    assert b"zoom.example.org" not in response.content
    assert "Online" in str(
        icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]["LOCATION"]
    )


def test_draft_event_has_no_calendar_file(client, organization):
    event = EventFactory(organization=organization, status=Event.Status.DRAFT)

    assert client.get(f"/events/{event.slug}/calendar.ics").status_code == 404
