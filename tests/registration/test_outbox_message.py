"""A registrant's confirmation opened in the outbox: attachments, the ticket in the HTML, the
manage link masked, and sent again to the same registration."""

import pytest
from django.urls import reverse

from notifications import services as outbox
from notifications.models import Message
from registration.emails import manage_url


def url(name, message):
    return reverse(f"outbox:{name}", kwargs={"slug": message.event.slug, "message_id": message.pk})


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def confirmation(hybrid_event, register, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    registration = register(hybrid_event, honorific="Mr.", first_name="Kofi", last_name="Mensah")
    message = Message.objects.get(kind="registration_confirmed")
    outbox.send_messages([message.pk])
    message.refresh_from_db()
    return registration, message


def test_the_page_lists_attachments_and_masks_the_manage_link(manager_client, confirmation):
    registration, message = confirmation

    page = manager_client.get(url("message", message))
    frame = manager_client.get(url("message_html", message))

    as_sent = page.context["as_sent"]
    names = [name for name, _size in as_sent.attachments]
    assert names == [f"{message.event.slug}.ics", "ticket-qr.png", "ticket.png"]
    assert "ticket.png" in page.content.decode()
    assert registration.ticket_code_grouped in as_sent.text
    for shown in (page.content.decode(), frame.content.decode()):
        assert registration.manage_secret not in shown
        assert manage_url(registration) not in shown
    assert 'src="data:image/png;base64,' in frame.content.decode()


def test_resending_a_confirmation_sends_it_about_the_same_registration(
    manager_client, confirmation
):
    registration, message = confirmation

    manager_client.post(url("message_resend", message), {"nonce": "e" * 32})

    copy = Message.objects.get(dedupe_key=f"resend:{message.pk}:{'e' * 32}")
    assert copy.related_object == registration
    assert copy.to_email == registration.email
