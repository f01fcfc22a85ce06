"""10,000 invitations from the organizer's "send" until every one is handed to the mail backend.

    .venv/bin/python bench/invitations_send.py [--invitations 10000] [--backend test|esp|all]
                                               [--concurrency N]

The organizer's send (invitations.services.send_invitations, as the workspace button and
`POST /api/v1/events/{slug}/invitations/send/` call it) answers at once and hands the fan-out to a
Celery job; one real Celery worker writes the outbox rows in chunks and sends them with the real
`invitation` kind (honorific greeting, the event's facts, each invitee's own links). Timed from
the call until every row is `sent`, through anymail's test backend and through the test backend
standing in for an ESP with a batch API (Mailgun's merge fields, 100 recipients a call). In the
same run a bare loop renders and sends the same messages in this process over one connection.

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
plenary_bench_send_guestlist; dropped and re-created) and Redis (REDIS_URL, default
redis://127.0.0.1:6379/13; flushed). Reuses bench/outbox.py's database, Redis and worker helpers.
Targets: ≤ 30 s, and at least half the bare loop's throughput.
"""

import argparse
import os
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file's folder first on the path would shadow the project's apps with bench scripts.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
from bench.outbox import (  # noqa: E402
    BACKENDS,
    ESP_BATCHING,
    PHASE_LIMIT,
    BenchError,
    deadline_check,
    flush_redis,
    reset_database,
    start_worker,
    stop_worker,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plenary_bench_send_guestlist"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
HONORIFICS = ["H.E. Ms.", "H.E. Mr.", "Mr.", "Ms.", "Dr.", ""]


def create_event(backend):
    """A published invitation-only conference with co-hosts, as the seeds have them."""
    from django.utils import timezone

    from events.models import Event, EventHost, Organization

    host = Organization.objects.create(
        name="International Peace Institute", short_name="IPI", kind="think_tank"
    )
    starts_at = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    event = Event.objects.create(
        organization=host, slug=f"bench-invitations-{backend}",
        title="Peacekeeping in Africa: Fostering Partnership and Synergies",
        summary="A half-day conference in the ECOSOC Chamber, followed by a working lunch.",
        format=Event.Format.IN_PERSON, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
        timezone="America/New_York", venue_name="ECOSOC Chamber",
        venue_address="United Nations Headquarters, New York", status=Event.Status.PUBLISHED,
        visibility=Event.Visibility.INVITATION_ONLY, contact_email="events@ipinst.example",
    )  # fmt: skip
    EventHost.objects.create(event=event, organization=host, role="organizer", order=0)
    for order, name in enumerate(["Permanent Mission of Ghana", "Permanent Mission of Norway"]):
        co_host = Organization.objects.create(name=name, kind="member_state")
        EventHost.objects.create(event=event, organization=co_host, role="co_host", order=order + 1)
    return event


def invite(event, n):
    """n draft invitations through the service, as an organizer's list would make them."""
    from events.audit import Actor
    from invitations import services

    invitees = [
        services.Invitee(
            email=f"delegate{i}@mission{i % 193}.example",
            honorific=HONORIFICS[i % len(HONORIFICS)],
            first_name=f"Ana {i}",
            last_name=f"Delegate {i}",
            organization_name=f"Permanent Mission {i % 193}",
        )
        for i in range(n)
    ]
    started = time.monotonic()
    services.invite(actor=Actor.system("benchmark"), event=event, invitees=invitees)
    return time.monotonic() - started


def run_send(event, backend, n, email_env, concurrency):
    """The organizer's send while a ready worker runs; time until every row is sent."""
    from django.db.models import Count, Q

    from config.celery import app
    from events.audit import Actor
    from invitations import services
    from notifications.models import Message

    queue = f"plenary-bench-invitations-{backend}-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    worker = start_worker(queue, email_env, concurrency, include=None)
    rows = Message.objects.filter(event=event, kind="invitation")
    try:
        deadline = time.monotonic() + PHASE_LIMIT
        started = time.monotonic()
        queued = services.send_invitations(
            actor=Actor.system("benchmark"), event=event, all_drafts=True
        )
        answered = time.monotonic() - started
        if queued != n:
            raise BenchError(f"The send queued {queued} invitations, not {n}.")
        while True:
            counts = rows.aggregate(
                sent=Count("id", filter=Q(status=Message.Status.SENT)),
                failed=Count("id", filter=Q(status=Message.Status.FAILED)),
            )
            if counts["sent"] + counts["failed"] >= n:
                break
            deadline_check(deadline, "Sending the invitations")
            time.sleep(0.25)
        total = time.monotonic() - started
    finally:
        stop_worker(worker)
    return {
        "answered": answered,
        "total": total,
        "sent": counts["sent"],
        "failed": counts["failed"],
        "twice": rows.exclude(attempts=1).count(),
        "not_sent": event.invitations.exclude(status="sent").count(),
    }


def run_bare(event, backend, n, email_env):
    """Render and send the same rows in this process over one connection, no outbox."""
    from django.core import mail
    from django.core.mail import get_connection
    from django.test import override_settings

    from notifications import rendering
    from notifications.models import Message

    messages = list(
        Message.objects.filter(event=event, kind="invitation").select_related("event__organization")
    )
    mail.outbox = []
    deadline = time.monotonic() + PHASE_LIMIT
    settings = {"EMAIL_BACKEND": BACKENDS[backend]}
    with override_settings(**settings):
        started = time.monotonic()
        with get_connection() as connection:
            for number, message in enumerate(messages):
                connection.send_messages([rendering.render(message)])
                if number % 500 == 0:
                    deadline_check(deadline, "The bare loop")
        seconds = time.monotonic() - started
    received = len(mail.outbox)
    mail.outbox = []
    return {"seconds": seconds, "received": received}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invitations", type=int, default=10_000)
    parser.add_argument("--backend", choices=["test", "esp", "all"], default="all")
    parser.add_argument(
        "--concurrency", type=int, default=os.cpu_count(),
        help="the worker's processes (default: one per core, as `celery worker` starts)",
    )  # fmt: skip
    args = parser.parse_args()
    n = args.invitations
    backends = ["test", "esp"] if args.backend == "all" else [args.backend]

    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    reset_database(database_url)
    flush_redis(redis_url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    print(
        f"{n} invitations, {os.cpu_count()} CPUs, one worker with {args.concurrency} "
        f"process(es), PostgreSQL {database_url}, Redis {redis_url}"
    )
    rows = []
    for backend in backends:
        email_env = {"EMAIL_BACKEND": BACKENDS[backend]}
        if backend == "esp":
            email_env |= ESP_BATCHING
        event = create_event(backend)
        invited = invite(event, n)
        print(f"[{backend}] invited {n} as drafts in {invited:.1f} s (set-up, not timed)")
        send = run_send(event, backend, n, email_env, args.concurrency)
        print(f"[{backend}] send: {send}")
        bare = run_bare(event, backend, n, email_env)
        print(f"[{backend}] bare loop: {bare}")
        rows.append((backend, send, bare))
    report(n, rows)
    complete = [
        send["sent"] == bare["received"] == n and not send["twice"] and not send["not_sent"]
        for _backend, send, bare in rows
    ]
    return 0 if all(complete) else 1


def report(n, rows):
    print(f"\n{'backend':8} {'answer s':>8} {'send s':>7} {'sent/s':>7} {'bare s':>7} "
          f"{'bare/s':>7} {'ratio':>6}  sent  failed  twice  ≤30s  ≥0.5x")  # fmt: skip
    for backend, send, bare in rows:
        rate, bare_rate = n / send["total"], n / bare["seconds"]
        ratio = rate / bare_rate
        print(
            f"{backend:8} {send['answered']:8.2f} {send['total']:7.1f} {rate:7.0f} "
            f"{bare['seconds']:7.1f} {bare_rate:7.0f} {ratio:6.2f}  {send['sent']:4} "
            f"{send['failed']:6} {send['twice']:6}  "
            f"{'PASS' if send['total'] <= 30 else 'MISS':4}  {'PASS' if ratio >= 0.5 else 'MISS'}"
        )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench/invitations_send.py: {error}")
