"""Reminders and fan-out jobs with a real Celery worker and a real `celery beat` on Redis and
PostgreSQL, as in production: beat fires every second here, and each reminder still goes once."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app
from events.audit import SYSTEM, Actor
from events.services import update_event
from notifications.models import FanoutJob, Message
from registration import services
from registration.models import Registration
from tests.factories import EventFactory
from tests.notifications.test_real_worker import ROOT, _database_url, _sent_mail, _wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _start(command, env):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *command, "-l", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def worker_and_beat(tmp_path):
    """A worker on a queue of its own, and beat sending it the periodic tasks every second."""
    queue = f"plenary-test-{uuid.uuid4().hex[:8]}"
    outbox = tmp_path / "outbox"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "SCHEDULE_BEAT_SECONDS": "1",
    }
    env.pop("CELERY_BROKER_URL", None)
    worker = _start(
        ["worker", "--pool", "solo", "-Q", queue, "--without-mingle", "--without-gossip"], env
    )
    beat = _start(["beat", "--schedule", str(tmp_path / "beat-schedule")], env)
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue  # what this process queues goes to that worker too
    try:
        yield outbox
    finally:
        app.conf.task_default_queue = previous_queue
        _stop(beat)
        _stop(worker)


def _reminders(status=None):
    rows = Message.objects.filter(kind="reminder")
    return rows.filter(status=status) if status else rows


def test_beat_and_a_worker_send_each_due_reminder_once(organization, worker_and_beat):
    start = (timezone.now() + timedelta(minutes=59)).replace(microsecond=0)
    event = EventFactory(
        organization=organization, title="Peacekeeping in Africa", starts_at=start,
        ends_at=start + timedelta(hours=3), reminder_offsets=["P1D", "PT1H"],
    )  # fmt: skip
    for number in range(3):
        services.register(actor=Actor.system("test"),
            event=event, email=f"delegate{number}@mission.example", first_name="Delegate",
            last_name=str(number), consent=True, attendance_mode="in_person",
        )  # fmt: skip
    # They registered yesterday, before the one-hour reminder's time (a minute ago).
    Registration.objects.update(created_at=timezone.now() - timedelta(days=1))

    assert _wait_until(lambda: _reminders(Message.Status.SENT).count() == 3, timeout=60)
    time.sleep(4)  # four more beats

    assert _reminders().count() == 3
    assert set(_reminders().values_list("attempts", flat=True)) == {1}
    reminders = [m for m in _sent_mail(worker_and_beat) if m["Subject"].startswith("Reminder:")]
    assert len(reminders) == 3
    assert {m["To"] for m in reminders} == {
        f"Delegate {number} <delegate{number}@mission.example>" for number in range(3)
    }


def test_a_time_change_is_told_by_a_real_worker_while_the_request_returns(
    organization, worker_and_beat
):
    event = EventFactory(organization=organization, title="Peacekeeping in Africa")
    for number in range(5):
        services.register(actor=Actor.system("test"),
            event=event, email=f"delegate{number}@mission.example", first_name="Delegate",
            last_name=str(number), consent=True,
        )  # fmt: skip

    update_event(actor=SYSTEM, event=event, venue_name="Trusteeship Council Chamber")

    sent = Message.objects.filter(kind="event_updated", status=Message.Status.SENT)
    assert _wait_until(lambda: sent.count() == 5, timeout=60)
    assert FanoutJob.objects.get().status == FanoutJob.Status.DONE
    updates = [m for m in _sent_mail(worker_and_beat) if m["Subject"].startswith("Updated:")]
    assert len(updates) == 5
