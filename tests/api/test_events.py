from datetime import timedelta

import pytest
from django.conf import settings

from events.models import Event, Membership
from tests.factories import EventFactory, MembershipFactory

URL = "/api/v1/events/"


def event_payload(**changes):
    return {
        "title": "Peacekeeping Partnerships",
        "format": "in_person",
        "starts_at": "2030-11-12T10:00:00-05:00",
        "ends_at": "2030-11-12T13:00:00-05:00",
        "timezone": "America/New_York",
        "venue_name": "ECOSOC Chamber",
        "venue_address": "United Nations Headquarters, New York",
        **changes,
    }


def test_create_makes_a_draft_of_my_organization_with_a_slug_from_the_title(
    manager_client, organization
):
    response = manager_client.post(URL, event_payload(), "json")

    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "peacekeeping-partnerships"
    assert body["status"] == "draft"
    assert body["organization"] == organization.pk
    assert body["public_url"] == f"{settings.SITE_URL}/events/peacekeeping-partnerships/"
    assert body["reminder_offsets"] == ["P7D", "P1D", "PT1H"]
    assert Event.objects.get(slug="peacekeeping-partnerships").organization == organization


def test_create_adds_a_suffix_when_the_slug_is_taken(manager_client, organization):
    EventFactory(organization=organization, slug="peacekeeping-partnerships")

    response = manager_client.post(URL, event_payload(), "json")

    assert response.status_code == 201
    assert response.json()["slug"] == "peacekeeping-partnerships-2"


def test_an_explicit_slug_that_is_taken_is_a_field_error(manager_client, event):
    response = manager_client.post(URL, event_payload(slug=event.slug), "json")

    assert response.status_code == 400
    assert "slug" in response.json()


def test_datetimes_are_written_in_the_event_time_zone(manager_client, organization):
    response = manager_client.post(
        URL, event_payload(starts_at="2030-11-12T15:00:00Z", ends_at="2030-11-12T18:00:00Z"), "json"
    )

    assert response.json()["starts_at"] == "2030-11-12T10:00:00-05:00"
    assert response.json()["ends_at"] == "2030-11-12T13:00:00-05:00"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2030-11-12T09:00:00-05:00"}, "ends_at"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"venue_name": ""}, "venue_name"),
        ({"online_join_url": "https://zoom.example.org/j/1"}, "online_join_url"),
        ({"capacity_in_person": -1}, "capacity_in_person"),
        ({"reminder_offsets": ["a week"]}, "reminder_offsets"),
    ],
)
def test_invalid_event_is_a_field_error_and_writes_nothing(
    manager_client, organization, changes, field
):
    response = manager_client.post(URL, event_payload(**changes), "json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Event.objects.exists()


def test_create_needs_an_organization_when_i_manage_several(manager_client, manager):
    MembershipFactory(user=manager, role=Membership.Role.OWNER)

    response = manager_client.post(URL, event_payload(), "json")

    assert response.status_code == 400
    assert "organization" in response.json()


def test_create_for_an_organization_i_only_view_is_refused(client_for, viewer, organization):
    response = client_for(viewer).post(URL, event_payload(organization=organization.pk), "json")

    assert response.status_code == 400
    assert "organization" in response.json()
    assert not Event.objects.exists()


def test_create_for_another_organization_is_refused(manager_client, outsider):
    other = outsider.memberships.get().organization

    response = manager_client.post(URL, event_payload(organization=other.pk), "json")

    assert response.status_code == 400
    assert "organization" in response.json()


def test_list_shows_only_my_organizations_events_paginated(manager_client, event):
    EventFactory()

    response = manager_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert [row["slug"] for row in body["results"]] == [event.slug]


def test_list_filters_by_status(manager_client, organization, event):
    draft = EventFactory(organization=organization, draft=True)

    response = manager_client.get(URL, {"status": "draft"})

    assert [row["slug"] for row in response.json()["results"]] == [draft.slug]


def test_patch_changes_the_event(manager_client, event):
    response = manager_client.patch(f"{URL}{event.slug}/", {"summary": "A discussion."}, "json")

    assert response.status_code == 200
    event.refresh_from_db()
    assert event.summary == "A discussion."


def test_patch_of_starts_at_grows_the_calendar_sequence(manager_client, event):
    new_start = (event.starts_at - timedelta(hours=1)).isoformat()

    response = manager_client.patch(f"{URL}{event.slug}/", {"starts_at": new_start}, "json")

    assert response.status_code == 200
    event.refresh_from_db()
    assert event.sequence == 1


def test_patch_that_breaks_a_rule_changes_nothing(manager_client, event):
    before = event.starts_at.isoformat()

    response = manager_client.patch(
        f"{URL}{event.slug}/", {"summary": "Changed", "ends_at": before}, "json"
    )

    assert response.status_code == 400
    assert "ends_at" in response.json()
    event.refresh_from_db()
    assert event.summary == ""


def test_patch_may_not_change_the_slug(manager_client, event):
    response = manager_client.patch(f"{URL}{event.slug}/", {"slug": "renamed"}, "json")

    assert response.status_code == 400
    assert "slug" in response.json()
    assert Event.objects.filter(slug=event.slug).exists()


def test_viewer_may_read_an_event(client_for, viewer, event):
    assert client_for(viewer).get(f"{URL}{event.slug}/").status_code == 200


def test_viewer_may_not_patch_an_event(client_for, viewer, event):
    response = client_for(viewer).patch(f"{URL}{event.slug}/", {"title": "Renamed"}, "json")

    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title != "Renamed"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("patch", ""),
        ("post", "publish/"),
        ("post", "cancel/"),
        ("get", "hosts/"),
        ("get", "speakers/"),
        ("get", "sessions/"),
        ("get", "resources/"),
    ],
)
def test_another_organizations_event_is_404(client_for, outsider, event, method, path):
    response = getattr(client_for(outsider), method)(f"{URL}{event.slug}/{path}", {}, "json")

    assert response.status_code == 404


def test_unknown_event_is_404(manager_client, db):
    assert manager_client.get(f"{URL}no-such-event/").status_code == 404


def test_publish_opens_a_draft(manager_client, organization):
    draft = EventFactory(organization=organization, draft=True)

    response = manager_client.post(f"{URL}{draft.slug}/publish/")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED


def test_cancel_cancels_a_published_event(manager_client, event):
    response = manager_client.post(f"{URL}{event.slug}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_second_cancel_is_a_409(manager_client, event):
    manager_client.post(f"{URL}{event.slug}/cancel/")

    response = manager_client.post(f"{URL}{event.slug}/cancel/")

    assert response.status_code == 409
    assert "detail" in response.json()


def test_publishing_a_published_event_is_a_409(manager_client, event):
    response = manager_client.post(f"{URL}{event.slug}/publish/")

    assert response.status_code == 409


def test_viewer_may_not_publish(client_for, viewer, organization):
    draft = EventFactory(organization=organization, draft=True)

    response = client_for(viewer).post(f"{URL}{draft.slug}/publish/")

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT
