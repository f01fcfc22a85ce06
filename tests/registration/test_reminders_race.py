"""Beats that overlap (two beat processes, a slow run and the next, a retried task) write each
reminder once: real threads, each with its own PostgreSQL connection."""

import threading
from unittest import mock

import pytest
from django.db import connection

from notifications import jobs
from notifications import services as outbox
from notifications.models import Message
from registration import reminders
from registration.models import Registration

from .reminder_helpers import DAY, START

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 120
BEATS = 6


def _register_many(event):
    for number in range(PEOPLE):
        Registration.objects.create(
            event=event, email=f"delegate{number}@mission.example", first_name="Delegate",
            last_name=str(number), attendance_mode="in_person", status="confirmed",
            consent_at=START - 20 * DAY,
        )  # fmt: skip


def _beats_at_once(*, all_read_before_any_writes):
    """BEATS beats run send_due at the same moment. With `all_read_before_any_writes`, each
    waits until every beat has read who is due before writing: the worst interleaving."""
    start = threading.Barrier(BEATS)
    read = threading.Barrier(BEATS)
    attempted, errors = [], []
    write = jobs.write

    def racing_write(chunks, **kwargs):
        chunks = list(chunks)
        attempted.append(sum(len(chunk) for chunk in chunks))
        if all_read_before_any_writes:
            read.wait()
        return write(chunks, **kwargs)

    def beat():
        try:
            start.wait()
            reminders.send_due()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    with (
        mock.patch.object(jobs, "write", racing_write),
        mock.patch.object(outbox, "queue_for_sending"),
    ):
        threads = [threading.Thread(target=beat) for _ in range(BEATS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return attempted, errors


def test_concurrent_beats_all_try_to_write_the_same_reminders(briefing, at):
    """The race the dedupe key settles: every beat read the same people as still due."""
    _register_many(briefing)
    at(-7 * DAY)

    attempted, errors = _beats_at_once(all_read_before_any_writes=True)

    assert errors == []
    assert attempted == [PEOPLE] * BEATS


def test_concurrent_and_repeated_beats_write_each_reminder_once(briefing, at):
    _register_many(briefing)
    at(-7 * DAY)

    _attempted, errors = _beats_at_once(all_read_before_any_writes=True)
    with mock.patch.object(outbox, "queue_for_sending"):
        reminders.send_due()
        reminders.send_due()

    assert errors == []
    rows = Message.objects.filter(kind="reminder")
    assert rows.count() == PEOPLE
    assert rows.values("related_id").distinct().count() == PEOPLE
