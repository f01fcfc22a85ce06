"""The outbox's state changes an organizer, a recipient or the ESP makes are logged once each."""

import pytest
from django.urls import reverse

from events.audit import Actor
from events.models import LogEntry
from notifications import resending, services
from notifications.models import Message, Suppression
from notifications.templates_service import save_message_template
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return Actor.user(UserFactory(username="desk"))


def make_message(event, **fields):
    defaults = {
        "kind": Message.Kind.INVITATION,
        "to_email": "delegate@mission.example",
        "to_name": "Ana Ruiz",
        "dedupe_key": f"test:{event.pk}",
        "event": event,
    }
    return Message.objects.create(**(defaults | fields))


def test_retrying_a_failed_message_logs_it(actor):
    event = EventFactory()
    message = make_message(event, status=Message.Status.FAILED)

    services.retry(actor=actor, message=message)

    (entry,) = LogEntry.objects.all()
    assert (entry.action, entry.object_type, entry.event_id, entry.actor_name) == (
        "message.retried",
        "message",
        event.pk,
        "desk",
    )


def test_resending_a_sent_message_logs_it_with_the_new_message(actor):
    message = make_message(EventFactory(), status=Message.Status.SENT)

    copy = resending.resend(actor=actor, message=message, nonce="a" * 32)

    (entry,) = LogEntry.objects.all()
    assert (entry.action, entry.object_id) == ("message.resent", str(message.pk))
    assert entry.data["new_message"] == copy.pk


def test_unsubscribing_through_the_link_is_logged_as_the_recipient_once(client):
    event = EventFactory()
    message = make_message(event, status=Message.Status.SENT)
    url = reverse("notifications:unsubscribe", args=[message.pk, message.unsubscribe_token])

    client.post(url)
    client.post(url)

    (entry,) = LogEntry.objects.all()
    assert (entry.action, entry.actor_kind, entry.actor_name, entry.event_id) == (
        "message.suppressed",
        "attendee",
        "Ana Ruiz",
        event.pk,
    )
    assert entry.data["reason"] == Suppression.Reason.UNSUBSCRIBED


def test_saving_texts_logs_what_changed_and_saving_them_again_logs_nothing(actor):
    event = EventFactory()

    save_message_template(actor=actor, event=event, kind="invitation", subject="Join us")
    save_message_template(actor=actor, event=event, kind="invitation", subject="Join us")
    save_message_template(actor=actor, event=event, kind="invitation")

    saved, reset = LogEntry.objects.order_by("id")
    assert (saved.action, saved.event_id) == ("message_template.saved", event.pk)
    assert saved.data == {"kind": "invitation", "subject": {"from": "", "to": "Join us"}}
    assert reset.action == "message_template.reset"
