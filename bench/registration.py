"""Registration throughput and latency under 32 concurrent clients, against four plainer views.

    .venv/bin/python bench/registration.py [--requests 4000] [--clients 32] [--workers N]
                   [--warmup N] [--only cap|open] [--trace MS] [--profile [N]]

Serves the site with gunicorn (sync workers, bench.bench_settings) on 127.0.0.1 and posts from a
separate client process, one target after the other, in one run: the bare view (one INSERT), the
capped bare view (plus lock, check and UPDATE a seat counter), the rule-1 view (exactly the
transaction DESIGN rule 1 requires, in plain SQL), the same transaction behind DRF and the
registration API's serializer ("rule-1 + DRF") and Plenary's registration API, all but the first
with a capacity ("cap") and without ("open"); see bench/bench_urls.py. Needs PostgreSQL
(DATABASE_URL, default postgres://postgres@127.0.0.1:5432/plenary_bench_reg; dropped and
re-created) and Redis (REDIS_URL, default redis://127.0.0.1:6379/11; flushed), where the
emails' Celery tasks are published; no worker runs.
"""

import argparse
import contextlib
import http.client
import itertools
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file's folder first on the path would make "registration" this script, not the app.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
from bench.outbox import BenchError, flush_redis, reset_database  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plenary_bench_reg"
PHASE_LIMIT = 300  # seconds per measured phase; the clients stop sending after it
CAPACITY = 2000
SLUG = "bench-registration"
BARE_PATH = "/bench/bare/"
OPEN_SLUG = "bench-registration-open"
REGISTER_PATH = f"/api/v1/events/{SLUG}/registrations/"
OPEN_REGISTER_PATH = f"/api/v1/events/{OPEN_SLUG}/registrations/"
COUNTRIES = ["GH", "FR", "BR", "JP", "KE", "NO", "IN", "MX", "CA", "ID"]


def payload(prefix, i):
    return {
        "email": f"{prefix}{i}@mission{i % 193}.example", "first_name": "Ana",
        "last_name": f"Delegate {i}", "honorific": "H.E. Ms." if i % 3 else "",
        "position": "Counsellor", "organization_name": f"Permanent Mission {i % 193}",
        "country": COUNTRIES[i % len(COUNTRIES)], "attendance_mode": "in_person",
        "consent": True, "language": "en",
    }  # fmt: skip


def client_thread(port, path, prefix, indices, n, deadline, result):
    """Post until n requests are taken (shared counter) or the deadline passes."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while (i := next(indices)) < n and time.monotonic() < deadline:
        body = json.dumps(payload(prefix, i))
        started = time.perf_counter()
        try:
            # gunicorn's sync workers close every connection; http.client reconnects by itself.
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            result["errors"].append(repr(error))
            conn.close()
            continue
        result["latencies"].append(time.perf_counter() - started)
        if 200 <= response.status < 300:
            result["statuses"][json.loads(data).get("status", "")] += 1
        else:
            result["errors"].append(f"HTTP {response.status}: {data[:200]!r}")
    conn.close()


def run_load(port, path, prefix, n, clients, limit, queue):
    """The client process: `clients` threads; puts latencies, errors and statuses on queue."""
    indices, deadline = itertools.count(), time.monotonic() + limit
    results = [{"latencies": [], "errors": [], "statuses": Counter()} for _ in range(clients)]
    threads = [
        threading.Thread(target=client_thread, args=(port, path, prefix, indices, n, deadline, r))
        for r in results
    ]
    started = time.perf_counter()
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    statuses = sum((r["statuses"] for r in results), Counter())
    queue.put({
        "seconds": time.perf_counter() - started,
        "latencies": sorted(x for r in results for x in r["latencies"]),
        "errors": [e for r in results for e in r["errors"]],
        "statuses": dict(statuses),
    })  # fmt: skip


def load(port, path, prefix, n, clients, limit=PHASE_LIMIT):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=run_load, args=(port, path, prefix, n, clients, limit, queue))
    process.start()
    result = queue.get(timeout=limit + 120)
    process.join(30)
    result["ok"] = sum(result["statuses"].values())
    result["sent"] = result["ok"] + len(result["errors"])
    return result


def percentile(ordered, fraction):
    """Nearest rank, in milliseconds."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))] * 1000


