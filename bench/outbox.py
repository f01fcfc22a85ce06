"""Outbox throughput: N messages through a real Celery worker, against a bare render-and-send loop.

    uv run python bench/outbox.py [--messages 10000] [--backend test|smtp|esp|all] [--profile]

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/plenary_bench; the
database is dropped and re-created) and Redis (REDIS_URL, default redis://127.0.0.1:6379/12; that
db is flushed). The SMTP backend talks to bench/smtp_sink.py, which the script runs in its own
process.
"""

import argparse
import contextlib
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PHASE_LIMIT = 600  # seconds; a phase that takes longer aborts the run
ENQUEUE_BATCH = 500  # messages per enqueue_many call, each in its own transaction
BACKENDS = {
    "test": "anymail.backends.test.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    # anymail's test backend standing in for an ESP with a batch API (Mailgun's merge fields).
    "esp": "anymail.backends.test.EmailBackend",
}
ESP_BATCHING = {"OUTBOX_ESP_BATCH_SIZE": "100", "OUTBOX_MERGE_FIELD_FORMAT": "%recipient.{}%"}


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


def deadline_check(deadline, what):
    if time.monotonic() > deadline:
        raise BenchError(f"{what} took longer than {PHASE_LIMIT} s; aborted.")


# --- Services: PostgreSQL, Redis, the SMTP sink ------------------------------------------------


def reset_database(url):
    """Drop and re-create the benchmark database (connecting to the 'postgres' maintenance db)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("plenary_bench"):
        # DATABASE_URL may still name the application's own database.
        raise BenchError(f"Refusing to drop {name!r}: a benchmark database's name starts with "
                         "plenary_bench.")  # fmt: skip
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        where = f"{parts.hostname}:{parts.port or 5432}"
        raise BenchError(f"PostgreSQL at {where} is unreachable: {error}") from None


def flush_redis(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()
    except redis.RedisError as error:
        raise BenchError(f"Redis at {url} is unreachable: {error}") from None


class Sink:
    """bench/smtp_sink.py in a process of its own, so it shares a GIL with neither sender."""

    def __init__(self):
        from bench import smtp_sink

        self.smtp_sink = smtp_sink
        try:
            self.process, self.port = smtp_sink.start()
        except RuntimeError as error:
            raise BenchError(str(error)) from None

    def received(self, *, reset=False):
        """The Message-ID of every message received (since the last reset), in order."""
        return self.smtp_sink.ask(self.process, "reset" if reset else "ids")

    def stats(self):
        """The messages and bytes received since it started, and the CPU seconds it used."""
        return self.smtp_sink.ask(self.process, "stats")

    def stop(self):
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def sink_usage(before, after):
    """The sink's CPU seconds in a phase, and the average size of the messages it received."""
    messages = max(1, after["messages"] - before["messages"])
    return {
        "sink_cpu": round(after["cpu"] - before["cpu"], 2),
        "bytes_per_message": (after["bytes"] - before["bytes"]) // messages,
    }


# --- The Celery worker -------------------------------------------------------------------------


def start_worker(queue, email_env, concurrency, include="tests.notifications.worker_setup"):
    """One real worker on its own queue, with `concurrency` prefork processes (solo for 1);
    returns once it answers a ping. `include` is a module the worker imports first (by default
    the test kinds this benchmark sends; None for the apps' own kinds only)."""
    from config.celery import app

    env = {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": queue, **email_env}
    env.pop("CELERY_BROKER_URL", None)
    name = f"{queue}@localhost"
    log = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's output, shown if it fails
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker",
         "--pool", "solo" if concurrency == 1 else "prefork",
         "--concurrency", str(concurrency), "-Q", queue, "-n", name,
         *(["--include", include] if include else []), "--without-mingle", "--without-gossip",
         "-l", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[name], timeout=0.5):
        if worker.poll() is not None:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-3000:]
            raise BenchError(f"The Celery worker exited with code {worker.returncode}:\n{tail}")
        if time.monotonic() > deadline:
            stop_worker(worker)
            raise BenchError("The Celery worker was not ready within 60 s.")
    return worker


