import pytest

from events.models import EventHost, Resource, Session, Speaker
from tests.factories import (
    EventFactory,
    EventHostFactory,
    OrganizationFactory,
    ResourceFactory,
    SessionFactory,
    SpeakerFactory,
)


def parts_url(event, kind, part=None):
    url = f"/api/v1/events/{event.slug}/{kind}/"
    return f"{url}{part.pk}/" if part else url


def test_host_is_added_with_its_organization_name(manager_client, event):
    norway = OrganizationFactory(name="Permanent Mission of Norway")

    response = manager_client.post(
        parts_url(event, "hosts"), {"organization": norway.pk, "role": "co_host"}, "json"
    )

    assert response.status_code == 201
    assert response.json()["organization_name"] == "Permanent Mission of Norway"
    assert event.hosts.get().organization == norway


def test_the_same_host_twice_is_a_field_error(manager_client, event):
    host = EventHostFactory(event=event)

    response = manager_client.post(
        parts_url(event, "hosts"), {"organization": host.organization_id}, "json"
    )

    assert response.status_code == 400
    assert "organization" in response.json()
    assert event.hosts.count() == 1


def test_hosts_are_listed_in_order(manager_client, event):
    second = EventHostFactory(event=event, order=2)
    first = EventHostFactory(event=event, order=1)

    response = manager_client.get(parts_url(event, "hosts"))

    assert [row["id"] for row in response.json()["results"]] == [first.pk, second.pk]


def test_host_role_is_changed(manager_client, event):
    host = EventHostFactory(event=event)

    response = manager_client.patch(parts_url(event, "hosts", host), {"role": "partner"}, "json")

    assert response.status_code == 200
    host.refresh_from_db()
    assert host.role == EventHost.Role.PARTNER


def test_host_is_removed(manager_client, event):
    host = EventHostFactory(event=event)

    response = manager_client.delete(parts_url(event, "hosts", host))

    assert response.status_code == 204
    assert not event.hosts.exists()


def test_speaker_is_added_with_protocol_details(manager_client, event):
    response = manager_client.post(
        parts_url(event, "speakers"),
        {
            "name": "Espen Barth Eide",
            "honorific": "H.E. Mr.",
            "position": "Minister of Foreign Affairs",
            "organization_name": "Norway",
            "role": "opening_remarks",
        },
        "json",
    )

    assert response.status_code == 201
    assert event.speakers.get().full_name == "H.E. Mr. Espen Barth Eide"


def test_speaker_is_read_changed_and_removed(manager_client, event):
    speaker = SpeakerFactory(event=event)
    url = parts_url(event, "speakers", speaker)

    assert manager_client.get(url).json()["name"] == speaker.name
    assert manager_client.patch(url, {"role": "moderator"}, "json").status_code == 200
    assert Speaker.objects.get(pk=speaker.pk).role == Speaker.Role.MODERATOR
    assert manager_client.delete(url).status_code == 204
    assert not Speaker.objects.exists()


def test_session_is_added_in_the_event_time_zone(manager_client, event):
    response = manager_client.post(
        parts_url(event, "sessions"),
        {
            "title": "Working lunch",
            "starts_at": "2030-11-12T18:00:00Z",
            "ends_at": "2030-11-12T19:30:00Z",
            "invitation_only": True,
            "capacity": 40,
        },
        "json",
    )

    assert response.status_code == 201
    assert response.json()["starts_at"] == "2030-11-12T13:00:00-05:00"
    assert event.sessions.get().capacity == 40


def test_session_that_ends_before_it_starts_is_a_field_error(manager_client, event):
    response = manager_client.post(
        parts_url(event, "sessions"),
        {
            "title": "Working lunch",
            "starts_at": "2030-11-12T13:00:00-05:00",
            "ends_at": "2030-11-12T12:00:00-05:00",
        },
        "json",
    )

    assert response.status_code == 400
    assert "ends_at" in response.json()
    assert not Session.objects.exists()


def test_session_patch_is_validated_against_the_stored_start(manager_client, event):
    session = SessionFactory(event=event)

    response = manager_client.patch(
        parts_url(event, "sessions", session), {"ends_at": session.starts_at.isoformat()}, "json"
    )

    assert response.status_code == 400
    assert "ends_at" in response.json()


def test_session_is_removed(manager_client, event):
    session = SessionFactory(event=event)

    assert manager_client.delete(parts_url(event, "sessions", session)).status_code == 204
    assert not Session.objects.exists()


def test_resource_is_added_and_changed(manager_client, event):
    created = manager_client.post(
        parts_url(event, "resources"),
        {"kind": "report", "title": "Summary report", "url": "https://www.ipinst.org/report"},
        "json",
    )
    resource = Resource.objects.get(pk=created.json()["id"])

    response = manager_client.patch(
        parts_url(event, "resources", resource), {"audience": "attendees"}, "json"
    )

    assert created.status_code == 201
    assert response.status_code == 200
    resource.refresh_from_db()
    assert resource.audience == Resource.Audience.ATTENDEES


def test_resource_without_a_valid_link_is_a_field_error(manager_client, event):
    response = manager_client.post(
        parts_url(event, "resources"), {"kind": "report", "title": "Report", "url": "nope"}, "json"
    )

    assert response.status_code == 400
    assert "url" in response.json()


@pytest.mark.parametrize(
    ("kind", "factory"),
    [
        ("hosts", EventHostFactory),
        ("speakers", SpeakerFactory),
        ("sessions", SessionFactory),
        ("resources", ResourceFactory),
    ],
)
def test_a_part_of_another_event_is_404(manager_client, organization, event, kind, factory):
    part = factory(event=EventFactory(organization=organization))

    assert manager_client.get(parts_url(event, kind, part)).status_code == 404
    assert manager_client.delete(parts_url(event, kind, part)).status_code == 404


def test_unknown_part_is_404(manager_client, event):
    assert manager_client.get(f"{parts_url(event, 'speakers')}999999/").status_code == 404


def test_viewer_may_list_parts(client_for, viewer, event):
    SpeakerFactory(event=event)

    response = client_for(viewer).get(parts_url(event, "speakers"))

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_viewer_may_not_add_parts(client_for, viewer, event):
    response = client_for(viewer).post(parts_url(event, "speakers"), {"name": "Someone"}, "json")

    assert response.status_code == 403
    assert not Speaker.objects.exists()


def test_viewer_may_not_remove_parts(client_for, viewer, event):
    speaker = SpeakerFactory(event=event)

    response = client_for(viewer).delete(parts_url(event, "speakers", speaker))

    assert response.status_code == 403
    assert Speaker.objects.exists()
