"""Reminders, a time change and the follow-up for N confirmed registrants of one event.

    .venv/bin/python bench/reminders.py [--registrants 10000] [--concurrency N]

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/plenary_bench_reminders;
the database is dropped and re-created, so its name must start with plenary_bench) and Redis
(REDIS_URL, default redis://127.0.0.1:6379/9; that db is flushed). One real Celery worker (a
process per core) sends through anymail's test backend. In one run it measures:

1. the reminder, due at once for everyone: the beat task's run (reminders.send_due, here in this
   process as a worker would run it) until every row is written (target ≤ 10 s), and until the
   worker has handed every one to the mail backend (≤ 30 s from the start);
2. a time change, as the organizer's API request (PATCH /api/v1/events/<slug>/): its answer
   (≤ 1 s, after one warm-up request), against the old way in the same run (one outbox row per
   registrant written inside the request); then the worker's job writing the updates, timed
   without a target (the updates carry a calendar file each, so they go one by one; those still
   unsent then are withdrawn so they do not slow the next phase);
3. the follow-up to the same registrants (half attended): the organizer's request, the job's
   writing (≤ 10 s) and the sending (≤ 30 s from the request).

Each send is also compared with a bare loop that renders and sends the same messages in this
process over one connection, as bench/outbox.py does.
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
    PHASE_LIMIT,
    BenchError,
    deadline_check,
    flush_redis,
    reset_database,
    start_worker,
    stop_worker,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plenary_bench_reminders"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
ZONES = ["", "Europe/Paris", "", "Asia/Tokyo", "", "America/New_York"]
TARGETS = {"write": 10.0, "send": 30.0, "request": 1.0}


def create_registrants(n, slug="bench-briefing"):
    """A hybrid briefing starting in 59 minutes (its one-hour reminder is due) and n confirmed
    registrants who registered yesterday: half online, some with their own time zone."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from events.models import Event, Membership, Organization
    from registration.models import Registration

    organization, _created = Organization.objects.get_or_create(
        name="International Peace Institute", short_name="IPI", kind=Organization.Kind.THINK_TANK
    )
    user, _created = get_user_model().objects.get_or_create(username="organizer")
    Membership.objects.get_or_create(
        user=user, organization=organization, role=Membership.Role.MANAGER
    )
    starts_at = (timezone.now() + timedelta(minutes=59)).replace(microsecond=0)
    event = Event.objects.create(
        organization=organization, slug=slug, title="Peacekeeping in Africa",
        format=Event.Format.HYBRID, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
        timezone="America/New_York", venue_name="ECOSOC Chamber",
        venue_address="United Nations Headquarters, New York", status=Event.Status.PUBLISHED,
        online_join_url="https://zoom.example.org/j/1", reminder_offsets=["PT1H"],
    )  # fmt: skip
    yesterday = timezone.now() - timedelta(days=1)
    Registration.objects.bulk_create(
        (
            Registration(
                event=event, email=f"delegate{i}@mission{i % 193}.{slug}.example",
                first_name=f"Ana {i}", last_name=f"Delegate {i}",
                honorific="H.E. Ms." if i % 3 else "", status=Registration.Status.CONFIRMED,
                attendance_mode="virtual" if i % 2 else "in_person", timezone=ZONES[i % 6],
                language="en", consent_at=yesterday, confirmed_at=yesterday,
            )
            for i in range(n)
        ),
        batch_size=2000,
    )  # fmt: skip
    Registration.objects.filter(event=event).update(created_at=yesterday)
    return event, Token.objects.get_or_create(user=user)[0].key


def warm_up(concurrency):
    """A running worker has loaded its code and compiled its templates: so must ours, before
    anything is timed. A small event's reminders go through it first."""
    from registration import reminders

    registrants = 40 * concurrency
    event, _token = create_registrants(registrants, slug="bench-warm-up")
    reminders.send_due()
    wait_for_sent(event, "reminder", registrants, time.monotonic(), "Warming the worker up")


def wait_for_sent(event, kind, n, started, what):
    """Seconds from `started` until n messages of `kind` about `event` are sent (or failed)."""
    from django.db.models import Count, Q

    from notifications.models import Message

    deadline = started + PHASE_LIMIT
    while True:
        counts = Message.objects.filter(kind=kind, event=event).aggregate(
            sent=Count("id", filter=Q(status=Message.Status.SENT)),
            failed=Count("id", filter=Q(status=Message.Status.FAILED)),
        )
        if counts["sent"] + counts["failed"] >= n:
            return time.monotonic() - started, counts["failed"]
        deadline_check(deadline, what)
        time.sleep(0.2)


