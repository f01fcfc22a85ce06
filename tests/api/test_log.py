"""The event's audit log through the API: what the services wrote, newest first, filtered, and
readable only by members who may see the event's private details."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.audit import Actor, log_action
from events.models import LogEntry, Membership
from tests.factories import EventFactory, MembershipFactory


def log_url(event, query=""):
    return f"/api/v1/events/{event.slug}/log/{query}"


@pytest.fixture
def viewer_client(client_for, viewer):
    return client_for(viewer)


def test_changes_made_through_the_api_are_listed_newest_first_with_their_token(
    client_for, manager, viewer_client, organization
):
    event = EventFactory(organization=organization, draft=True)
    manager.first_name, manager.last_name = "Namie", "Di Razza"
    manager.save()
    manager_client = client_for(manager)
    patched = manager_client.patch(
        f"/api/v1/events/{event.slug}/", {"title": "Renamed"}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert manager_client.post(f"/api/v1/events/{event.slug}/publish/").status_code == 200

    response = viewer_client.get(log_url(event))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    published, updated = body["results"]
    assert published["action"] == "event.published"
    assert published["actor"] == {"kind": "token", "name": "Namie Di Razza"}
    assert published["object"] == {"type": "event", "id": str(event.pk)}
    assert published["data"] == {"status": {"from": "draft", "to": "published"}}
    assert updated["action"] == "event.updated"
    assert updated["data"]["title"]["to"] == "Renamed"
    assert set(published) == {"at", "actor", "action", "object", "data"}


BEAT = Actor.system("beat")


def _entry(event, action, actor=BEAT, object_type="invitation", at=None):
    entry = log_action(actor=actor, action=action, obj=event, event=event)
    LogEntry.objects.filter(pk=entry.pk).update(object_type=object_type, at=at or timezone.now())
    return entry


def test_the_log_is_filtered_by_action_family_actor_kind_object_type_and_time(
    viewer_client, event, user
):
    long_ago = timezone.now() - timedelta(days=10)
    _entry(event, "invitation.sent", at=long_ago)
    _entry(event, "invitation.declined", actor=Actor.attendee("Ana Ruiz"))
    _entry(event, "registration.approved", actor=Actor.user(user), object_type="registration")

    def actions(query):
        response = viewer_client.get(log_url(event, query))
        assert response.status_code == 200, response.content
        return [entry["action"] for entry in response.json()["results"]]

    assert actions("?action=invitation.") == ["invitation.declined", "invitation.sent"]
    assert actions("?actor_kind=attendee") == ["invitation.declined"]
    assert actions("?object_type=registration") == ["registration.approved"]
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert actions(f"?since={since}") == ["registration.approved", "invitation.declined"]


def test_a_since_or_actor_kind_that_means_nothing_is_refused(viewer_client, event):
    assert viewer_client.get(log_url(event, "?since=yesterday")).status_code == 400
    assert viewer_client.get(log_url(event, "?actor_kind=robot")).status_code == 400


def test_the_log_is_paginated(viewer_client, event):
    for number in range(3):
        _entry(event, f"invitation.sent{number}")

    body = viewer_client.get(log_url(event, "?page_size=2")).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_entries_of_another_event_are_not_listed(viewer_client, event, organization):
    _entry(EventFactory(organization=organization), "event.updated")

    assert viewer_client.get(log_url(event)).json()["count"] == 0


def test_another_teams_event_log_is_not_found(client_for, outsider, event):
    assert client_for(outsider).get(log_url(event)).status_code == 404


def test_check_in_staff_may_not_read_the_log(client_for, organization, event):
    door = MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user

    assert client_for(door).get(log_url(event)).status_code == 403


def test_the_log_needs_a_signed_in_caller(anonymous_client, event):
    assert anonymous_client.get(log_url(event)).status_code == 401


def test_the_log_is_read_only(client_for, owner, event):
    assert client_for(owner).post(log_url(event), {}).status_code == 405


def test_the_schema_documents_the_log(client_for, viewer):
    schema = client_for(viewer).get("/api/v1/schema/?format=json")
    if schema.status_code != 200:
        schema = client_for(viewer).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert "/api/v1/events/{event_slug}/log/" in text
    assert "actor_kind" in text
