"""What a reminder says, read as its recipient reads it: when (in the event's zone and their
own), where, and the join link in the last one, to online attendees only. Reminders batch."""

from unittest import mock

import pytest
from django.core import mail

from notifications import batching, rendering
from notifications import services as outbox
from notifications.models import Message
from registration import reminders

from .reminder_helpers import DAY, HOUR, MINUTE, as_read, text_and_html

pytestmark = pytest.mark.django_db
JOIN = "https://zoom.example.org/j/42"
MAILGUN_FIELD = "%recipient.{}%"


@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    return mail.outbox


def _send_due(offset, at):
    at(offset)
    mail.outbox.clear()
    with mock.patch.object(outbox, "queue_for_sending"):
        reminders.send_due()
    outbox.send_messages(list(Message.objects.filter(kind="reminder").values_list("pk", flat=True)))
    return list(mail.outbox)


def _to(sent, address):
    return next(m for m in sent if m.to[0].endswith(f"<{address}>") or m.to[0] == address)


def test_in_person_reminder_says_when_and_where_in_the_events_zone(briefing, register, mailbox, at):
    register(briefing, email="kristina@gov.se", honorific="H.E. Ms.", last_name="Zetterlund")

    [sent] = _send_due(-DAY, at)

    mime, _parts = as_read(sent)
    text, html = text_and_html(sent)
    assert mime["Subject"] == "Reminder: Peacekeeping in Africa, Tuesday, 12 November 2030"
    assert text.startswith("Dear H.E. Ms. Zetterlund,")
    assert "Tuesday, 12 November 2030, 10:00–13:00 EST (New York time)" in text
    assert "Where: ECOSOC Chamber, United Nations Headquarters, New York" in text
    assert "ECOSOC Chamber" in html and "United Nations Headquarters, New York" in html
    assert "zoom.example.org" not in text + html
    assert "/registrations/" in text  # the private link to change or cancel
    assert mime["List-Unsubscribe"] is None


def test_only_the_last_reminder_carries_the_join_link_and_only_to_online_attendees(
    briefing, register, mailbox, at
):
    register(briefing, email="online@mission.example", attendance_mode="virtual")
    register(briefing, email="room@mission.example", attendance_mode="in_person")

    day_before = _send_due(-DAY, at)
    hour_before = _send_due(-HOUR + MINUTE, at)

    for sent in day_before:
        text, html = text_and_html(sent)
        assert JOIN not in text + html
    online_text, online_html = text_and_html(_to(day_before, "online@mission.example"))
    assert "Where: Online" in online_text
    assert "The link to join comes with our last reminder" in online_text
    online_text, online_html = text_and_html(_to(hour_before, "online@mission.example"))
    assert f"Join online: {JOIN}" in online_text
    assert f'href="{JOIN}"' in online_html
    room_text, room_html = text_and_html(_to(hour_before, "room@mission.example"))
    assert JOIN not in room_text + room_html
    assert "ECOSOC Chamber" in room_text


def test_a_reminder_also_says_the_time_in_the_registrants_own_zone(briefing, register, mailbox, at):
    register(briefing, email="paris@mission.example", time_zone="Europe/Paris")
    register(briefing, email="toronto@mission.example", time_zone="America/Toronto")
    register(briefing, email="unknown@mission.example")

    sent = _send_due(-DAY, at)

    paris_text, paris_html = text_and_html(_to(sent, "paris@mission.example"))
    assert "In your time zone (Paris): Tuesday 12 November, 16:00–19:00 CET" in paris_text
    assert "In your time zone (Paris)" in paris_html
    for same_clock in ("toronto@mission.example", "unknown@mission.example"):
        text, html = text_and_html(_to(sent, same_clock))
        assert "In your time zone" not in text + html


@pytest.fixture
def esp_batches(mailbox, settings):
    """anymail's test backend as an ESP with a batch API (Mailgun's merge fields)."""
    settings.OUTBOX_ESP_BATCH_SIZE = 50
    settings.OUTBOX_MERGE_FIELD_FORMAT = MAILGUN_FIELD
    return mailbox


def _as_the_recipient_reads_it(sent, address):
    params = sent.anymail_test_params
    text, html = params["text_body"], params["html_body"]
    for key, value in params["merge_data"][address].items():
        field = MAILGUN_FIELD.replace("{}", key)
        text, html = text.replace(field, value), html.replace(field, value)
    return text, html


def test_two_in_person_and_two_online_reminders_go_out_in_two_merged_batches(
    briefing, register, esp_batches, at
):
    people = {
        "ana@mission.example": ("in_person", "Ana", "O'Brien & Co"),
        "li@mission.example": ("in_person", "Li", "Wei"),
        "kofi@mission.example": ("virtual", "Kofi", "Mensah"),
        "eva@mission.example": ("virtual", "Eva", "Nordin"),
    }
    registrations = {
        address: register(briefing, email=address, attendance_mode=mode, first_name=first,
                          last_name=last)
        for address, (mode, first, last) in people.items()
    }  # fmt: skip

    sent = _send_due(-HOUR + MINUTE, at)

    assert len(sent) == 2
    assert all(m.anymail_test_params["is_batch_send"] for m in sent)
    assert sorted(len(m.to) for m in sent) == [2, 2]
    for batch in sent:
        for address in batch.anymail_test_params["merge_data"]:
            mode, _first, last = people[address]
            text, html = _as_the_recipient_reads_it(batch, address)
            assert text.startswith(f"Dear {people[address][1]} {last},")
            assert registrations[address].manage_token in text
            if mode == "virtual":
                assert f"Join online: {JOIN}" in text and f'href="{JOIN}"' in html
                assert "ECOSOC Chamber" not in text
            else:
                assert JOIN not in text + html
                assert "ECOSOC Chamber, United Nations Headquarters, New York" in text
    # Each recipient reads exactly what their message rendered alone would say.
    for address in people:
        batch = next(m for m in sent if address in m.anymail_test_params["merge_data"])
        alone = rendering.render(Message.objects.get(kind="reminder", to_email=address))
        assert _as_the_recipient_reads_it(batch, address) == (
            alone.body,
            alone.alternatives[0][0],
        )


def test_without_a_batch_api_reminders_still_render_once_per_batch(briefing, register, mailbox, at):
    for mode in ("in_person", "in_person", "virtual", "virtual"):
        register(briefing, attendance_mode=mode)
    render_batch = mock.Mock(wraps=batching.render_batch)

    with mock.patch.object(batching, "render_batch", render_batch):
        sent = _send_due(-HOUR + MINUTE, at)

    assert render_batch.call_count == 2
    assert len(sent) == 4
    for message in sent:
        text, _html = text_and_html(message)
        assert (JOIN in text) == ("Where: Online" in text)


def test_reminders_for_readers_in_another_zone_batch_apart_from_the_others(
    briefing, register, esp_batches, at
):
    for zone in ("Europe/Paris", "Europe/Paris", "", ""):
        register(briefing, time_zone=zone)

    sent = _send_due(-DAY, at)

    assert sorted(len(m.to) for m in sent) == [2, 2]
    assert all(m.anymail_test_params["is_batch_send"] for m in sent)
    paris = [m for m in sent if "In your time zone (Paris)" in m.anymail_test_params["text_body"]]
    assert len(paris) == 1
