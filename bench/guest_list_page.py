"""The organizer's guest list page with 100 and with 10,000 invitations: queries and latency.

    .venv/bin/python bench/guest_list_page.py [--large 10000] [--gets 30] [--profile]

Runs the page in this process through Django's test Client (a manager logged in, DEBUG off)
against PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
plenary_bench_guest_page_guestlist; dropped and re-created). Invitations are written with
bulk_create in every state the page shows (drafts, sent, delivered, bounced, declined with a
reason, registered, expired, revoked, some to suppressed addresses), with registrations made
with some of them. Reuses bench/registrants_page.py's timing. Targets at the large size: the
same number of queries as with 100 invitations, and p50 ≤ 150 ms.
"""

import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file's folder first on the path would shadow the project's apps with bench scripts.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
from bench.outbox import BenchError  # noqa: E402
from bench.registrants_page import PageBench, measure, run_page_bench  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plenary_bench_guest_page_guestlist"
SMALL = 100
COUNTRIES = ["GH", "FR", "BR", "JP", "KE", "NO", "IN", "MX", "CA", "ID", "DE", "ZA", ""]
# Out of 20, by what happened to them.
OUTCOMES = (
    ["sent"] * 6 + ["delivered"] * 4 + ["registered"] * 3 + ["declined"] * 2
    + ["draft", "bounced", "opened", "expired", "revoked"]
)  # fmt: skip
VARIANTS = [
    ("page 1", {}),
    ("status=sent", {"status": "sent"}),
    ("search", {"q": "mission 7"}),
]


def setup():
    """An invitation-only event and a manager of its organization; returns both."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from events.models import Event, Membership, Organization

    host = Organization.objects.create(name="International Peace Institute", short_name="IPI")
    user = get_user_model().objects.create(username="manager", email="manager@ipi.example")
    Membership.objects.create(user=user, organization=host, role=Membership.Role.MANAGER)
    starts_at = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    event = Event.objects.create(
        organization=host, slug="bench-guest-list", title="Peacekeeping in Africa",
        format=Event.Format.IN_PERSON, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
        timezone="America/New_York", venue_name="ECOSOC Chamber", status=Event.Status.PUBLISHED,
        visibility=Event.Visibility.INVITATION_ONLY, capacity_in_person=20_000,
        seats_per_organization=2,
    )  # fmt: skip
    return event, user


def add_invitations(event, start, stop):
    """Invitations number start..stop-1 in every state, with their registrations."""
    from django.utils import timezone

    from invitations.models import Invitation
    from notifications.models import Suppression
    from registration.models import Registration

    now = timezone.now()
    rows = []
    for i in range(start, stop):
        outcome = OUTCOMES[i % len(OUTCOMES)]
        mission = i % 5 == 0
        rows.append(Invitation(
            event=event, email=f"delegate{i}@mission{i % 193}.example",
            honorific="" if mission else ("H.E. Ms." if i % 3 == 0 else "Mr."),
            first_name="" if mission else f"Ana {i}", last_name="" if mission else "Delegate",
            organization_name=f"Permanent Mission {i % 193}", country=COUNTRIES[i % 13],
            seats=2 if mission else 1, transferable=mission,
            status={"draft": "draft", "declined": "declined", "revoked": "revoked"}.get(
                outcome, "sent"),
            delivery={"delivered": "delivered", "bounced": "bounced", "opened": "opened"}.get(
                outcome, ""),
            decline_reason="Our delegation will be in Geneva." if outcome == "declined" else "",
            expires_at=now - timedelta(days=1) if outcome == "expired" else None,
            times_sent=0 if outcome == "draft" else 1, sent_at=None if outcome == "draft" else now,
        ))  # fmt: skip
    Invitation.objects.bulk_create(rows, batch_size=2000)
    added = Invitation.objects.filter(event=event, email__startswith="delegate").order_by("id")
    registered = [
        Registration(
            event=event,
            email=f"registrant{invitation.pk}@mission.example",
            first_name="Ana",
            last_name="Delegate",
            organization_name=invitation.organization_name,
            attendance_mode="in_person",
            status="confirmed",
            consent_at=now,
            ticket_code=f"G{invitation.pk:011d}",
            invitation_id=invitation.pk,
        )
        for number, invitation in enumerate(added[start:], start=start)
        if OUTCOMES[number % len(OUTCOMES)] == "registered"
    ]
    Registration.objects.bulk_create(registered, batch_size=2000)
    Suppression.objects.bulk_create(
        [
            Suppression(email=f"delegate{i}@mission{i % 193}.example", reason="unsubscribed")
            for i in range(start, stop)
            if i % 97 == 0
        ],
        ignore_conflicts=True,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run_size(client, event, size, gets):
    from django.urls import reverse

    from invitations.models import Invitation

    base = reverse("guests:list", kwargs={"slug": event.slug})
    results = {}
    last = (Invitation.objects.filter(event=event).count() + 49) // 50
    for name, query in [*VARIANTS, (f"last page ({last})", {"page": last})]:
        url = base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        result = results[name.split(" (")[0]] = measure(client, url, gets)
        print(f"{size:>7} {name:18} {result['queries']:7} {result['rows']:5} "
              f"{result['p50']:7.1f} {result['p95']:7.1f} {result['max']:7.1f}")  # fmt: skip
    return results


def profile_page(client, event, gets):
    """cProfile the unfiltered page; EXPLAIN ANALYZE its slowest queries."""
    import cProfile
    import pstats

    from django.db import connection
    from django.urls import reverse

    url = reverse("guests:list", kwargs={"slug": event.slug})
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
    print(f"\nProfile of {gets} GETs of page 1, top 25 by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main():
    return run_page_bench(
        PageBench(
            noun="invitations",
            default_database_url=DEFAULT_DATABASE_URL,
            setup=setup,
            add_rows=add_invitations,
            run_size=run_size,
            profile_page=profile_page,
            variants=VARIANTS,
        )
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench/guest_list_page.py: {error}")
