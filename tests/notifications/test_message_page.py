"""One outbox message: read it as sent, its delivery events, and send it again."""

import re

import pytest
from django.urls import reverse

from events.models import Membership
from notifications import services
from notifications.models import DeliveryEvent, Message, Suppression
from tests.factories import EventFactory, MembershipFactory


def url(name, message, **kwargs):
    return reverse(
        f"outbox:{name}", kwargs={"slug": message.event.slug, "message_id": message.pk, **kwargs}
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
def sent(event, announcement_kind, anymail_test_backend):
    """An invitation (a non-transactional test kind) that went out."""
    message = services.enqueue(
        kind="invitation",
        dedupe_key="invitation:1",
        event=event,
        to_email="kristina@gov.example",
        to_name="Kristina Zetterlund",
        context={"first_name": "Kristina", "last_name": "Zetterlund", "honorific": "Ms."},
    )
    services.send_messages([message.pk])
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    return message


def _nonce(page):
    return re.search(r'name="nonce" value="([0-9a-f]{32})"', page.content.decode())[1]


def test_a_member_reads_the_message_with_its_headers_and_both_parts(viewer_client, sent):
    page = viewer_client.get(url("message", sent))

    content = page.content.decode()
    assert page.status_code == 200
    assert sent.message_id_header.strip("<>") in content
    assert "List-Unsubscribe" in content and "List-Unsubscribe-Post" in content
    assert f"Invitation: {sent.event.title}" in content
    assert "Dear Ms. Zetterlund" in page.context["as_sent"].text
    assert url("message_html", sent) in content
    # The recipient's unsubscribe link is not handed to the team.
    assert sent.unsubscribe_token not in content


def test_the_html_is_served_alone_under_a_policy_that_runs_nothing(viewer_client, sent):
    frame = viewer_client.get(url("message_html", sent))

    assert frame.status_code == 200
    assert "Dear Ms. Zetterlund" in frame.content.decode()
    policy = frame["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert sent.unsubscribe_token not in frame.content.decode()


def test_delivery_events_are_listed(viewer_client, sent):
    DeliveryEvent.objects.create(
        esp_event_id="evt-1",
        message=sent,
        event_type="delivered",
        recipient=sent.to_email,
        description="250 2.0.0 OK",
    )

    content = viewer_client.get(url("message", sent)).content.decode()

    assert "delivered" in content and "250 2.0.0 OK" in content


def test_outbox_rows_open_their_message(viewer_client, sent):
    page = viewer_client.get(reverse("outbox:outbox", kwargs={"slug": sent.event.slug}))

    assert url("message", sent) in page.content.decode()


@pytest.mark.parametrize("name", ["message", "message_html", "message_resend"])
def test_a_message_of_another_teams_event_is_not_found(client, outsider, name, sent):
    client.force_login(outsider)

    assert client.get(url(name, sent)).status_code == 404


def test_a_message_is_found_only_under_its_own_event(manager_client, organization, sent):
    other = EventFactory(organization=organization)
    path = reverse("outbox:message", kwargs={"slug": other.slug, "message_id": sent.pk})

    assert manager_client.get(path).status_code == 404


def test_viewers_may_not_resend(viewer_client, sent):
    page = viewer_client.get(url("message", sent))

    assert url("message_resend", sent) not in page.content.decode()
    assert viewer_client.get(url("message_resend", sent)).status_code == 403
    assert viewer_client.post(url("message_resend", sent), {"nonce": "a" * 32}).status_code == 403
    assert Message.objects.count() == 1


def test_asking_to_resend_changes_nothing(manager_client, sent):
    page = manager_client.get(url("message_resend", sent))

    assert page.status_code == 200
    assert "Send this message again?" in page.content.decode()
    assert Message.objects.count() == 1


def test_resending_a_sent_message_queues_a_copy_with_its_own_key_and_message_id(
    manager_client, sent, anymail_test_backend
):
    nonce = _nonce(manager_client.get(url("message_resend", sent)))

    response = manager_client.post(url("message_resend", sent), {"nonce": nonce})
    manager_client.post(url("message_resend", sent), {"nonce": nonce})  # a double click

    copy = Message.objects.exclude(pk=sent.pk).get()
    assert response.url == url("message", copy)
    assert copy.dedupe_key == f"resend:{sent.pk}:{nonce}"
    assert (copy.kind, copy.to_email, copy.to_name, copy.event_id, copy.context) == (
        sent.kind,
        sent.to_email,
        sent.to_name,
        sent.event_id,
        sent.context,
    )
    assert copy.message_id_header != sent.message_id_header
    services.send_messages([copy.pk])
    assert len(anymail_test_backend) == 2
    assert anymail_test_backend[1].to == anymail_test_backend[0].to
    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT


def test_resending_a_failed_message_queues_the_same_row_again(manager_client, sent):
    Message.objects.filter(pk=sent.pk).update(status=Message.Status.FAILED, error="550")

    manager_client.post(url("message_resend", sent), {"nonce": "b" * 32})

    sent.refresh_from_db()
    assert sent.status == Message.Status.PENDING
    assert Message.objects.count() == 1


def test_a_message_still_being_sent_is_not_resent(manager_client, sent):
    Message.objects.filter(pk=sent.pk).update(status=Message.Status.PENDING)

    page = manager_client.post(url("message_resend", sent), {"nonce": "c" * 32}, follow=True)

    assert "This message is still being sent." in page.content.decode()
    assert Message.objects.count() == 1


def test_a_suppressed_address_gets_no_copy_of_a_non_transactional_message(manager_client, sent):
    Suppression.objects.create(email=sent.to_email, reason=Suppression.Reason.UNSUBSCRIBED)

    page = manager_client.post(url("message_resend", sent), {"nonce": "d" * 32}, follow=True)

    assert "gets no more of these messages: unsubscribed" in page.content.decode()
    assert Message.objects.count() == 1


def test_a_resend_without_the_confirmation_nonce_is_refused(manager_client, sent):
    page = manager_client.post(url("message_resend", sent), {"nonce": "x"}, follow=True)

    assert "The confirmation expired." in page.content.decode()
    assert Message.objects.count() == 1
