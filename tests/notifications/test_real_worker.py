"""The outbox with a real Celery worker on Redis and PostgreSQL, as in production."""

import email
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from kombu.exceptions import OperationalError

from config.celery import app
from notifications import services, tasks
from notifications.models import Message
from tests.factories import EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_outbox(tmp_path):
    """A real worker process on its own queue, writing the mail it sends into a folder."""
    queue = f"plenary-test-{uuid.uuid4().hex[:8]}"
    outbox = tmp_path / "outbox"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        # The sweep re-queues pending rows at once instead of after a minute's quiet.
        "OUTBOX_REQUEUE_AFTER_SECONDS": "0",
    }
    env.pop("CELERY_BROKER_URL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue,
         "--include", "tests.notifications.worker_setup", "--without-mingle", "--without-gossip",
         "-l", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield outbox
    finally:
        app.conf.task_default_queue = previous_queue
        worker.terminate()
        worker.wait(timeout=20)


def _sent_mail(outbox):
    if not outbox.exists():
        return []
    messages = []
    for log in sorted(outbox.iterdir()):
        # The file backend separates messages with a line of 79 dashes.
        for chunk in log.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk))
    return messages


def _wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _invite(event, number):
    return services.enqueue(
        kind="invitation", dedupe_key=f"invitation:{number}", event=event,
        to_email=f"delegate{number}@mission.example", context={"last_name": f"Delegate {number}"},
    )  # fmt: skip


def test_enqueued_messages_are_sent_by_a_real_worker(
    announcement_kind, worker_outbox, organization
):
    event = EventFactory(organization=organization, title="Peacekeeping in Africa")
    messages = [_invite(event, number) for number in range(5)]

    assert _wait_until(lambda: Message.objects.filter(status=Message.Status.SENT).count() == 5)
    sent = _sent_mail(worker_outbox)
    assert sorted(m["Message-ID"] for m in sent) == sorted(m.message_id_header for m in messages)
    assert {m["Subject"] for m in sent} == {"Invitation: Peacekeeping in Africa"}


def test_messages_committed_within_the_wake_window_go_out_in_one_task(
    announcement_kind, worker_outbox, organization, settings
):
    settings.OUTBOX_WAKE_SECONDS = 0.5  # as a web process under a rush, with a wider window
    event = EventFactory(organization=organization, title="Peacekeeping in Africa")
    publish = tasks.send_messages.apply_async
    with mock.patch.object(
        tasks.send_messages, "apply_async", side_effect=publish, autospec=True
    ) as published:
        messages = [_invite(event, number) for number in range(5)]  # five commits
        assert _wait_until(lambda: Message.objects.filter(status=Message.Status.SENT).count() == 5)

    assert published.call_count == 1
    sent = _sent_mail(worker_outbox)
    assert sorted(m["Message-ID"] for m in sent) == sorted(m.message_id_header for m in messages)


def test_messages_made_while_the_broker_is_down_go_out_when_it_returns(
    announcement_kind, worker_outbox, organization
):
    event = EventFactory(organization=organization)
    with mock.patch.object(
        tasks.send_messages, "apply_async", side_effect=OperationalError("down")
    ):
        messages = [_invite(event, number) for number in range(3)]
    time.sleep(1)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.PENDING}

    tasks.sweep_outbox.delay()  # what beat runs every minute, now that Redis answers again

    assert _wait_until(lambda: Message.objects.filter(status=Message.Status.SENT).count() == 3)
    assert len(_sent_mail(worker_outbox)) == len(messages)


def test_two_workers_dispatching_the_same_rows_at_once_send_each_once(
    announcement_kind, anymail_test_backend, organization
):
    event = EventFactory(organization=organization)
    with mock.patch.object(services, "queue_for_sending"):
        ids = [_invite(event, number).pk for number in range(40)]
    start = threading.Barrier(2)

    def worker():
        start.wait()
        try:
            services.send_messages(ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    recipients = [sent.to[0] for sent in anymail_test_backend]
    assert len(recipients) == 40
    assert len(set(recipients)) == 40
    assert Message.objects.filter(status=Message.Status.SENT, attempts=1).count() == 40
