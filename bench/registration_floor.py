"""The client CPU a registration cannot avoid, beside the bare view's one INSERT, without Django.

    .venv/bin/python bench/registration_floor.py [--repeat 2000]

bench/registration.py compares a registration with a view that INSERTs one row. DESIGN asks a
registration to do more in any implementation: in one transaction take a seat with a
conditional UPDATE, insert the registration and its outbox row, then publish the message id
to Celery once it commits. This times that work with psycopg and Celery alone (no ORM, no DRF,
no validation) on throwaway tables, against the one INSERT, in the same run, and prints the
ratio. Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
plenary_bench_floor; dropped and re-created) and Redis (REDIS_URL, default
redis://127.0.0.1:6379/10; flushed).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
from bench.outbox import BenchError, flush_redis, reset_database  # noqa: E402

TABLES = [
    "CREATE TABLE floor_bare (id bigserial PRIMARY KEY, email text UNIQUE, body text)",
    "CREATE TABLE floor_seat (key text PRIMARY KEY, taken int NOT NULL, seat_limit int)",
    "CREATE TABLE floor_registration (id bigserial PRIMARY KEY, email text UNIQUE, body text)",
    "CREATE TABLE floor_message (id bigserial PRIMARY KEY, dedupe_key text UNIQUE, body text)",
    "INSERT INTO floor_seat VALUES ('mode:in_person', 0, NULL)",
]


def timed(repeat, step):
    """CPU and wall milliseconds per call of step(i), after one warm-up call."""
    step(-1)
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(repeat):
        step(i)
    return (
        (time.process_time() - cpu) / repeat * 1000,
        (time.perf_counter() - wall) / repeat * 1000,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    database_url = os.environ.setdefault(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/plenary_bench_floor"
    )
    redis_url = os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    reset_database(database_url)
    flush_redis(redis_url)
    import django

    django.setup()
    from django.db import connection, transaction

    from notifications.tasks import send_messages

    with connection.cursor() as cursor:
        for statement in TABLES:
            cursor.execute(statement)

    def bare_insert(i):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO floor_bare (email, body) VALUES (%s, %s)", [f"bare{i}@x.example", "x"]
            )

    def registration_statements(i):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE floor_seat SET taken = taken + 1 WHERE key = %s", ["mode:in_person"]
            )
            cursor.execute(
                "INSERT INTO floor_registration (email, body) VALUES (%s, %s) RETURNING id",
                [f"delegate{i}@x.example", "x"],
            )
            cursor.execute(
                "INSERT INTO floor_message (dedupe_key, body) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING RETURNING id",
                [f"registration_confirmed:{i}", "x"],
            )

    def publish(i):
        send_messages.apply_async(([i],), retry=False)

    print(f"{args.repeat} calls each, PostgreSQL {database_url}, Redis {redis_url}\n")
    bare_cpu, bare_wall = timed(args.repeat, bare_insert)
    rows = [
        ("bare view's work: one INSERT (autocommit)", bare_cpu, bare_wall),
        (
            "seat UPDATE + 2 INSERTs in one transaction",
            *timed(args.repeat, registration_statements),
        ),
        ("Celery publish of the message id", *timed(args.repeat, publish)),
    ]
    print(f"{'work':45} {'CPU ms':>7} {'wall ms':>8} {'CPU / bare':>11}")
    for label, cpu, wall in rows:
        print(f"{label:45} {cpu:7.3f} {wall:8.3f} {cpu / bare_cpu:10.1f}x")
    floor = rows[1][1] + rows[2][1]
    print(
        f"\nA registration's unavoidable client CPU: {floor:.3f} ms = {floor / bare_cpu:.1f}x the "
        "bare INSERT's, before validation, the ORM, the HTTP request or the response."
    )
    flush_redis(redis_url)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench/registration_floor.py: {error}")
