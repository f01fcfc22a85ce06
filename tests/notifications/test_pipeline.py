"""The outbox: a row per email, sent once, retried when it may succeed later, never lost."""

import email
import email.policy
from datetime import timedelta

import pytest
import requests
import time_machine
from anymail.exceptions import AnymailAPIError
from django.db import transaction
from django.utils import timezone

from events.audit import SYSTEM
from notifications import services
from notifications.models import Message, Suppression
from tests.factories import EventFactory


@pytest.fixture
def event(organization):
    return EventFactory(organization=organization, title="Peacekeeping in Africa")


def _enqueue(event, *, kind="invitation", key="invitation:1", **fields):
    defaults = dict(
        to_email="kristina.zetterlund@gov.se",
        to_name="Kristina Zetterlund",
        context={"first_name": "Kristina", "last_name": "Zetterlund", "honorific": "H.E. Ms."},
    )
    return services.enqueue(kind=kind, dedupe_key=key, event=event, **(defaults | fields))


def _esp_error(status_code, text):
    """An error as anymail raises it for an ESP's HTTP answer."""
    response = requests.Response()
    response.status_code = status_code
    response.reason = text
    response._content = text.encode()
    return AnymailAPIError(text, status_code=status_code, response=response)


def _mime(sent):
    """The message as the recipient's mail server receives it."""
    return email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)


def _parts(mime):
    return {part.get_content_type(): part for part in mime.walk() if not part.is_multipart()}


def test_same_dedupe_key_twice_makes_one_message(announcement_kind, event):
    first = _enqueue(event)
    second = _enqueue(event, to_email="someone.else@example.org")

    assert first.pk == second.pk
    assert Message.objects.count() == 1


def test_the_same_dedupe_key_twice_in_one_call_makes_one_message_both_answers_name(
    announcement_kind, event
):
    item = dict(kind="invitation", dedupe_key="invitation:7", event=event, context={})
    first, second = services.enqueue_many(
        [item | {"to_email": "kristina.zetterlund@gov.se"}, item | {"to_email": "other@gov.se"}]
    )

    assert Message.objects.count() == 1
    assert first.pk == second.pk
    assert second.to_email == "kristina.zetterlund@gov.se"  # the row written, not the one skipped


def test_message_rolled_back_with_its_cause_is_never_written(announcement_kind, event):
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue(event)
        raise RuntimeError("the registration failed")

    assert not Message.objects.exists()


def test_dispatch_sends_a_pending_message_and_records_the_esp_id(
    announcement_kind, anymail_test_backend, event
):
    message = _enqueue(event)

    assert services.send_messages([message.pk]) == 1

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.sent_at is not None
    assert message.esp_message_id == "0"  # anymail's test backend numbers its outbox
    assert message.subject == "Invitation: Peacekeeping in Africa"
    assert len(anymail_test_backend) == 1


def test_sent_mime_has_text_and_html_parts_and_fixed_message_id(
    announcement_kind, anymail_test_backend, event
):
    message = _enqueue(event, context={"first_name": "Kristina", "last_name": "Zetterlund",
                                       "honorific": "H.E. Ms.", "body": "You are invited."})  # fmt: skip
    services.send_messages([message.pk])

    mime = _mime(anymail_test_backend[0])
    parts = _parts(mime)
    text = parts["text/plain"].get_payload(decode=True).decode()
    html = parts["text/html"].get_payload(decode=True).decode()
    assert mime["Message-ID"] == message.message_id_header
    assert mime["To"] == "Kristina Zetterlund <kristina.zetterlund@gov.se>"
    assert text.startswith("Dear H.E. Ms. Zetterlund,")
    assert "You are invited." in text and "<p>" not in text
    assert "Dear H.E. Ms. Zetterlund," in html
    assert 'style="' in html  # the layout's CSS is inlined for mail clients


def test_non_transactional_mail_carries_one_click_unsubscribe_headers(
    announcement_kind, anymail_test_backend, event
):
    message = _enqueue(event)
    services.send_messages([message.pk])

    mime = _mime(anymail_test_backend[0])
    assert mime["List-Unsubscribe"].strip() == (
        f"<http://127.0.0.1:8000/email/unsubscribe/{message.pk}/{message.unsubscribe_token}/>"
    )
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_transactional_mail_has_no_unsubscribe_headers_and_carries_its_attachment(
    confirmation_kind, anymail_test_backend, event
):
    message = _enqueue(event, kind="registration_confirmed", key="confirmed:1")
    services.send_messages([message.pk])

    mime = _mime(anymail_test_backend[0])
    assert mime["List-Unsubscribe"] is None
    assert mime["List-Unsubscribe-Post"] is None
    assert "text/calendar" in _parts(mime)


