"""After the event its page leads with the recording and the reports, as the seeds' pages do;
registering, the webcast and the calendar button recede."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Resource
from tests.factories import EventFactory, ResourceFactory

pytestmark = pytest.mark.django_db
VIDEO = "https://webtv.un.org/en/asset/k1x/k1xyz"


@pytest.fixture
def past(organization):
    start = timezone.now() - timedelta(days=2)
    return EventFactory(
        organization=organization, starts_at=start, ends_at=start + timedelta(hours=3),
        webcast_url="https://webtv.un.org/live",
    )  # fmt: skip


def _page(client, event):
    return client.get(f"/events/{event.slug}/").content.decode()


def test_the_video_button_comes_first_then_the_reports(client, past):
    ResourceFactory(event=past, kind=Resource.Kind.RELATED, title="Related white paper", order=0)
    ResourceFactory(event=past, kind=Resource.Kind.REPORT, title="The conference report", order=5)
    ResourceFactory(event=past, kind=Resource.Kind.RECORDING, url=VIDEO, order=9)

    page = _page(client, past)

    button = f'<a class="button button--large" href="{VIDEO}" rel="noopener">Watch the full event video</a>'
    assert button in page
    assert page.index(button) < page.index("Reports and reading")
    assert page.index("The conference report") < page.index("Related white paper")


def test_registering_the_webcast_and_the_calendar_button_recede(client, past):
    ResourceFactory(event=past, kind=Resource.Kind.RECORDING, url=VIDEO)

    page = _page(client, past)

    assert "/register/" not in page
    assert "Watch the public webcast" not in page and "webtv.un.org/live" not in page
    assert "Add to calendar (.ics)" not in page
    assert "Calendar entry (.ics)" in page


def test_without_a_recording_yet_the_page_says_where_it_will_be(client, past):
    page = _page(client, past)

    assert "The recording and reports will be published here." in page
    assert "The webcast page" in page


def test_material_for_registrants_or_attendees_stays_off_the_public_page(client, past):
    ResourceFactory(event=past, kind=Resource.Kind.RECORDING, url=VIDEO,
                    audience=Resource.Audience.REGISTRANTS)  # fmt: skip

    page = _page(client, past)

    assert VIDEO not in page


def test_before_the_event_the_page_keeps_its_register_button(client, event):
    page = _page(client, event)

    assert "Add to calendar (.ics)" in page and "/register/" in page
    assert "after-event" not in page
