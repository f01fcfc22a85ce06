from zoneinfo import ZoneInfo

import icalendar
import pytest

from events.models import EventHost, Speaker
from tests.factories import EventFactory, EventHostFactory, OrganizationFactory, SpeakerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def announced_event(organization):
    event = EventFactory(
        organization=organization,
        title="Impact-Driven Peacekeeping Partnerships for Capacity Building and Training",
        description="A discussion that draws on a **white paper** prepared by IPI.",
    )
    EventHostFactory(event=event, organization=organization, role=EventHost.Role.ORGANIZER, order=0)
    EventHostFactory(
        event=event, organization=OrganizationFactory(name="Government of Japan"), order=1
    )
    SpeakerFactory(
        event=event,
        role=Speaker.Role.OPENING_REMARKS,
        honorific="H.E. Mr.",
        name="Cho Hyun",
        position="Permanent Representative of the Republic of Korea to the United Nations",
    )
    return event


def test_event_page_fits_a_phone_screen_without_sideways_scrolling(
    live_server, phone, announced_event
):
    phone.goto(live_server.url + announced_event.get_absolute_url())

    assert phone.get_by_role("heading", level=1).inner_text() == announced_event.title
    assert phone.get_by_text("IPI together with the Government of Japan").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # On a phone the facts (when, where) come before the long description.
    when_box = phone.get_by_text("When", exact=True).bounding_box()
    description_box = phone.get_by_text("white paper").bounding_box()
    assert when_box["y"] < description_box["y"]


def test_listing_leads_to_the_event_and_its_calendar_file(live_server, desktop, announced_event):
    desktop.goto(live_server.url + "/")
    desktop.get_by_role("link", name=announced_event.title).click()

    with desktop.expect_download() as download_info:
        desktop.get_by_role("link", name="Add to calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(download_info.value.path().read_bytes())

    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == announced_event.title


def test_a_reader_elsewhere_also_sees_the_time_in_their_own_zone(
    live_server, browser, announced_event
):
    context = browser.new_context(timezone_id="Europe/Paris", locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + announced_event.get_absolute_url())

    reader_time = page.locator(".reader-time")

    paris_start = announced_event.starts_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M")
    assert reader_time.is_visible()
    assert f"{paris_start}–" in reader_time.inner_text()
    assert "(Europe/Paris)" in reader_time.inner_text()
    context.close()


def test_a_reader_in_the_events_zone_sees_no_second_time(live_server, browser, announced_event):
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    page.goto(live_server.url + announced_event.get_absolute_url())

    assert not page.locator(".reader-time").is_visible()
    context.close()
