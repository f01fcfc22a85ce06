"""The organizer's registrants page with 100 and with 10,000 registrations: queries and latency.

    .venv/bin/python bench/registrants_page.py [--large 10000] [--gets 30] [--profile]

Runs the page in this process through Django's test Client (a manager logged in, DEBUG off)
against PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/plenary_bench_page;
dropped and re-created). Registrations are written with bulk_create, not the service. Targets at
the large size: the same number of queries as with 100 registrations, and p50 ≤ 150 ms.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file's folder first on the path would shadow the project's apps with bench scripts.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
from bench.outbox import BenchError, reset_database  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plenary_bench_page"
SMALL = 100
WARMUPS = 3
COUNTRIES = ["GH", "FR", "BR", "JP", "KE", "NO", "IN", "MX", "CA", "ID", "DE", "ZA", ""]
# Out of 20: 12 confirmed, 4 waitlisted, 2 pending, 1 cancelled, 1 declined.
STATUSES = ["confirmed"] * 12 + ["waitlisted"] * 4 + ["pending"] * 2 + ["cancelled", "declined"]
VARIANTS = [("page 1", {}), ("status=confirmed", {"status": "confirmed"})]


def setup():
    """A hybrid event with two sessions and a manager of its organization; returns both."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from events.models import Event, Membership, Organization, Session

    host = Organization.objects.create(
        name="International Peace Institute", short_name="IPI", is_team=True
    )
    user = get_user_model().objects.create(username="manager", email="manager@ipi.example")
    Membership.objects.create(user=user, organization=host, role=Membership.Role.MANAGER)
    starts_at = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    event = Event.objects.create(
        organization=host, slug="bench-registrants", title="Peacekeeping in Africa",
        format=Event.Format.HYBRID, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
        timezone="America/New_York", venue_name="ECOSOC Chamber",
        online_join_url="https://zoom.example.org/j/1", status=Event.Status.PUBLISHED,
        capacity_in_person=6000, capacity_virtual=None,
    )  # fmt: skip
    for number in (1, 2):
        Session.objects.create(
            event=event, title=f"Working lunch {number}", capacity=3000,
            starts_at=starts_at + timedelta(hours=number),
            ends_at=starts_at + timedelta(hours=number + 1),
        )  # fmt: skip
    return event, user


def add_registrations(event, start, stop):
    """Registrations number start..stop-1: mixed statuses, modes, organizations, countries."""
    from django.db import connection
    from django.utils import timezone

    from events.models import Organization
    from registration import capacity
    from registration.models import Registration, SeatCounter

    missions = list(Organization.objects.filter(kind=Organization.Kind.MEMBER_STATE)) or [
        Organization.objects.create(name=f"Permanent Mission {n}", kind="member_state")
        for n in range(20)
    ]
    now, rows = timezone.now(), []
    for i in range(start, stop):
        mission = missions[i % len(missions)] if i % 4 == 0 else None
        rows.append(Registration(
            event=event, email=f"delegate{i}@mission{i % 193}.example", first_name=f"Ana {i}",
            last_name="Delegate", honorific="H.E. Ms." if i % 3 == 0 else "",
            position="Counsellor" if i % 2 else "", organization=mission,
            organization_name="" if mission else f"Think Tank {i % 97}",
            country=COUNTRIES[i % len(COUNTRIES)],
            attendance_mode="in_person" if i % 3 else "virtual", status=STATUSES[i % 20],
            consent_at=now, ticket_code=f"B{i:011d}",
            confirmed_at=now if STATUSES[i % 20] == "confirmed" else None,
        ))  # fmt: skip
        rows[-1].organization_key = capacity.organization_key(rows[-1])
    Registration.objects.bulk_create(rows, batch_size=2000)
    added = Registration.objects.filter(event=event, email__startswith="delegate").order_by("id")
    sessions = list(event.sessions.all())
    links = [
        Registration.sessions.through(registration_id=pk, session_id=sessions[pk % 2].pk)
        for pk in added.values_list("id", flat=True)[start:]
        if pk % 3 == 0
    ]
    Registration.sessions.through.objects.bulk_create(links, batch_size=5000)
    for key, mode in (("mode:in_person", "in_person"), ("mode:virtual", "virtual")):
        taken = added.filter(status="confirmed", attendance_mode=mode).count()
        SeatCounter.objects.update_or_create(event=event, key=key, defaults={"taken": taken})
    with connection.cursor() as cursor:  # one a minute, in id order, ending now
        cursor.execute(
            "UPDATE registration_registration SET created_at = now() - interval '1 minute'"
            " * ((SELECT max(id) FROM registration_registration) - id) WHERE event_id = %s",
            [event.pk],
        )
        cursor.execute("ANALYZE")