def bare_loop(event, kind):
    """Render and send the same messages in this process over one connection: the baseline."""
    from django.core import mail
    from django.core.mail import get_connection

    from notifications import rendering
    from notifications.models import Message

    messages = list(
        Message.objects.filter(kind=kind, event=event)
        .select_related("event__organization")
        .prefetch_related("related_object")
        .order_by("pk")
    )
    mail.outbox = []
    started = time.monotonic()
    with get_connection(EMAIL_BACKEND) as connection:
        for message in messages:
            connection.send_messages([rendering.render(message)])
    seconds = time.monotonic() - started
    mail.outbox = []
    return seconds


def twice_sent(kind, event):
    """Messages claimed more than once (a second send would carry the same Message-ID)."""
    from notifications.models import Message

    return Message.objects.filter(kind=kind, event=event, attempts__gt=1).count()


def run_reminder(event, n):
    from registration import reminders

    started = time.monotonic()
    written = reminders.send_due()  # what beat's task runs, once a minute
    write = time.monotonic() - started
    if written != n:
        raise BenchError(f"The beat task wrote {written} reminders, not {n}.")
    send, failed = wait_for_sent(event, "reminder", n, started, "Sending the reminders")
    twice = twice_sent("reminder", event)
    return {"write": write, "send": send, "failed": failed, "twice": twice}


def run_time_change(event, token, n):
    """The organizer's PATCH, then the old way (rows written in the request) for comparison."""
    from django.db import transaction
    from rest_framework.test import APIClient

    from notifications.models import FanoutJob, Message
    from registration import emails
    from registration.models import Registration

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    url = f"/api/v1/events/{event.slug}/"
    # A running server has loaded its code before the organizer's request: so do we.
    client.patch(url, {"summary": "A briefing for member states."}, format="json")
    new_start = event.starts_at + timedelta(days=7)
    new_times = {"starts_at": new_start, "ends_at": new_start + timedelta(hours=3)}
    started = time.monotonic()
    response = client.patch(url, {k: v.isoformat() for k, v in new_times.items()}, format="json")
    request = time.monotonic() - started
    if response.status_code != 200:
        raise BenchError(f"The time change answered {response.status_code}: {response.content!r}")
    deadline = started + PHASE_LIMIT
    jobs = FanoutJob.objects.filter(name="event_updated", status=FanoutJob.Status.DONE)
    while not jobs.exists():
        deadline_check(deadline, "Writing the time change's messages")
        time.sleep(0.1)
    job = jobs.get()
    written = Message.objects.filter(kind="event_updated", event=event).count()
    if written != n:
        raise BenchError(f"The time change's job wrote {written} messages, not {n}.")
    # Each carries a calendar file of its own, so they go one by one: not timed here, and
    # those not sent yet are withdrawn so that they do not slow the follow-up down.
    Message.objects.filter(kind="event_updated", status=Message.Status.PENDING).update(
        status=Message.Status.CANCELLED
    )
    result = {"request": request, "write": (job.finished_at - job.created_at).total_seconds(),
              "failed": 0, "twice": twice_sent("event_updated", event)}  # fmt: skip

    # The old way: one row per registrant inside the organizer's transaction.
    started = time.monotonic()
    with transaction.atomic():
        for registration in Registration.objects.confirmed().filter(event=event):
            emails.notify(registration, "event_updated", key="bench-old-way")
        old_way = time.monotonic() - started
        transaction.set_rollback(True)  # nothing of it is kept, nor sent
    result["old_way"] = old_way
    if Message.objects.filter(dedupe_key__endswith=":bench-old-way").exists():
        raise BenchError("The old way's rows were kept.")
    return result


