"""The workspace outbox: members see what was sent to whom; managers send failed ones again."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from events.models import Membership
from notifications.models import Message
from tests.factories import EventFactory, MembershipFactory


def make_message(event, n=1, **fields):
    defaults = {
        "kind": Message.Kind.INVITATION,
        "to_email": f"delegate{n}@example.org",
        "dedupe_key": f"test:{event.pk}:{n}",
        "event": event,
    }
    return Message.objects.create(**(defaults | fields))


def outbox_url(event, **query):
    url = reverse("outbox:outbox", kwargs={"slug": event.slug})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def retry_url(message):
    return reverse(
        "outbox:message_retry", kwargs={"slug": message.event.slug, "message_id": message.pk}
    )


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def viewer_client(client, organization):
    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user
    )
    return client


@pytest.fixture
def failed_message(event):
    return make_message(
        event,
        to_name="Kristina Zetterlund",
        status=Message.Status.FAILED,
        attempts=3,
        error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )


def test_outbox_shows_each_message_with_its_status_and_error(viewer_client, event, failed_message):
    response = viewer_client.get(outbox_url(event))

    assert response.status_code == 200
    assert "Kristina Zetterlund" in response.text
    assert "delegate1@example.org" in response.text
    assert "pill--message-failed" in response.text
    assert "550 mailbox unavailable" in response.text


def test_outbox_shows_sent_time_in_event_time_zone(viewer_client, event):
    make_message(
        event, status=Message.Status.SENT, sent_at=datetime(2030, 11, 12, 15, 0, tzinfo=UTC)
    )

    response = viewer_client.get(outbox_url(event))

    assert "Tue 12 Nov, 10:00 EST" in response.text


def test_outbox_counts_messages_by_kind_and_status(viewer_client, event):
    make_message(event, 1, status=Message.Status.SENT)
    make_message(event, 2, status=Message.Status.SENT)
    make_message(event, 3, kind=Message.Kind.REMINDER, status=Message.Status.FAILED)

    response = viewer_client.get(outbox_url(event))

    counts = response.context["counts"]
    assert [(row["kind"], row["cells"], row["total"]) for row in counts["rows"]] == [
        ("invitation", [("sent", 2), ("failed", 0)], 2),
        ("reminder", [("sent", 0), ("failed", 1)], 1),
    ]
    assert "3 messages" in response.text


def test_outbox_filters_by_kind_and_status(viewer_client, event):
    make_message(event, 1, to_email="sent@example.org", status=Message.Status.SENT)
    make_message(event, 2, to_email="failed@example.org", status=Message.Status.FAILED)
    make_message(
        event, 3, to_email="reminded@example.org", kind=Message.Kind.REMINDER, status="failed"
    )

    response = viewer_client.get(outbox_url(event, kind="invitation", status="failed"))

    assert [message.to_email for message in response.context["page"]] == ["failed@example.org"]


def test_outbox_shows_fifty_messages_a_page(viewer_client, event):
    for n in range(51):
        make_message(event, n)

    response = viewer_client.get(outbox_url(event, page=2))

    assert len(response.context["page"].object_list) == 1
    assert "Page 2 of 2" in response.text


def test_suppressed_message_says_why(viewer_client, event):
    make_message(
        event,
        status=Message.Status.SUPPRESSED,
        error="Not sent: delegate1@example.org is suppressed (Unsubscribed, 2030-01-02).",
    )

    response = viewer_client.get(outbox_url(event))

    assert "is suppressed (Unsubscribed, 2030-01-02)" in response.text


def test_outbox_without_messages_says_so(viewer_client, event):
    response = viewer_client.get(outbox_url(event))

    assert "No messages yet." in response.text


def test_outbox_of_another_organization_is_not_found(client, outsider, event):
    client.force_login(outsider)

    response = client.get(outbox_url(event))

    assert response.status_code == 404


def test_outbox_needs_sign_in(client, event):
    response = client.get(outbox_url(event))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_manager_sees_retry_button_on_failed_message(manager_client, event, failed_message):
    response = manager_client.get(outbox_url(event))

    assert f'action="{retry_url(failed_message)}"' in response.text


def test_viewer_sees_no_retry_button(viewer_client, event, failed_message):
    response = viewer_client.get(outbox_url(event))

    assert retry_url(failed_message) not in response.text


def test_retry_queues_failed_message_again(manager_client, event, failed_message):
    response = manager_client.post(retry_url(failed_message), {"status": "failed"})

    assert response.status_code == 302
    assert response.url == outbox_url(event, status="failed")
    failed_message.refresh_from_db()
    assert failed_message.status == Message.Status.PENDING


def test_retry_of_message_that_did_not_fail_changes_nothing(manager_client, event):
    sent = make_message(event, status=Message.Status.SENT)

    response = manager_client.post(retry_url(sent), follow=True)

    assert "Only a failed message can be retried." in response.text
    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT


def test_viewer_may_not_retry(viewer_client, failed_message):
    response = viewer_client.post(retry_url(failed_message))

    assert response.status_code == 403
    failed_message.refresh_from_db()
    assert failed_message.status == Message.Status.FAILED


def test_retry_of_another_events_message_is_not_found(manager_client, organization, event):
    other = make_message(EventFactory(organization=organization), status=Message.Status.FAILED)

    response = manager_client.post(
        reverse("outbox:message_retry", kwargs={"slug": event.slug, "message_id": other.pk})
    )

    assert response.status_code == 404


def test_get_on_retry_changes_nothing(manager_client, failed_message):
    response = manager_client.get(retry_url(failed_message))

    assert response.status_code == 405
    failed_message.refresh_from_db()
    assert failed_message.status == Message.Status.FAILED