def start_gunicorn(workers):
    """gunicorn on a free loopback port; returns (process, port) once a worker answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.bench_settings", "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1", "CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING"}  # fmt: skip
    log = tempfile.TemporaryFile()  # noqa: SIM115 - gunicorn's output, shown if it fails
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--backlog", "2048",
         "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 240  # five workers importing Django on a busy machine
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", BARE_PATH)  # 405: the app is loaded and answering
            if conn.getresponse().status == 405:
                return server, port
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            stop_gunicorn(server)
            log.seek(0)
            raise BenchError(f"gunicorn did not start:\n{log.read().decode()[-3000:]}")
        time.sleep(0.2)


def worker_cpu_seconds(server):
    """CPU seconds (user + system) used so far by gunicorn's workers; Linux /proc only."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        ticks = sum(
            sum(map(int, Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13]))
            for pid in children
        )
    except OSError:
        return float("nan")
    return ticks / os.sysconf("SC_CLK_TCK")


def stop_gunicorn(server):
    server.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        return server.wait(30)
    server.kill()
    server.wait()


def setup_database():
    from django.utils import timezone

    from bench.bench_urls import create_bare_tables
    from events.models import Event, Organization

    create_bare_tables(CAPACITY)
    organization = Organization.objects.create(
        name="International Peace Institute",
        short_name="IPI",
        kind=Organization.Kind.THINK_TANK,
        is_team=True,
    )
    starts_at = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    for slug, capacity in ((SLUG, CAPACITY), (OPEN_SLUG, None)):
        Event.objects.create(
            organization=organization, slug=slug, title="Peacekeeping in Africa",
            format=Event.Format.IN_PERSON, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3), timezone="America/New_York",
            venue_name="ECOSOC Chamber", venue_address="United Nations Headquarters, New York",
            status=Event.Status.PUBLISHED, published_at=timezone.now(),
            capacity_in_person=capacity, waitlist_enabled=True,
        )  # fmt: skip


def database_counts(redis_url):
    """Per event slug: registrations by status, the seat counter, the outbox rows."""
    import redis

    from notifications.models import Message
    from registration.models import Registration, SeatCounter

    counts = {}
    for slug in (SLUG, OPEN_SLUG):
        registrations = Registration.objects.filter(event__slug=slug)
        seats = SeatCounter.objects.filter(event__slug=slug, key="mode:in_person").first()
        counts[slug] = {
            "statuses": Counter(registrations.values_list("status", flat=True)),
            "seat_counter": seats.taken if seats else 0,
            "messages": Message.objects.filter(event__slug=slug).count(),
        }
    counts["tasks_in_redis"] = redis.Redis.from_url(redis_url).llen("celery")
    return counts


def summary(name, result):
    lat = result["latencies"]
    rate = result["ok"] / result["seconds"]
    cpu = result["cpu"] * 1000 / max(result["sent"], 1)
    slow = sum(1 for x in lat if x >= 1)
    print(f"{name:20} {result['ok']:6} {result['seconds']:7.1f} {rate:8.1f} "
          f"{percentile(lat, .5):7.1f} {percentile(lat, .95):7.1f} {percentile(lat, .99):7.1f} "
          f"{(lat[-1] if lat else 0) * 1000:8.0f} {slow:5} {len(result['errors']):6} "
          f"{cpu:8.2f}")  # fmt: skip
    for error, times in Counter(result["errors"]).most_common(3):
        print(f"    {times} times: {error}")
    return rate