def stop_worker(worker):
    worker.terminate()
    try:
        worker.wait(30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


# --- The measurements --------------------------------------------------------------------------


def create_event():
    from django.utils import timezone

    from events.models import Event, Organization

    organization = Organization.objects.create(
        name="International Peace Institute",
        short_name="IPI",
        kind=Organization.Kind.THINK_TANK,
        is_team=True,
    )
    starts_at = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    return Event.objects.create(
        organization=organization, slug="bench-peacekeeping", title="Peacekeeping in Africa",
        format=Event.Format.IN_PERSON, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
        timezone="America/New_York", venue_name="ECOSOC Chamber",
        venue_address="United Nations Headquarters, New York", status=Event.Status.PUBLISHED,
    )  # fmt: skip


def message_fields(event, prefix, number):
    """What enqueue_many gets for message `number`: the same shape in every phase."""
    return {
        "kind": "invitation",
        "event": event,
        "dedupe_key": f"{prefix}:{number}",
        "to_email": f"delegate{number}@mission{number % 193}.example",
        "to_name": f"Delegate {number}",
        "context": {
            "first_name": f"Ana {number}",
            "last_name": f"Delegate {number}",
            "honorific": "H.E. Ms." if number % 3 else "",
            "body": "The Permanent Mission has the honour to invite you. " * 8,
        },
    }


def run_outbox(event, backend, n, email_env, sink, concurrency):
    """Enqueue n messages while a ready worker sends them; time until every row is sent."""
    from django.db import transaction
    from django.db.models import Count, Q

    from config.celery import app
    from notifications import services
    from notifications.models import Message

    queue = f"plenary-bench-{backend}-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    prefix = f"bench:{backend}:outbox"
    worker = start_worker(queue, email_env, concurrency)
    sink_before = sink.stats() if sink else None
    try:
        deadline = time.monotonic() + PHASE_LIMIT
        started = time.monotonic()
        for start in range(0, n, ENQUEUE_BATCH):
            numbers = range(start, min(n, start + ENQUEUE_BATCH))
            with transaction.atomic():
                services.enqueue_many([message_fields(event, prefix, i) for i in numbers])
            deadline_check(deadline, "Enqueueing")
        enqueued = time.monotonic() - started
        rows = Message.objects.filter(dedupe_key__startswith=prefix + ":")
        while True:
            counts = rows.aggregate(
                sent=Count("id", filter=Q(status=Message.Status.SENT)),
                failed=Count("id", filter=Q(status=Message.Status.FAILED)),
            )
            if counts["sent"] + counts["failed"] >= n:
                break
            deadline_check(deadline, "Sending through the outbox")
            time.sleep(0.25)
        total = time.monotonic() - started
    finally:
        stop_worker(worker)
    result = {"enqueue": enqueued, "total": total, "failed": counts["failed"]}
    result["twice"] = rows.exclude(attempts=1).count()
    if sink is None:  # anymail's test backend keeps its mail in the worker's memory
        result["received"], result["duplicates"] = counts["sent"], result["twice"]
    else:
        result |= sink_usage(sink_before, sink.stats())
        ids = sink.received(reset=True)
        expected = set(rows.values_list("message_id_header", flat=True))
        result["received"], result["duplicates"] = len(ids), len(ids) - len(set(ids))
        result["unknown"] = len(set(ids) - expected)
    return result


def run_bare(event, backend, n, sink):
    """Render and send the same n messages in this process over one connection, no outbox."""
    from django.core import mail
    from django.core.mail import get_connection

    from notifications import rendering
    from notifications.models import Message

    # Unsaved rows with ids of their own: render() needs an id only for the unsubscribe link.
    messages = [
        Message(pk=10**9 + i, language=event.language, **message_fields(event, "bare", i))
        for i in range(n)
    ]
    options = {"host": "127.0.0.1", "port": sink.port} if sink else {}
    mail.outbox = []
    if sink:
        sink.received(reset=True)
        sink_before = sink.stats()
    deadline = time.monotonic() + PHASE_LIMIT
    started = time.monotonic()
    with get_connection(BACKENDS[backend], **options) as connection:
        for message in messages:
            connection.send_messages([rendering.render(message)])
            if message.pk % 500 == 0:
                deadline_check(deadline, "The bare loop")
    seconds = time.monotonic() - started
    result = {"seconds": seconds}
    if sink:
        result |= sink_usage(sink_before, sink.stats())
        ids = sink.received(reset=True)
        result["received"], result["duplicates"] = len(ids), len(ids) - len(set(ids))
    else:
        result["received"] = len(mail.outbox)
    mail.outbox = []
    return result


def profile_send(event, backend, n, sink):
    """cProfile services.send_messages in this process on n freshly enqueued rows."""
    from unittest import mock

    from django.test import override_settings

    from notifications import services
    from notifications.models import Message

    prefix = f"bench:{backend}:profile"
    with mock.patch.object(services, "queue_for_sending"):
        services.enqueue_many([message_fields(event, prefix, i) for i in range(n)])
    ids = Message.objects.filter(dedupe_key__startswith=prefix).values_list("pk", flat=True)
    smtp = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": sink.port} if sink else {}
    profiler = cProfile.Profile()
    with override_settings(EMAIL_BACKEND=BACKENDS[backend], **smtp):
        for start in range(0, len(ids), 100):  # as the worker does: one task per 100 ids
            profiler.runcall(services.send_messages, list(ids[start : start + 100]))
    print(f"\nProfile of send_messages ({backend}, {n} messages), top 30 by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


# --- Main --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--backend", choices=["test", "smtp", "esp", "all"], default="all")
    parser.add_argument("--profile", action="store_true", help="also cProfile send_messages")
    parser.add_argument(
        "--concurrency", type=int, default=os.cpu_count(),
        help="the worker's processes (default: one per core, as `celery worker` starts)",
    )  # fmt: skip
    args = parser.parse_args()
    n = args.messages
    backends = ["test", "smtp", "esp"] if args.backend == "all" else [args.backend]

    database_url = os.environ.setdefault(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/plenary_bench"
    )
    redis_url = os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    reset_database(database_url)
    flush_redis(redis_url)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    from tests.notifications.kinds import install_in_worker

    install_in_worker()  # the test kind "invitation" and its templates, as in the worker
    call_command("migrate", verbosity=0)
    event = create_event()
    print(
        f"{n} messages, {os.cpu_count()} CPUs, one worker with {args.concurrency} process(es), "
        f"PostgreSQL {database_url}, Redis {redis_url}"
    )

    sink, rows = None, []
    try:
        for backend in backends:
            if backend == "smtp":
                sink = sink or Sink()
                email_env = {"EMAIL_BACKEND": BACKENDS["smtp"], "EMAIL_HOST": "127.0.0.1",
                             "EMAIL_PORT": str(sink.port)}  # fmt: skip
            elif backend == "esp":
                email_env = {"EMAIL_BACKEND": BACKENDS["esp"], **ESP_BATCHING}
            else:
                email_env = {"EMAIL_BACKEND": BACKENDS["test"]}
            phase_sink = sink if backend == "smtp" else None
            outbox = run_outbox(event, backend, n, email_env, phase_sink, args.concurrency)
            print(f"[{backend}] outbox: {outbox}")
            bare = run_bare(event, backend, n, phase_sink)
            print(f"[{backend}] bare loop: {bare}")
            rows.append((backend, outbox, bare))
            if args.profile:
                profile_send(event, backend, min(n, 2000), phase_sink)
    finally:
        if sink:
            sink.stop()
    report(n, rows)
    complete = [
        o["received"] == b["received"] == n
        and not o["duplicates"]
        and not o.get("unknown")
        and not b.get("duplicates")
        for _, o, b in rows
    ]
    return 0 if all(complete) else 1


def report(n, rows):
    """The table, the checks and the targets: ≤ 30 s, and ≥ half the bare loop's throughput."""
    print(f"\n{'backend':8} {'enqueue s':>9} {'outbox s':>9} {'outbox/s':>9} {'bare s':>8} "
          f"{'bare/s':>8} {'ratio':>6}  received  dup  ≤30s  ≥0.5x")  # fmt: skip
    for backend, outbox, bare in rows:
        rate, bare_rate = n / outbox["total"], n / bare["seconds"]
        ratio = rate / bare_rate
        print(
            f"{backend:8} {outbox['enqueue']:9.1f} {outbox['total']:9.1f} {rate:9.0f} "
            f"{bare['seconds']:8.1f} {bare_rate:8.0f} {ratio:6.2f}  "
            f"{outbox['received']:8} {outbox['duplicates']:4}  "
            f"{'PASS' if outbox['total'] <= 30 else 'MISS':4}  {'PASS' if ratio >= 0.5 else 'MISS'}"
        )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench/outbox.py: {error}")
