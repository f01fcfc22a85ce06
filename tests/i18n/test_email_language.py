"""Every email is in its recipient's language, subject, both parts and dates alike, whatever
language the request that queued it was in."""

import email
import email.policy
from datetime import UTC, datetime

import pytest
from django.utils import translation

from notifications import rendering
from notifications.models import Message
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _confirmation(register, language):
    event = EventFactory(
        title="Peacekeeping in Africa",
        starts_at=datetime(2026, 12, 21, 15, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 21, 18, 0, tzinfo=UTC),
    )
    # Queued while the page was in English: the recipient's language must still win.
    with translation.override("en"):
        registration = register(event, language=language)
    return Message.objects.get(kind="registration_confirmed", related_id=registration.pk)


def _read(message):
    sent = rendering.render(message)
    mime = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    parts = {part.get_content_type(): part for part in mime.walk() if not part.is_multipart()}
    return mime, parts["text/plain"].get_content(), parts["text/html"].get_content(), parts


def test_a_russian_confirmation_is_russian_in_subject_both_parts_and_dates(register, catalogues):
    mime, text, html, parts = _read(_confirmation(register, "ru"))

    assert mime["Subject"].strip() == "Подтверждено: Peacekeeping in Africa"
    assert "Когда: понедельник, 21 декабря 2026\u202fг., 10:00–13:00" in text
    assert "понедельник, 21 декабря 2026\u202fг." in html and "Когда" in html
    assert '<html lang="ru" dir="ltr">' in html
    assert "text/calendar" in parts


def test_an_arabic_confirmation_is_right_to_left_with_arabic_dates(register, catalogues):
    mime, text, html, _parts = _read(_confirmation(register, "ar"))

    assert mime["Subject"] == "تأكيد: Peacekeeping in Africa"
    assert "متى: الاثنين، 21 ديسمبر 2026" in text
    assert '<html lang="ar" dir="rtl">' in html
    assert "الاثنين، 21 ديسمبر 2026" in html
    assert '<bdi dir="ltr">10:00–13:00</bdi>' in html
    # The Latin name is isolated in both parts, so it reads in order inside Arabic text.
    assert "\u2068Kristina Delegate" in text and "\u2068Kristina Delegate" in html


def test_without_its_catalogue_an_arabic_email_keeps_left_to_right(register, no_catalogues):
    _mime, _text, html, _parts = _read(_confirmation(register, "ar"))

    assert '<html lang="ar" dir="ltr">' in html


def test_the_subjects_date_placeholder_follows_the_recipients_language(register, catalogues):
    message = _confirmation(register, "fr")
    with translation.override("ru"):
        values = rendering.placeholder_values(message, {"salutation": ""})
    assert values["event_date"] == "понедельник, 21 декабря 2026\u202fг."
    _mime, text, _html, _parts = _read(message)
    assert "lundi 21 décembre 2026" in text


def test_a_name_in_a_left_to_right_email_is_left_as_typed(register, catalogues):
    _mime, text, _html, _parts = _read(_confirmation(register, "ru"))

    assert "\u2068" not in text