# (name, path, which event's or counter's limit: "cap" with CAPACITY seats, "open" none)
TARGETS = [
    ("bare view", BARE_PATH, None),
    ("capped bare, cap", "/bench/capped/cap/", "cap"),
    ("rule-1 view, cap", "/bench/rule1/cap/", "cap"),
    ("rule-1 + DRF, cap", "/bench/rule1-api/cap/", "cap"),
    ("registration, cap", REGISTER_PATH, "cap"),
    ("capped bare, open", "/bench/capped/open/", "open"),
    ("rule-1 view, open", "/bench/rule1/open/", "open"),
    ("rule-1 + DRF, open", "/bench/rule1-api/open/", "open"),
    ("registration, open", OPEN_REGISTER_PATH, "open"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=4000, help="per target, after warm-up")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--warmup", type=int, default=None, help="requests; default 10/client")
    parser.add_argument("--only", choices=["cap", "open"], help="only the targets of one limit")
    parser.add_argument(
        "--trace",
        type=int,
        metavar="MS",
        default=0,
        help="log server-side timings of requests slower than MS",
    )
    parser.add_argument("--profile", type=int, nargs="?", const=300, default=0,
                        help="also time, then profile, N registrations in-process")  # fmt: skip
    args = parser.parse_args()
    warmup = args.clients * 10 if args.warmup is None else args.warmup

    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/11")
    for name in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "CELERY_TASK_DEFAULT_QUEUE"):
        os.environ.pop(name, None)
    os.environ.update(DJANGO_SETTINGS_MODULE="bench.bench_settings", DEBUG="false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    trace_file = None
    if args.trace:
        trace_file = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False)  # noqa: SIM115
        os.environ.update(BENCH_TRACE_MS=str(args.trace), BENCH_TRACE_FILE=trace_file.name)
    reset_database(database_url)
    flush_redis(redis_url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    setup_database()
    print(f"{args.requests} requests per target after {warmup} warm-up, {args.clients} clients, "
          f"gunicorn {args.workers} sync workers, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, PostgreSQL {database_url}, Redis "
          f"{redis_url}, capacity {CAPACITY} ('cap') or none ('open')")  # fmt: skip

    targets = [t for t in TARGETS if t[2] in (None, args.only)] if args.only else TARGETS
    server, port = start_gunicorn(args.workers)
    try:
        results = {}
        for name, path, _limit in targets:
            prefix = name.replace(" ", "").replace(",", "-")
            warm = load(port, path, f"warm-{prefix}-", warmup, args.clients)
            cpu = worker_cpu_seconds(server)
            measured = load(port, path, f"{prefix}-", args.requests, args.clients)
            measured["cpu"] = worker_cpu_seconds(server) - cpu
            results[name] = (warm, measured)
    finally:
        stop_gunicorn(server)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    passed = report(results, database_counts(redis_url), args.requests, targets)
    if trace_file:
        print_trace(trace_file.name)
    if args.profile:
        profile_register(args.profile)
    return 0 if passed else 1


def report(results, counts, requests, targets):
    """The table, the registration checks, and PASS/MISS for each target, per limit."""
    print(f"\n{'target':20} {'ok':>6} {'seconds':>7} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>8} {'>=1s':>5} {'errors':>6} {'CPU ms/req':>8}")  # fmt: skip
    rates = {name: summary(name, results[name][1]) for name, _path, _limit in targets}
    errors = sum(len(r["errors"]) for pair in results.values() for r in pair)
    complete = all(pair[1]["sent"] == requests for pair in results.values())
    print(f"Celery tasks left in Redis (no worker runs): {counts['tasks_in_redis']}")
    passed = True
    for limit, slug in (("cap", SLUG), ("open", OPEN_SLUG)):
        if f"registration, {limit}" not in results:
            continue
        warm, measured = results[f"registration, {limit}"]
        event = counts[slug]
        ok = warm["ok"] + measured["ok"]
        statuses = event["statuses"]
        confirmed, waitlisted = statuses.get("confirmed", 0), statuses.get("waitlisted", 0)
        capacity = CAPACITY if limit == "cap" else None
        oversold = max(0, confirmed - capacity) if capacity else 0
        rate = rates[f"registration, {limit}"]
        rule1, capped = rates[f"rule-1 view, {limit}"], rates[f"capped bare, {limit}"]
        p99 = percentile(measured["latencies"], 0.99)
        if f"rule-1 + DRF, {limit}" in rates:
            drf = rates[f"rule-1 + DRF, {limit}"]
            print(f"\n{limit}: rule-1 + DRF = {drf / rule1:.2f} x rule-1 view; registration = "
                  f"{rate / drf:.2f} x rule-1 + DRF")  # fmt: skip
        print(f"\n{limit}: {ok} answered 201 (warm-up + measured), answers said "
              f"{dict(Counter(warm['statuses']) + Counter(measured['statuses']))}; in the database"
              f" {dict(statuses)}; seat counter {event['seat_counter']}; email rows "
              f"{event['messages']}")  # fmt: skip
        checks = [
            (f"registration >= 0.6 x rule-1 view ({rate / rule1:.2f} x)", rate >= 0.6 * rule1),
            (f"registration >= 0.5 x capped bare ({rate / capped:.2f} x)", rate >= 0.5 * capped),
            (f"p99 <= 250 ms ({p99:.0f} ms)", p99 <= 250),
            (f"0 errors in the run ({errors}), every request sent ({complete})",
             errors == 0 and complete),
            (f"0 oversold ({oversold}), confirmed + waitlisted ({confirmed + waitlisted}) == 201s"
             f" ({ok}), seat counter == confirmed",
             oversold == 0 and confirmed + waitlisted == ok
             and confirmed == event["seat_counter"] and event["messages"] == ok),
        ]  # fmt: skip
        for label, ok_check in checks:
            print(f"{'PASS' if ok_check else 'MISS'}  {limit}: {label}")
        passed = passed and all(ok_check for _label, ok_check in checks)
    return passed


def print_trace(path):
    """The server side of the slowest requests, per path (see bench/trace.py)."""
    lines = [json.loads(line) for line in Path(path).read_text().splitlines()]
    Path(path).unlink()
    print(f"\nServer-side traces of {len(lines)} slow requests; the 8 slowest:")
    for line in sorted(lines, key=lambda line: -line["total_ms"])[:8]:
        print("   ", json.dumps(line))


def profile_register(n):
    """cProfile n registrations through the API view in this process, one at a time."""
    import cProfile
    import pstats
    import uuid

    from django.test import Client, override_settings

    from events.models import Event

    event = Event.objects.get(slug=SLUG)
    event.pk, event.slug, event.uid = None, SLUG + "-profile", uuid.uuid4()
    event.capacity_in_person = 2 * n + 100  # every one confirmed: the common path
    event.save()
    path, client = REGISTER_PATH.replace(SLUG, event.slug), Client()

    def post(prefix, count, target=path):
        for i in range(count):
            body = json.dumps(payload(prefix, i))
            response = client.post(target, body, content_type="application/json")
            assert response.status_code == 201, response.content

    def timed(prefix, target):
        post(f"{prefix}warm-", 20, target)
        started, cpu = time.perf_counter(), time.process_time()
        post(prefix, n, target)
        return (time.perf_counter() - started) / n * 1000, (time.process_time() - cpu) / n * 1000

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        # The same client, one request at a time: CPU with no other process competing.
        baselines = {
            name: timed(f"profile-{name.replace(' ', '')}-", target)
            for name, target in (
                ("bare view", BARE_PATH),
                ("rule-1 view", "/bench/rule1/open/"),
                ("rule-1 + DRF", "/bench/rule1-api/open/"),
            )
        }
        per_request, cpu_per_request = timed("profile-timed-", path)
        profiler = cProfile.Profile()
        profiler.runcall(post, "profile-", n)
        # The measured run filled the benchmark's own event: one more there is waitlisted.
        counts = [count_queries(client, target) for target in (path, REGISTER_PATH)]
    print(f"\nOne client in this process, {n} requests each without the profiler "
          "(CPU includes the test client's):")  # fmt: skip
    for name, (wall, cpu) in [*baselines.items(), ("registration", (per_request, cpu_per_request))]:
        print(f"    {name:14} {wall:6.2f} ms each, {cpu:5.2f} ms of CPU")
    print("Queries per registration:", ", ".join(f"{number} {status}" for status, number in counts))
    print(f"Profile of {n} registrations through the API, top 30 by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def count_queries(client, path):
    """(status, number of queries) of one more registration posted to path."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # the request's start clears it too: count from zero
    with CaptureQueriesContext(connection) as queries:
        body = json.dumps(payload("profile-count-", 0))
        response = client.post(path, body, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["status"], len(queries)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench/registration.py: {error}")
