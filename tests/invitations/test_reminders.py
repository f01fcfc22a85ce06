"""Reminders go to those who have not answered, and never to anyone who must be skipped."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from events.audit import SYSTEM, Actor
from invitations import services
from invitations.models import Invitation
from notifications import services as outbox
from notifications.models import Message, Suppression
from registration import services as registration_services
from tests.factories import InvitationFactory

from .test_sending import TOKEN, _as_received


def _registered(invitation, *, then_cancel=False):
    registration = services.register_by_invitation(actor=Actor.system("test"),
        token=invitation.token, event=invitation.event, email=invitation.email,
        first_name="Kofi", last_name="Mensah", consent=True,
    )  # fmt: skip
    if then_cancel:
        registration_services.cancel(actor=Actor.system("test"), registration=registration)


@pytest.fixture
def everyone(conference):
    """One invitation for each reason to remind or not, by name."""
    past = timezone.now() - timedelta(minutes=1)
    made = {
        "sent": InvitationFactory(event=conference),
        "delivered": InvitationFactory(event=conference, delivery="delivered"),
        "opened": InvitationFactory(event=conference, delivery="opened"),
        "draft": InvitationFactory(event=conference, status="draft"),
        "declined": InvitationFactory(event=conference, status="declined"),
        "revoked": InvitationFactory(event=conference, status="revoked", times_sent=1),
        "expired": InvitationFactory(event=conference, expires_at=past),
        "bounced": InvitationFactory(event=conference, delivery="bounced"),
        "complained": InvitationFactory(event=conference, delivery="complained"),
        "unsubscribed": InvitationFactory(event=conference),
        "suppressed after a bounce elsewhere": InvitationFactory(event=conference),
        "registered": InvitationFactory(event=conference),
        "registered, then cancelled": InvitationFactory(event=conference),
    }
    Suppression.objects.create(email=made["unsubscribed"].email, reason="unsubscribed")
    Suppression.objects.create(
        email=made["suppressed after a bounce elsewhere"].email, reason="bounced"
    )
    _registered(made["registered"])
    _registered(made["registered, then cancelled"], then_cancel=True)
    return made


def _reminded():
    return set(
        Message.objects.filter(kind="invitation_reminder").values_list("related_id", flat=True)
    )


def test_reminders_go_only_to_those_who_have_not_answered(mail_backend, conference, everyone):
    queued = services.remind(actor=SYSTEM, event=conference)

    expected = {"sent", "delivered", "opened"}
    assert queued == len(expected)
    names = {invitation.pk: name for name, invitation in everyone.items()}
    assert {names[pk] for pk in _reminded()} == expected


def test_pressing_remind_twice_in_an_hour_sends_one_reminder_each(mail_backend, conference):
    InvitationFactory(event=conference)
    now = timezone.now().replace(minute=5)

    services.remind(actor=SYSTEM, event=conference, now=now)
    again = services.remind(actor=SYSTEM, event=conference, now=now + timedelta(minutes=30))

    assert again == 0
    assert Message.objects.filter(kind="invitation_reminder").count() == 1


def test_a_reminder_carries_the_invitees_own_link(mail_backend, conference):
    mine = InvitationFactory(event=conference)
    other = InvitationFactory(event=conference)

    services.remind(actor=SYSTEM, event=conference, ids=[mine.pk])
    outbox.send_messages(list(Message.objects.values_list("pk", flat=True)))

    [sent] = mail_backend
    subject, text, html = _as_received(sent)
    assert subject.startswith("Reminder: invitation to")
    for part in (text, html):
        assert set(TOKEN.findall(part)) == {mine.token}
        assert other.token not in part
    assert Invitation.objects.get(pk=mine.pk).reminded_at is not None


def test_the_scheduled_reminder_goes_once_when_its_date_has_come(mail_backend, conference):
    InvitationFactory(event=conference)
    remind_at = timezone.now() + timedelta(days=2)
    services.schedule_reminder(actor=SYSTEM, event=conference, remind_at=remind_at)

    before = services.send_scheduled_reminders(actor=SYSTEM, now=remind_at - timedelta(minutes=1))
    due = services.send_scheduled_reminders(actor=SYSTEM, now=remind_at + timedelta(minutes=1))
    again = services.send_scheduled_reminders(actor=SYSTEM, now=remind_at + timedelta(minutes=6))

    assert (before, due, again) == (0, 1, 0)
    assert Message.objects.filter(kind="invitation_reminder").count() == 1


def test_the_scheduled_reminder_skips_those_who_answered_meanwhile(
    mail_backend, conference, everyone
):
    remind_at = timezone.now() + timedelta(days=2)
    services.schedule_reminder(actor=SYSTEM, event=conference, remind_at=remind_at)

    services.send_scheduled_reminders(actor=SYSTEM, now=remind_at + timedelta(minutes=1))

    names = {invitation.pk: name for name, invitation in everyone.items()}
    assert {names[pk] for pk in _reminded()} == {"sent", "delivered", "opened"}


def test_a_cancelled_event_sends_no_scheduled_reminder(mail_backend, conference):

    from events.services import cancel_event

    InvitationFactory(event=conference)
    remind_at = timezone.now() + timedelta(days=2)
    services.schedule_reminder(actor=SYSTEM, event=conference, remind_at=remind_at)
    cancel_event(actor=SYSTEM, event=conference)

    assert (
        services.send_scheduled_reminders(actor=SYSTEM, now=remind_at + timedelta(minutes=1)) == 0
    )
    assert not Message.objects.filter(kind="invitation_reminder").exists()


def test_a_new_date_reminds_again_those_still_without_an_answer(mail_backend, conference):
    InvitationFactory(event=conference)
    first = timezone.now() + timedelta(days=2)
    services.schedule_reminder(actor=SYSTEM, event=conference, remind_at=first)
    services.send_scheduled_reminders(actor=SYSTEM, now=first + timedelta(minutes=1))

    second = first + timedelta(days=3)
    services.schedule_reminder(
        actor=SYSTEM, event=conference, remind_at=second, now=first + timedelta(hours=1)
    )
    services.send_scheduled_reminders(actor=SYSTEM, now=second + timedelta(minutes=1))

    assert Message.objects.filter(kind="invitation_reminder").count() == 2


@pytest.mark.parametrize(
    ("offset", "message"),
    [(-timedelta(hours=1), "in the future"), (timedelta(days=60), "before the event starts")],
)
def test_a_reminder_date_in_the_past_or_after_the_start_is_refused(conference, offset, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        services.schedule_reminder(
            actor=SYSTEM, event=conference, remind_at=timezone.now() + offset
        )


def test_beat_runs_the_scheduled_reminders():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "invitations.tasks.send_scheduled_reminders" in tasks


def test_many_reminders_are_written_by_a_job_safe_to_run_twice(
    mail_backend, conference, django_capture_on_commit_callbacks, monkeypatch
):
    from invitations import tasks
    from invitations.services import sending

    monkeypatch.setattr(sending, "INLINE_LIMIT", 1)
    handed = []
    monkeypatch.setattr(
        tasks.send_reminders, "apply_async", lambda kwargs, **options: handed.append(kwargs)
    )
    InvitationFactory.create_batch(3, event=conference)

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.remind(actor=SYSTEM, event=conference)
    tasks.send_reminders.run(**handed[0])
    tasks.send_reminders.run(**handed[0])

    assert queued == 3
    assert Message.objects.filter(kind="invitation_reminder").count() == 3