def measure(client, url, gets):
    """Query count of one GET (with its queries), then p50/p95 ms of `gets` timed GETs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUPS):
        response = client.get(url)
        if response.status_code != 200:
            raise BenchError(f"GET {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as capture:
        response = client.get(url)
    queries = capture.captured_queries  # now: the next request empties the log it reads
    rows = response.content.count(b'class="registrant-row ')
    times = []
    for _ in range(gets):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times = sorted(times) or [float("nan")]
    p95 = times[max(0, min(len(times) - 1, round(0.95 * len(times)) - 1))]
    return {
        "queries": len(queries), "sql": queries, "rows": rows,
        "p50": statistics.median(times), "p95": p95, "max": times[-1],
    }  # fmt: skip


def run_size(client, event, size, gets):
    from django.urls import reverse

    from registration.models import Registration

    base = reverse("registrants:list", kwargs={"slug": event.slug})
    results = {}
    last = (Registration.objects.filter(event=event).count() + 49) // 50
    for name, query in [*VARIANTS, (f"last page ({last})", {"page": last})]:
        url = base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        result = results[name.split(" (")[0]] = measure(client, url, gets)
        print(f"{size:>7} {name:18} {result['queries']:7} {result['rows']:5} "
              f"{result['p50']:7.1f} {result['p95']:7.1f} {result['max']:7.1f}")  # fmt: skip
    return results


def profile_page(client, event, gets):
    """cProfile the unfiltered page; EXPLAIN ANALYZE its slowest query."""
    import cProfile
    import pstats

    from django.db import connection
    from django.urls import reverse

    url = reverse("registrants:list", kwargs={"slug": event.slug})
    queries = measure(client, url, 0)["sql"]
    print(f"\nThe {len(queries)} queries of page 1 (seconds, first 150 characters):")
    for query in queries:
        print(f"  {query['time']}  {query['sql'][:150]}")
    for query in sorted(queries, key=lambda q: -float(q["time"]))[:2]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + query["sql"])
            plan = "\n  ".join(line for (line,) in cursor.fetchall())
        print(f"\nEXPLAIN ANALYZE {query['sql'][:300]}\n  {plan}")
    profiler = cProfile.Profile()
    for _ in range(gets):
        profiler.runcall(client.get, url)
    for order, count in (("cumulative", 25), ("tottime", 15)):
        print(f"\nProfile of {gets} GETs of page 1, top {count} by {order} time:")
        pstats.Stats(profiler).sort_stats(order).print_stats(count)


@dataclass(frozen=True)
class PageBench:
    """One organizer list page to time at two sizes: how to fill it and how to GET it."""

    noun: str  # "registrations", "invitations"
    default_database_url: str
    setup: Callable  # () -> (event, user)
    add_rows: Callable  # (event, start, stop)
    run_size: Callable  # (client, event, size, gets) -> {variant: {"queries", "p50", ...}}
    profile_page: Callable  # (client, event, gets)
    variants: list


def run_page_bench(bench: PageBench):
    """Time the page at SMALL and at --large rows; PASS/MISS for the same query count at both
    and p50 ≤ 150 ms at the large size, for every variant."""
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__.split("\n")[0])
    parser.add_argument("--large", type=int, default=10_000, help=f"{bench.noun}, second size")
    parser.add_argument("--gets", type=int, default=30, help="timed GETs per variant")
    parser.add_argument("--profile", action="store_true", help="cProfile and EXPLAIN at --large")
    args = parser.parse_args()

    database_url = os.environ.setdefault("DATABASE_URL", bench.default_database_url)
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    reset_database(database_url)
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if settings.DEBUG:
        raise BenchError("DEBUG is on; timings would include query logging.")
    call_command("migrate", verbosity=0)
    event, user = bench.setup()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    print(f"PostgreSQL {database_url}, DEBUG={settings.DEBUG}, {WARMUPS} warm-up GETs, "
          f"{args.gets} timed GETs per row, 50 {bench.noun} per page\n")  # fmt: skip
    print(f"{'size':>7} {'variant':18} {'queries':>7} {'rows':>5} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'max ms':>7}")  # fmt: skip
    started = time.perf_counter()
    bench.add_rows(event, 0, SMALL)
    small = bench.run_size(client, event, SMALL, args.gets)
    bench.add_rows(event, SMALL, args.large)
    print(f"{'':7} (added {args.large - SMALL} {bench.noun} in "
          f"{time.perf_counter() - started:.1f} s with bulk_create)")  # fmt: skip
    large = bench.run_size(client, event, args.large, args.gets)

    print()
    checks = []
    for name, _query in bench.variants:
        same = small[name]["queries"] == large[name]["queries"]
        checks.append((f"{name}: same query count at {SMALL} and {args.large} "
                       f"({small[name]['queries']} / {large[name]['queries']})", same))  # fmt: skip
        fast = large[name]["p50"] <= 150
        checks.append((f"{name}: p50 ≤ 150 ms at {args.large} ({large[name]['p50']:.1f} ms)", fast))
    for label, passed in checks:
        print(f"{'PASS' if passed else 'MISS'}  {label}")
    if args.profile:
        bench.profile_page(client, event, 10)
    return 0 if all(passed for _, passed in checks) else 1


def main():
    return run_page_bench(
        PageBench(
            noun="registrations",
            default_database_url=DEFAULT_DATABASE_URL,
            setup=setup,
            add_rows=add_registrations,
            run_size=run_size,
            profile_page=profile_page,
            variants=VARIANTS,
        )
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench/registrants_page.py: {error}")
