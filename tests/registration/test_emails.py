"""What a registrant finds in their mailbox: both parts, the calendar entry, the ticket, the link."""

import email
import email.policy

import icalendar
import pytest

from events.audit import Actor
from notifications import services as outbox
from notifications.models import Message
from registration import services


@pytest.fixture
def mailbox(db, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    from django.core import mail

    return mail.outbox


def _deliver_all():
    outbox.send_messages(list(Message.objects.values_list("pk", flat=True)))


def _received(mailbox, subject_start):
    sent = next(m for m in mailbox if m.subject.startswith(subject_start))
    mime = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    parts = {part.get_content_type(): part for part in mime.walk() if not part.is_multipart()}
    return mime, parts


def test_confirmation_for_in_person_carries_ics_ticket_qr_and_manage_link(
    hybrid_event, register, mailbox
):
    registration = register(
        hybrid_event, honorific="H.E. Ms.", first_name="Kristina", last_name="Zetterlund"
    )
    _deliver_all()

    mime, parts = _received(mailbox, "Confirmed:")
    text = parts["text/plain"].get_content()
    html = parts["text/html"].get_content()
    calendar = icalendar.Calendar.from_ical(parts["text/calendar"].get_content())
    assert mime["Subject"] == "Confirmed: Peacekeeping in Africa"
    assert text.startswith("Dear H.E. Ms. Zetterlund,")
    assert registration.ticket_code_grouped in text and registration.ticket_code_grouped in html
    assert f"/registrations/{registration.manage_token}/" in text
    assert "image/png" in parts
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Peacekeeping in Africa"
    assert "zoom.example.org" not in text + html
    assert mime["List-Unsubscribe"] is None


def test_confirmation_for_online_carries_the_join_link_and_no_ticket(
    hybrid_event, register, mailbox
):
    register(hybrid_event, attendance_mode="virtual")
    _deliver_all()

    _mime, parts = _received(mailbox, "Confirmed:")
    calendar = icalendar.Calendar.from_ical(parts["text/calendar"].get_content())
    assert "https://zoom.example.org/j/42" in parts["text/plain"].get_content()
    assert "https://zoom.example.org/j/42" in parts["text/html"].get_content()
    assert "image/png" not in parts
    assert "zoom.example.org" in str(calendar.walk("VEVENT")[0]["DESCRIPTION"])


def test_waitlisted_registrant_is_told_and_given_no_join_link(hybrid_event, register, mailbox):
    register(hybrid_event)
    register(hybrid_event)
    register(hybrid_event)
    _deliver_all()

    _mime, parts = _received(mailbox, "You are on the waitlist:")
    assert "waitlist" in parts["text/plain"].get_content()
    assert "text/calendar" not in parts


def test_promoted_registrant_gets_the_calendar_entry(hybrid_event, register, mailbox):
    first = register(hybrid_event)
    register(hybrid_event)
    register(hybrid_event)
    services.cancel(actor=Actor.system("test"), registration=first)
    _deliver_all()

    _mime, parts = _received(mailbox, "A place is yours:")
    assert "text/calendar" in parts


def test_decline_message_carries_the_organizers_note(organization, register, mailbox):
    from tests.factories import EventFactory

    event = EventFactory(organization=organization, requires_approval=True)
    registration = register(event)
    services.decline(
        actor=Actor.system("test"),
        registration=registration,
        note="The room is reserved for member states.",
    )
    _deliver_all()

    _mime, parts = _received(mailbox, "Your registration:")
    assert "The room is reserved for member states." in parts["text/plain"].get_content()


def test_confirmation_shows_the_ticket_qr_in_its_body_and_attaches_it(
    hybrid_event, register, mailbox
):
    registration = register(hybrid_event)
    _deliver_all()

    sent = next(m for m in mailbox if m.subject.startswith("Confirmed:"))
    mime = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    related = next(part for part in mime.walk() if part.get_content_type() == "multipart/related")
    html, image = related.get_payload()
    content_id = image["Content-ID"].strip("<>")
    assert html.get_content_type() == "text/html"
    assert f'src="cid:{content_id}"' in html.get_content()
    assert (image.get_content_type(), image.get_content_disposition()) == ("image/png", "inline")
    attached = [part for part in mime.walk() if part.get_content_disposition() == "attachment"]
    ticket = next(part for part in attached if part.get_filename() == "ticket.png")
    assert ticket.get_content() == image.get_content()
    assert image.get_content().startswith(b"\x89PNG")
    assert registration.ticket_code_grouped in html.get_content()
    text = next(part for part in mime.walk() if part.get_content_type() == "text/plain")
    assert registration.ticket_code_grouped in text.get_content()
