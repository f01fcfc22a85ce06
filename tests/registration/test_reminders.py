"""Reminders go at their time before the start, once per offset and person, to confirmed
registrants only, and follow the event when it moves."""

import pytest

from events.audit import SYSTEM, Actor
from events.services import cancel_event, update_event
from notifications.models import Message
from registration import reminders, services
from registration.models import Registration
from tests.factories import EventFactory

from .reminder_helpers import DAY, HOUR, MINUTE, START, reminder_keys

pytestmark = pytest.mark.django_db


def test_each_reminder_goes_at_its_time_and_only_once(briefing, register, at):
    registration = register(briefing)

    at(-7 * DAY - MINUTE)
    reminders.send_due()
    assert reminder_keys(registration) == []

    at(-7 * DAY + MINUTE)
    reminders.send_due()
    reminders.send_due()
    assert reminder_keys(registration) == ["P7D"]

    at(-DAY)
    reminders.send_due()
    at(-HOUR + MINUTE)
    reminders.send_due()
    reminders.send_due()

    assert reminder_keys(registration) == ["P7D", "P1D", "PT1H"]
    keys = Message.objects.filter(kind="reminder").values_list("dedupe_key", flat=True)
    assert sorted(keys) == sorted(
        f"reminder:{offset}:registration:{registration.pk}" for offset in ("P7D", "P1D", "PT1H")
    )


def test_registering_after_a_reminders_time_skips_that_reminder(briefing, register, at):
    early = register(briefing)
    at(-7 * DAY + HOUR)  # within the 7-day reminder's grace, but after its time
    late = register(briefing)

    reminders.send_due()
    at(-DAY)
    reminders.send_due()

    assert reminder_keys(early) == ["P7D", "P1D"]
    assert reminder_keys(late) == ["P1D"]


def test_a_reminder_missed_beyond_its_grace_is_never_sent(briefing, register, at):
    """Beat was down for a day: no "in 7 days" reminder the day before."""
    registration = register(briefing)

    at(-6 * DAY)
    reminders.send_due()
    at(-DAY + MINUTE)
    reminders.send_due()

    assert reminder_keys(registration) == ["P1D"]


def test_a_beat_late_within_the_grace_still_sends(briefing, register, at):
    registration = register(briefing)

    at(-7 * DAY + 11 * HOUR)  # a quarter of seven days, at most 12 hours
    reminders.send_due()

    assert reminder_keys(registration) == ["P7D"]


def test_no_reminder_goes_once_the_event_has_started(organization, register, at):
    event = EventFactory(
        organization=organization, starts_at=START, ends_at=START + 3 * HOUR,
        reminder_offsets=["PT5M"],
    )  # fmt: skip
    registration = register(event)

    at(MINUTE)
    reminders.send_due()

    assert reminder_keys(registration) == []


def test_moving_the_event_moves_its_reminders_forward_and_back(briefing, register, at):
    registration = register(briefing)
    at(-10 * DAY)
    # Brought forward to three days from now: the 7-day reminder's time has long passed.
    update_event(
        actor=SYSTEM, event=briefing, starts_at=START - 7 * DAY, ends_at=START - 7 * DAY + 3 * HOUR
    )
    at(-8 * DAY)
    reminders.send_due()
    assert reminder_keys(registration) == ["P1D"]

    # Moved back to its first date: the 7-day reminder is due again at its new time, and the
    # one-day reminder, already sent, is not sent twice.
    update_event(actor=SYSTEM, event=briefing, starts_at=START, ends_at=START + 3 * HOUR)
    at(-7 * DAY)
    reminders.send_due()
    at(-DAY)
    reminders.send_due()

    assert reminder_keys(registration) == ["P1D", "P7D"]


def test_a_cancelled_event_sends_no_reminders_and_withdraws_unsent_ones(briefing, register, at):
    registration = register(briefing)
    at(-7 * DAY)
    reminders.send_due()  # written; the worker has not sent it yet

    cancel_event(actor=SYSTEM, event=briefing)
    at(-DAY)
    reminders.send_due()

    row = Message.objects.get(kind="reminder", related_id=registration.pk)
    assert row.status == Message.Status.CANCELLED
    assert reminder_keys(registration) == ["P7D"]


def test_cancelling_one_registration_stops_only_its_reminders(briefing, register, at):
    staying, leaving = register(briefing), register(briefing)
    at(-7 * DAY)
    reminders.send_due()

    services.cancel(actor=Actor.system("test"), registration=leaving)
    at(-DAY)
    reminders.send_due()

    assert reminder_keys(staying) == ["P7D", "P1D"]
    assert reminder_keys(leaving) == ["P7D"]
    unsent = Message.objects.get(kind="reminder", related_id=leaving.pk)
    assert unsent.status == Message.Status.CANCELLED
    assert "no longer confirmed" in unsent.error


def test_pending_and_waitlisted_registrants_get_no_reminder(organization, register, at):
    event = EventFactory(
        organization=organization, starts_at=START, ends_at=START + 3 * HOUR,
        capacity_in_person=1, waitlist_enabled=True,
    )  # fmt: skip
    confirmed, waitlisted = register(event), register(event)
    approval = EventFactory(
        organization=organization, starts_at=START, ends_at=START + 3 * HOUR,
        requires_approval=True,
    )  # fmt: skip
    pending = register(approval)
    assert waitlisted.status == Registration.Status.WAITLISTED
    assert pending.status == Registration.Status.PENDING

    at(-7 * DAY)
    reminders.send_due()

    assert reminder_keys(confirmed) == ["P7D"]
    assert reminder_keys(waitlisted) == reminder_keys(pending) == []


def test_someone_confirmed_within_the_grace_still_gets_the_reminder(organization, register, at):
    event = EventFactory(
        organization=organization, starts_at=START, ends_at=START + 3 * HOUR,
        capacity_in_person=1, waitlist_enabled=True,
    )  # fmt: skip
    first, waiting = register(event), register(event)
    at(-7 * DAY)
    reminders.send_due()

    at(-7 * DAY + HOUR)
    services.cancel(
        actor=Actor.system("test"), registration=first
    )  # the seat goes to the person waiting
    reminders.send_due()

    assert reminder_keys(waiting) == ["P7D"]


def test_the_same_offset_written_twice_is_one_reminder(organization, register, at):
    event = EventFactory(
        organization=organization, starts_at=START, ends_at=START + 3 * HOUR,
        reminder_offsets=["P1D", "PT24H", "PT1H"],
    )  # fmt: skip
    registration = register(event)

    at(-DAY)
    reminders.send_due()

    assert reminder_keys(registration) == ["P1D"]
    assert [key for key, _delta in reminders.offsets(event)] == ["P1D", "PT1H"]


def test_the_grace_is_a_quarter_of_the_offset_within_bounds():
    assert reminders.grace(7 * DAY) == 12 * HOUR
    assert reminders.grace(DAY) == 6 * HOUR
    assert reminders.grace(HOUR) == 15 * MINUTE
    assert reminders.grace(10 * MINUTE) == 5 * MINUTE
