"""Delivery webhooks feed the suppression list; unsubscribing takes a POST, never a GET."""

import base64
import json

import pytest

from notifications import services
from notifications.models import DeliveryEvent, Message, Suppression
from tests.factories import EventFactory

WEBHOOK = "/anymail/postmark/tracking/"
SECRET = "postmark:s3cret-webhook-pass"


@pytest.fixture
def sent_invitation(announcement_kind, anymail_test_backend, organization):
    event = EventFactory(organization=organization)
    message = services.enqueue(
        kind="invitation",
        dedupe_key="invitation:7",
        event=event,
        to_email="delegate@mission.example",
    )
    services.send_messages([message.pk])
    Message.objects.filter(pk=message.pk).update(esp_message_id="pm-0001")
    message.refresh_from_db()
    return message


def _auth(credentials=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def _bounce(event_id=42, email="delegate@mission.example"):
    return json.dumps({
        "RecordType": "Bounce", "ID": event_id, "Type": "HardBounce", "TypeCode": 1,
        "MessageID": "pm-0001", "Email": email, "BouncedAt": "2026-11-23T10:00:00Z",
        "Description": "The server was unable to deliver your message", "Details": "smtp;550 5.1.1",
    })  # fmt: skip


@pytest.fixture(autouse=True)
def postmark_tracking(settings):
    settings.EMAIL_TRACKING_ESP = "postmark"


@pytest.fixture
def webhook_secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}


def test_webhook_is_refused_when_no_secret_is_configured(client, sent_invitation, settings):
    settings.ANYMAIL = {}

    response = client.post(WEBHOOK, _bounce(), content_type="application/json")

    assert response.status_code == 403
    assert not DeliveryEvent.objects.exists()


def test_webhook_without_credentials_is_refused_and_changes_nothing(
    client, sent_invitation, webhook_secret
):
    response = client.post(WEBHOOK, _bounce(), content_type="application/json")
    wrong = client.post(
        WEBHOOK, _bounce(), content_type="application/json", **_auth("postmark:guess")
    )

    assert response.status_code in (400, 401, 403)
    assert wrong.status_code in (400, 401, 403)
    assert not DeliveryEvent.objects.exists()
    assert not Suppression.objects.exists()


def test_hard_bounce_marks_the_message_and_suppresses_the_address(
    client, sent_invitation, webhook_secret
):
    response = client.post(WEBHOOK, _bounce(), content_type="application/json", **_auth())

    sent_invitation.refresh_from_db()
    assert response.status_code == 200
    assert sent_invitation.delivery_status == Message.DeliveryStatus.BOUNCED
    assert Suppression.objects.get().reason == Suppression.Reason.BOUNCED


def test_bounce_suppresses_the_next_invitation(client, sent_invitation, webhook_secret):
    client.post(WEBHOOK, _bounce(), content_type="application/json", **_auth())

    next_invitation = services.enqueue(
        kind="invitation", dedupe_key="invitation:8", event=sent_invitation.event,
        to_email="Delegate@Mission.example",
    )  # fmt: skip

    assert next_invitation.status == Message.Status.SUPPRESSED
    assert "Hard bounce" in next_invitation.error


def test_the_same_esp_event_delivered_twice_is_stored_once(client, sent_invitation, webhook_secret):
    client.post(WEBHOOK, _bounce(event_id=42), content_type="application/json", **_auth())
    client.post(WEBHOOK, _bounce(event_id=42), content_type="application/json", **_auth())

    assert DeliveryEvent.objects.count() == 1


def test_delivery_then_late_open_keeps_the_furthest_status(client, sent_invitation, webhook_secret):
    opened = {"RecordType": "Open", "MessageID": "pm-0001", "Recipient": "delegate@mission.example",
              "ReceivedAt": "2026-11-23T10:05:00Z", "FirstOpen": True}  # fmt: skip
    delivered = {"RecordType": "Delivery", "MessageID": "pm-0001", "Recipient": "delegate@mission.example",
                 "DeliveredAt": "2026-11-23T10:00:00Z", "Details": ""}  # fmt: skip
    client.post(WEBHOOK, json.dumps(opened), content_type="application/json", **_auth())
    client.post(WEBHOOK, json.dumps(delivered), content_type="application/json", **_auth())

    sent_invitation.refresh_from_db()
    assert sent_invitation.delivery_status == Message.DeliveryStatus.OPENED


def _unsubscribe_url(message):
    return f"/email/unsubscribe/{message.pk}/{message.unsubscribe_token}/"


def test_unsubscribe_link_opened_by_a_scanner_changes_nothing(client, sent_invitation):
    response = client.get(_unsubscribe_url(sent_invitation))

    assert response.status_code == 200
    assert b'<form method="post">' in response.content
    assert not Suppression.objects.exists()


def test_unsubscribe_button_suppresses_the_address(client, sent_invitation):
    response = client.post(_unsubscribe_url(sent_invitation))

    assert response.status_code == 200
    assert Suppression.objects.get().email == "delegate@mission.example"


def test_one_click_unsubscribe_post_works_without_a_csrf_token(sent_invitation):
    from django.test import Client

    strict_client = Client(enforce_csrf_checks=True)
    response = strict_client.post(
        _unsubscribe_url(sent_invitation),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Suppression.objects.get().reason == Suppression.Reason.UNSUBSCRIBED


def test_unsubscribe_with_a_wrong_token_is_not_found(client, sent_invitation):
    response = client.post(f"/email/unsubscribe/{sent_invitation.pk}/{'x' * 32}/")

    assert response.status_code == 404
    assert not Suppression.objects.exists()
