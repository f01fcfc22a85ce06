"""The page of a past event, on a phone and a laptop: the video first, nothing to scroll sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Resource
from tests.factories import EventFactory, ResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def past(organization):
    start = timezone.now() - timedelta(days=30)
    event = EventFactory(
        organization=organization,
        title="Peacekeeping in Africa: Fostering Partnership and Synergies",
        description="The main purpose of the dialogue was to support the shared commitment. " * 20,
        starts_at=start, ends_at=start + timedelta(hours=3),
    )  # fmt: skip
    ResourceFactory(event=event, kind=Resource.Kind.RECORDING)
    ResourceFactory(
        event=event, kind=Resource.Kind.REPORT,
        title="Lessons for “Partnership Peacekeeping” from the African Union Mission in Somalia",
    )  # fmt: skip
    return event


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_video_leads_on_a_phone_and_a_laptop(live_server, past, viewport, request):
    page = request.getfixturevalue(viewport)
    page.goto(live_server.url + past.get_absolute_url())

    watch = page.get_by_role("link", name="Watch the full event video")
    assert watch.is_visible()
    assert (
        watch.bounding_box()["y"] < page.get_by_text("The main purpose").first.bounding_box()["y"]
    )
    if viewport == "phone":  # before the facts too, which lead the page of a coming event
        assert watch.bounding_box()["y"] < page.get_by_text("When", exact=True).bounding_box()["y"]
    assert page.get_by_text("Reports and reading").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
