from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events.models import Event, EventHost, Resource, Speaker
from tests.factories import (
    EventFactory,
    EventHostFactory,
    OrganizationFactory,
    ResourceFactory,
    SessionFactory,
    SpeakerFactory,
)


def test_listing_shows_upcoming_public_events_only(client, organization):
    public = EventFactory(organization=organization, title="Open briefing")
    EventFactory(organization=organization, title="Quiet roundtable", visibility="unlisted")
    EventFactory(organization=organization, title="Closed lunch", visibility="invitation_only")
    EventFactory(organization=organization, title="Unfinished draft", status=Event.Status.DRAFT)

    page = client.get("/").content.decode()

    assert public.title in page
    assert "Quiet roundtable" not in page
    assert "Closed lunch" not in page
    assert "Unfinished draft" not in page


def test_listing_separates_past_events(client, organization):
    EventFactory(
        organization=organization,
        title="Last year's conference",
        starts_at=timezone.now() - timedelta(days=365),
        ends_at=timezone.now() - timedelta(days=365) + timedelta(hours=3),
    )

    page = client.get("/").content.decode()

    assert "No upcoming events are announced yet." in page
    assert page.index("Past events") < page.index("Last year&#x27;s conference")


def test_draft_event_page_is_404_to_the_public(client, organization):
    event = EventFactory(organization=organization, status=Event.Status.DRAFT)

    assert client.get(f"/events/{event.slug}/").status_code == 404


@pytest.mark.parametrize("visibility", ["unlisted", "invitation_only"])
def test_unlisted_event_page_opens_by_url_and_is_not_indexed(client, organization, visibility):
    event = EventFactory(organization=organization, visibility=visibility)

    response = client.get(f"/events/{event.slug}/")

    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_unknown_event_is_404(client, db):
    assert client.get("/events/no-such-event/").status_code == 404


def test_event_page_never_shows_the_join_link(client, organization):
    event = EventFactory(organization=organization, virtual=True)

    page = client.get(f"/events/{event.slug}/").content.decode()

    assert "zoom.example.org" not in page
    assert "The link to join is sent to registered online participants." in page


def test_event_page_names_date_time_and_zone_in_the_events_zone(client, organization):
    event = EventFactory(
        organization=organization,
        starts_at=datetime(2030, 11, 12, 15, 0, tzinfo=UTC),
        ends_at=datetime(2030, 11, 12, 18, 0, tzinfo=UTC),
        timezone="America/New_York",
    )

    page = client.get(f"/events/{event.slug}/").content.decode()

    assert "Tuesday, 12 November 2030" in page
    assert "10:00–13:00" in page
    assert '<bdi dir="ltr">EST</bdi> (New York time)' in page


def test_event_page_reads_like_the_announcement(client, organization):
    event = EventFactory(
        organization=organization,
        title="Impact-Driven Peacekeeping Partnerships",
        webcast_url="https://webtv.un.org/en/asset/k1x",
    )
    ipi = OrganizationFactory(name="International Peace Institute", short_name="IPI")
    EventHostFactory(event=event, organization=ipi, role=EventHost.Role.ORGANIZER, order=0)
    for order, country in enumerate(["Ethiopia", "Indonesia"], start=1):
        EventHostFactory(
            event=event,
            organization=OrganizationFactory(name=f"Government of {country}"),
            order=order,
        )
    SpeakerFactory(
        event=event, role=Speaker.Role.MODERATOR, honorific="Dr.", name="Namie Di Razza", order=0,
        position="IPI Senior Fellow and Head of Protection of Civilians",
    )  # fmt: skip
    SpeakerFactory(
        event=event, role=Speaker.Role.OPENING_REMARKS, honorific="H.E. Mr.", name="Cho Hyun",
        order=1, position="Permanent Representative of the Republic of Korea to the UN",
    )  # fmt: skip

    page = client.get(f"/events/{event.slug}/").content.decode()

    assert "IPI together with the Governments of Ethiopia and Indonesia" in page
    assert page.index("Opening remarks") < page.index("Moderator")
    assert (
        "H.E. Mr. Cho Hyun</bdi>, "
        "<bdi>Permanent Representative of the Republic of Korea to the UN</bdi>" in page
    )
    assert 'href="https://webtv.un.org/en/asset/k1x"' in page


def test_description_markdown_is_rendered_and_sanitised(client, organization):
    event = EventFactory(
        organization=organization,
        description="**Bold** point\n\n<script>alert('x')</script>\n\n[link](javascript:alert(1))",
    )

    page = client.get(f"/events/{event.slug}/").content.decode()

    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page
    assert "javascript:alert" not in page


def test_titles_with_markup_are_escaped(client, organization):
    event = EventFactory(organization=organization, title="<b>Briefing</b>")

    page = client.get(f"/events/{event.slug}/").content.decode()

    assert "&lt;b&gt;Briefing&lt;/b&gt;" in page
    assert "<b>Briefing</b>" not in page


def test_recording_and_reports_appear_after_the_event(client, organization):
    past = EventFactory(
        organization=organization,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=3),
    )
    ResourceFactory(event=past, kind=Resource.Kind.RECORDING, title="Watch the full event video")
    ResourceFactory(
        event=past, kind=Resource.Kind.REPORT, title="Attendees' notes", audience="attendees"
    )

    page = client.get(f"/events/{past.slug}/").content.decode()

    assert "Watch the full event video" in page
    assert "Attendees&#x27; notes" not in page


def test_recording_is_not_shown_before_the_event_but_related_reading_is(client, event):
    ResourceFactory(event=event, kind=Resource.Kind.RECORDING, title="Watch the full event video")
    ResourceFactory(event=event, kind=Resource.Kind.RELATED, title="Read the white paper")

    page = client.get(f"/events/{event.slug}/").content.decode()

    assert "Watch the full event video" not in page
    assert "Read the white paper" in page


def test_cancelled_event_page_says_so(client, organization):
    event = EventFactory(organization=organization, status=Event.Status.CANCELLED)

    assert "This event has been cancelled." in client.get(f"/events/{event.slug}/").content.decode()


def test_invitation_only_session_is_marked(client, event):
    SessionFactory(event=event, title="Working lunch", invitation_only=True)

    page = client.get(f"/events/{event.slug}/").content.decode()

    assert "Working lunch" in page
    assert "By invitation" in page


def test_public_pages_refuse_post(client, event):
    assert client.post(f"/events/{event.slug}/").status_code == 405