def run_followup(event, n):
    from django.utils import timezone

    from events.models import Event, Resource
    from notifications.models import FanoutJob
    from registration import followup
    from registration.models import Registration

    # The event is over (moved without telling anyone), half came, and the video is up.
    ended = timezone.now() - timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(starts_at=ended - timedelta(hours=3), ends_at=ended)
    Registration.objects.filter(event=event, attendance_mode="in_person").update(attended=True)
    Resource.objects.create(event=event, kind=Resource.Kind.RECORDING, title="The video",
                            url="https://webtv.un.org/en/asset/k1x/k1xyz")  # fmt: skip
    Resource.objects.create(event=event, kind=Resource.Kind.REPORT, title="The report",
                            url="https://www.ipinst.org/report")  # fmt: skip
    event.refresh_from_db()
    started = time.monotonic()
    queued = followup.start(event=event)
    request = time.monotonic() - started
    if queued.attended + queued.absent != n:
        raise BenchError(f"The follow-up counted {queued.attended + queued.absent}, not {n}.")
    deadline = started + PHASE_LIMIT
    while not FanoutJob.objects.filter(pk=queued.job.pk, status=FanoutJob.Status.DONE).exists():
        deadline_check(deadline, "Writing the follow-up")
        time.sleep(0.1)
    write = time.monotonic() - started
    sent = {}
    for kind in ("followup_attended", "followup_absent"):
        sent[kind] = wait_for_sent(event, kind, n // 2, started, "Sending the follow-up")
    return {
        "request": request,
        "write": write,
        "send": max(seconds for seconds, _failed in sent.values()),
        "failed": sum(failed for _seconds, failed in sent.values()),
        "twice": twice_sent("followup_attended", event) + twice_sent("followup_absent", event),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrants", type=int, default=10_000)
    parser.add_argument(
        "--concurrency", type=int, default=os.cpu_count(),
        help="the worker's processes (default: one per core, as `celery worker` starts)",
    )  # fmt: skip
    args = parser.parse_args()
    n = args.registrants
    if n % 2:
        raise BenchError("Give an even number of registrants (half of them attend).")

    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["EMAIL_BACKEND"] = EMAIL_BACKEND
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the API request goes through Django's client
    reset_database(database_url)
    flush_redis(redis_url)
    import django
    from django.core.management import call_command

    django.setup()
    from config.celery import app

    call_command("migrate", verbosity=0)
    print(
        f"{n} confirmed registrants, {os.cpu_count()} CPUs, one worker with "
        f"{args.concurrency} process(es), PostgreSQL {database_url}, Redis {redis_url}"
    )
    queue = f"plenary-bench-reminders-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    worker = start_worker(queue, {"EMAIL_BACKEND": EMAIL_BACKEND}, args.concurrency, include=None)
    try:
        warm_up(args.concurrency)
        event, token = create_registrants(n)
        reminder = run_reminder(event, n)
        print(f"[reminder] {reminder}")
        change = run_time_change(event, token, n)
        print(f"[time change] {change}")
        follow = run_followup(event, n)
        print(f"[follow-up] {follow}")
    finally:
        stop_worker(worker)
    reminder["bare"] = bare_loop(event, "reminder")
    follow["bare"] = bare_loop(event, "followup_attended") + bare_loop(event, "followup_absent")
    report(n, reminder, change, follow)
    clean = all(r["failed"] == 0 and r["twice"] == 0 for r in (reminder, change, follow))
    return 0 if clean else 1


def _mark(seconds, target):
    return "PASS" if seconds <= target else "MISS"


def report(n, reminder, change, follow):
    print(f"\n{'phase':12} {'request s':>9} {'write s':>8} {'send s':>8} {'msg/s':>7} "
          f"{'bare s':>7} {'ratio':>6}  failed twice  targets")  # fmt: skip
    for name, row in (("reminder", reminder), ("follow-up", follow)):
        rate, bare_rate = n / row["send"], n / row["bare"]
        request = f"{row['request']:9.3f}" if "request" in row else f"{'—':>9}"
        print(
            f"{name:12} {request} {row['write']:8.1f} {row['send']:8.1f} {rate:7.0f} "
            f"{row['bare']:7.1f} {rate / bare_rate:6.2f}  {row['failed']:6} {row['twice']:5}  "
            f"write ≤{TARGETS['write']:.0f}s {_mark(row['write'], TARGETS['write'])}, "
            f"sent ≤{TARGETS['send']:.0f}s {_mark(row['send'], TARGETS['send'])}"
        )
    print(
        f"{'time change':12} {change['request']:9.3f} {change['write']:8.1f} "
        f"{'—':>8} {'—':>7} {'—':>7} {'—':>6}  "
        f"{change['failed']:6} {change['twice']:5}  answer ≤1s "
        f"{_mark(change['request'], TARGETS['request'])} (old way in the request: "
        f"{change['old_way']:.2f} s, {change['old_way'] / change['request']:.0f} times longer)"
    )
    print("ratio: outbox throughput / bare render-and-send loop throughput, in the same run.")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench/reminders.py: {error}")