def test_transient_esp_error_is_retried_later_and_then_succeeds(
    announcement_kind, anymail_test_backend, event, monkeypatch
):
    message = _enqueue(event)
    failures = iter([_esp_error(503, "ESP unavailable")])

    def flaky_send(self, email_messages):
        for failure in failures:
            raise failure
        return original_send(self, email_messages)

    from anymail.backends.test import EmailBackend

    original_send = EmailBackend.send_messages
    monkeypatch.setattr(EmailBackend, "send_messages", flaky_send)
    services.send_messages([message.pk])

    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.attempts == 1
    assert "ESP unavailable" in message.error
    assert message.not_before > timezone.now()
    assert services.send_messages([message.pk]) == 0  # not due yet

    with time_machine.travel(message.not_before + timedelta(seconds=1)):
        assert services.send_messages([message.pk]) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == (Message.Status.SENT, 2, "")


def test_permanent_esp_error_ends_failed_with_the_error(
    announcement_kind, anymail_test_backend, event, monkeypatch
):
    message = _enqueue(event)

    def refuse(self, email_messages):
        raise _esp_error(422, "Invalid 'To' address")

    from anymail.backends.test import EmailBackend

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    services.send_messages([message.pk])

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "Invalid 'To' address" in message.error


def test_transient_errors_end_failed_after_the_last_attempt(
    announcement_kind, anymail_test_backend, event, monkeypatch, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = _enqueue(event)

    def unavailable(self, email_messages):
        raise _esp_error(503, "ESP unavailable")

    from anymail.backends.test import EmailBackend

    monkeypatch.setattr(EmailBackend, "send_messages", unavailable)
    services.send_messages([message.pk])
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        services.send_messages([message.pk])

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.FAILED, 2)


def test_retry_delays_grow_and_stay_under_the_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600

    delays = [services.retry_delay(attempt) for attempt in range(1, 12)]

    assert 15 <= delays[0] <= 30
    assert 30 <= delays[1] <= 60
    assert all(1800 <= delay <= 3600 for delay in delays[8:])


def test_suppressed_address_gets_no_invitation_but_still_its_confirmation(
    announcement_kind, confirmation_kind, anymail_test_backend, event
):
    services.suppress(
        actor=SYSTEM, email="Kristina.Zetterlund@gov.se", reason=Suppression.Reason.BOUNCED
    )

    invitation = _enqueue(event)
    confirmation = _enqueue(event, kind="registration_confirmed", key="confirmed:1")
    services.send_messages([invitation.pk, confirmation.pk])

    invitation.refresh_from_db()
    assert invitation.status == Message.Status.SUPPRESSED
    assert "Hard bounce" in invitation.error
    assert [m.subject for m in anymail_test_backend] == ["Confirmed: Peacekeeping in Africa"]


def test_address_suppressed_after_enqueue_is_not_sent(
    announcement_kind, anymail_test_backend, event
):
    message = _enqueue(event)
    services.suppress(actor=SYSTEM, email=message.to_email, reason=Suppression.Reason.UNSUBSCRIBED)

    services.send_messages([message.pk])

    message.refresh_from_db()
    assert message.status == Message.Status.SUPPRESSED
    assert anymail_test_backend == []


def test_a_message_already_sent_is_not_sent_again(announcement_kind, anymail_test_backend, event):
    message = _enqueue(event)
    services.send_messages([message.pk])

    assert services.send_messages([message.pk]) == 0
    assert len(anymail_test_backend) == 1


def test_sweep_sends_rows_whose_task_never_ran(
    announcement_kind, anymail_test_backend, event, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    message = _enqueue(event)  # in tests the task is queued nowhere: the broker is a folder

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        result = services.sweep()

    message.refresh_from_db()
    assert result["queued"] == 1
    assert message.status == Message.Status.SENT


def test_sweep_releases_rows_stuck_in_sending_past_their_lease(
    announcement_kind, anymail_test_backend, event, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    message = _enqueue(event)
    services.claim([message.pk])  # a worker claimed it and died

    with time_machine.travel(timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)):
        result = services.sweep()

    message.refresh_from_db()
    assert result["released"] == 1
    assert message.status == Message.Status.SENT
    assert message.attempts == 2


def test_organizer_retry_sends_a_failed_message_again(
    announcement_kind, anymail_test_backend, event
):
    message = _enqueue(event)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, error="422")

    services.retry(actor=SYSTEM, message=message)
    services.send_messages([message.pk])

    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_only_a_failed_message_can_be_retried(announcement_kind, event):
    message = _enqueue(event)

    with pytest.raises(services.MessageNotRetryable):
        services.retry(actor=SYSTEM, message=message)
