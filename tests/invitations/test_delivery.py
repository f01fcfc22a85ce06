"""The ESP's delivered and bounced reports reach the invitation, through anymail's tracking view."""

import base64
import json

import pytest

from events.audit import SYSTEM
from invitations import selectors, services
from invitations.models import Invitation
from notifications import services as outbox
from notifications.models import Message, Suppression
from tests.factories import InvitationFactory

WEBHOOK = "/anymail/postmark/tracking/"
SECRET = "postmark:s3cret-webhook-pass"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    settings.EMAIL_TRACKING_ESP = "postmark"  # only the configured ESP's webhook answers


@pytest.fixture
def sent(mail_backend, conference):
    """An invitation emailed through the outbox, with the id the ESP gave its message."""
    invitation = InvitationFactory(event=conference, status="draft", email="kofi@ghana.example")
    services.send_invitations(actor=SYSTEM, event=conference, ids=[invitation.pk])
    message = Message.objects.get(kind="invitation")
    outbox.send_messages([message.pk])
    Message.objects.filter(pk=message.pk).update(esp_message_id="pm-0001")
    return invitation


def _post(client, record):
    return client.post(WEBHOOK, json.dumps(record), content_type="application/json", **AUTH)


def _bounce(email="kofi@ghana.example", event_id=42, message_id="pm-0001"):
    return {
        "RecordType": "Bounce", "ID": event_id, "Type": "HardBounce", "TypeCode": 1,
        "MessageID": message_id, "Email": email, "BouncedAt": "2026-11-23T10:00:00Z",
        "Description": "The server was unable to deliver your message", "Details": "550 5.1.1",
    }  # fmt: skip


def _delivery(email="kofi@ghana.example", message_id="pm-0001"):
    return {
        "RecordType": "Delivery", "MessageID": message_id, "Recipient": email,
        "DeliveredAt": "2026-11-23T10:00:00Z", "Details": "",
    }  # fmt: skip


def _state(invitation):
    return selectors.with_state(invitation).state


def test_a_bounce_webhook_marks_the_invitation_bounced(client, sent):
    response = _post(client, _bounce())

    assert response.status_code == 200
    assert _state(sent) == Invitation.State.BOUNCED
    assert Suppression.objects.get().email == "kofi@ghana.example"


def test_a_delivery_webhook_marks_the_invitation_delivered(client, sent):
    _post(client, _delivery())

    assert _state(sent) == Invitation.State.DELIVERED


def test_a_late_delivery_report_does_not_undo_a_bounce(client, sent):
    _post(client, _bounce())
    _post(client, _delivery())

    assert _state(sent) == Invitation.State.BOUNCED


def test_a_corrected_address_is_not_marked_by_the_old_addresss_bounce(client, sent):
    services.update_invitation(actor=SYSTEM, invitation=sent, email="kofi.mensah@ghana.example")

    _post(client, _bounce())

    assert _state(sent) == Invitation.State.SENT


def test_correcting_a_bounced_address_and_resending_reaches_the_new_one(client, sent):
    _post(client, _bounce())

    services.update_invitation(actor=SYSTEM, invitation=sent, email="kofi.mensah@ghana.example")
    services.resend(actor=SYSTEM, invitation=sent)

    assert _state(sent) == Invitation.State.SENT
    latest = Message.objects.filter(kind="invitation").order_by("-pk").first()
    assert latest.to_email == "kofi.mensah@ghana.example"
    assert latest.status == Message.Status.PENDING


def test_the_guest_list_shows_the_bounce_and_the_suppression(client, sent, manager):
    _post(client, _bounce())
    client.force_login(manager)

    response = client.get(f"/workspace/events/{sent.event.slug}/invitations/")

    assert "Correct the address and send again" in response.text
    assert "No email reaches this address: Hard bounce" in response.text


def test_reports_on_other_messages_leave_invitations_alone(client, sent, conference):
    other = outbox.enqueue(
        kind="registration_link", dedupe_key="registration_link:x", event=conference,
        to_email="kofi@ghana.example", related=conference,
    )  # fmt: skip
    Message.objects.filter(pk=other.pk).update(esp_message_id="pm-0002", status="sent")

    _post(client, _bounce(message_id="pm-0002", event_id=43))

    assert _state(sent) == Invitation.State.SENT


def test_a_bounce_is_logged_once_for_the_invitation_and_once_for_the_suppression(client, sent):
    from events.models import LogEntry

    sent_entries = set(LogEntry.objects.values_list("pk", flat=True))
    _post(client, _bounce())
    _post(client, _delivery())  # a delivery report is not logged

    new = LogEntry.objects.exclude(pk__in=sent_entries).order_by("id")
    assert [(e.action, e.object_type, e.actor_kind, e.actor_name) for e in new] == [
        ("invitation.bounced", "invitation", "system", "delivery reports"),
        ("message.suppressed", "suppression", "system", "delivery reports"),
    ]
    assert new[0].data["delivery"] == {"from": "", "to": "bounced"}
