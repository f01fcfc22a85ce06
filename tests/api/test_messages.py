"""The outbox through the API: read by members, retried by managers, another team's is 404."""

from datetime import UTC, datetime

import pytest

from notifications.models import Message
from tests.factories import EventFactory


def messages_url(event, suffix=""):
    return f"/api/v1/events/{event.slug}/messages/{suffix}"


def make_message(event, n=1, **fields):
    defaults = {
        "kind": Message.Kind.INVITATION,
        "to_email": f"delegate{n}@example.org",
        "dedupe_key": f"test:{event.pk}:{n}",
        "event": event,
    }
    return Message.objects.create(**(defaults | fields))


@pytest.fixture
def viewer_client(client_for, viewer):
    return client_for(viewer)


@pytest.fixture
def failed_message(event):
    return make_message(
        event, status=Message.Status.FAILED, attempts=1, error="SMTPRecipientsRefused: 550"
    )


def test_messages_are_listed_newest_first_with_their_delivery(viewer_client, event):
    older = make_message(event, 1)
    newer = make_message(
        event,
        2,
        to_name="Kristina Zetterlund",
        status=Message.Status.SENT,
        delivery_status=Message.DeliveryStatus.DELIVERED,
        esp_message_id="esp-123",
        subject="Invitation: Peacekeeping",
    )

    response = viewer_client.get(messages_url(event))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    assert rows[0] | {"created_at": None} == {
        "id": newer.pk,
        "kind": "invitation",
        "to": "delegate2@example.org",
        "to_name": "Kristina Zetterlund",
        "status": "sent",
        "delivery_status": "delivered",
        "subject": "Invitation: Peacekeeping",
        "attempts": 0,
        "created_at": None,
        "sent_at": None,
        "esp_message_id": "esp-123",
        "error": "",
    }


def test_message_times_are_in_the_event_time_zone(viewer_client, event):
    message = make_message(event, sent_at=datetime(2030, 11, 12, 15, 0, tzinfo=UTC))

    response = viewer_client.get(messages_url(event, f"{message.pk}/"))

    assert response.json()["sent_at"] == "2030-11-12T10:00:00-05:00"


def test_messages_are_filtered_by_kind_and_status(viewer_client, event):
    make_message(event, 1, kind=Message.Kind.INVITATION, status=Message.Status.FAILED)
    make_message(event, 2, kind=Message.Kind.REMINDER, status=Message.Status.FAILED)
    wanted = make_message(event, 3, kind=Message.Kind.REMINDER, status=Message.Status.SENT)

    response = viewer_client.get(messages_url(event), {"kind": "reminder", "status": "sent"})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_messages_are_paginated(viewer_client, event):
    for n in range(3):
        make_message(event, n)

    response = viewer_client.get(messages_url(event), {"page_size": 2})

    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_messages_of_another_event_are_not_listed(viewer_client, event, organization):
    make_message(EventFactory(organization=organization), 1)

    response = viewer_client.get(messages_url(event))

    assert response.json()["count"] == 0


def test_messages_of_another_organization_are_not_found(client_for, outsider, event):
    make_message(event)

    response = client_for(outsider).get(messages_url(event))

    assert response.status_code == 404


def test_message_of_another_event_is_not_found_by_id(viewer_client, event, organization):
    other = make_message(EventFactory(organization=organization), 1)

    response = viewer_client.get(messages_url(event, f"{other.pk}/"))

    assert response.status_code == 404


def test_messages_need_a_signed_in_caller(anonymous_client, event):
    response = anonymous_client.get(messages_url(event))

    assert response.status_code == 401


def test_failed_message_is_retried(manager_client, event, failed_message):
    response = manager_client.post(messages_url(event, f"{failed_message.pk}/retry/"))

    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    failed_message.refresh_from_db()
    assert failed_message.status == Message.Status.PENDING


def test_message_that_did_not_fail_is_not_retried(manager_client, event):
    sent = make_message(event, status=Message.Status.SENT)

    response = manager_client.post(messages_url(event, f"{sent.pk}/retry/"))

    assert response.status_code == 409
    assert response.json()["detail"]
    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT


def test_viewer_may_not_retry(viewer_client, event, failed_message):
    response = viewer_client.post(messages_url(event, f"{failed_message.pk}/retry/"))

    assert response.status_code == 403
    failed_message.refresh_from_db()
    assert failed_message.status == Message.Status.FAILED


def test_outsider_retry_is_not_found(client_for, outsider, event, failed_message):
    response = client_for(outsider).post(messages_url(event, f"{failed_message.pk}/retry/"))

    assert response.status_code == 404
    failed_message.refresh_from_db()
    assert failed_message.status == Message.Status.FAILED


def test_counts_are_by_kind_then_status(viewer_client, event):
    make_message(event, 1, kind=Message.Kind.INVITATION, status=Message.Status.SENT)
    make_message(event, 2, kind=Message.Kind.INVITATION, status=Message.Status.SENT)
    make_message(event, 3, kind=Message.Kind.INVITATION, status=Message.Status.FAILED)
    make_message(event, 4, kind=Message.Kind.REMINDER, status=Message.Status.PENDING)
    make_message(EventFactory(), 5, kind=Message.Kind.REMINDER)

    response = viewer_client.get(messages_url(event, "counts/"))

    assert response.status_code == 200
    assert response.json() == {
        "by_kind": {"invitation": {"failed": 1, "sent": 2}, "reminder": {"pending": 1}},
        "total": 4,
    }


def test_counts_of_another_organization_are_not_found(client_for, outsider, event):
    response = client_for(outsider).get(messages_url(event, "counts/"))

    assert response.status_code == 404
