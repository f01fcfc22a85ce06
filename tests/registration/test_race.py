"""Capacity under real concurrency: 50 threads, each with its own PostgreSQL connection."""

import threading
import time

import pytest
from django.db import connection, transaction

from events.audit import Actor
from registration import locking, services
from registration.models import Registration, SeatCounter
from tests.factories import EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SEATS = 10
CLIENTS = 50


def _until_not_busy(action):
    """Run action, again after a pause while it answers busy, as a client honouring
    Retry-After does (the lock timeout can run out on a loaded machine)."""
    while True:
        try:
            return action()
        except locking.Busy:
            time.sleep(0.05)


def _register_all_at_once(event, per_client=lambda number: {}, **fields):
    """CLIENTS registrations at once, each in its own thread; `per_client(number)` adds fields."""
    start = threading.Barrier(CLIENTS)
    errors = []

    def client(number):
        try:
            start.wait()
            _until_not_busy(lambda: services.register(actor=Actor.system("test"),
                event=event, email=f"delegate{number}@mission.example", first_name="Delegate",
                last_name=str(number), consent=True, **fields | per_client(number),
            ))  # fmt: skip
        except services.RegistrationRefused:
            pass
        except Exception as error:  # surfaced below: a deadlock or constraint error fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(number,)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_without_seat_locking_concurrent_registrations_oversell(organization, settings):
    """The control run: the read-then-write check that locking replaces lets the race through."""
    settings.REGISTRATION_SEAT_LOCKING = False
    event = EventFactory(organization=organization, capacity_in_person=SEATS, waitlist_enabled=True)

    _register_all_at_once(event)

    assert Registration.objects.confirmed().filter(event=event).count() > SEATS


def test_fifty_concurrent_registrations_for_ten_seats_confirm_exactly_ten(organization):
    event = EventFactory(organization=organization, capacity_in_person=SEATS, waitlist_enabled=True)

    errors = _register_all_at_once(event)

    assert errors == []
    assert Registration.objects.confirmed().filter(event=event).count() == SEATS
    assert Registration.objects.waitlisted().filter(event=event).count() == CLIENTS - SEATS
    assert SeatCounter.objects.get(event=event, key="mode:in_person").taken == SEATS


def test_concurrent_delegation_never_exceeds_its_seats(organization):
    event = EventFactory(
        organization=organization, capacity_in_person=100, seats_per_organization=3
    )

    errors = _register_all_at_once(event, organization_name="Permanent Mission of Ghana")

    assert errors == []
    assert Registration.objects.confirmed().filter(event=event).count() == 3


def test_concurrent_cancellations_promote_each_freed_seat_once(organization):
    event = EventFactory(organization=organization, capacity_in_person=SEATS, waitlist_enabled=True)
    _register_all_at_once(event)
    confirmed = list(Registration.objects.confirmed().filter(event=event))
    start = threading.Barrier(len(confirmed))

    def cancel(registration):
        start.wait()
        try:
            _until_not_busy(
                lambda: services.cancel(actor=Actor.system("test"), registration=registration)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in confirmed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Registration.objects.confirmed().filter(event=event).count() == SEATS
    assert Registration.objects.waitlisted().filter(event=event).count() == CLIENTS - 2 * SEATS


def test_concurrent_cancellations_and_registrations_keep_every_counter_true(organization):
    """Cancelling and registering at once touch the same counters; neither deadlocks nor drifts."""
    event = EventFactory(
        organization=organization, capacity_in_person=SEATS, seats_per_organization=50
    )
    mission = {"organization_name": "Permanent Mission of Ghana"}
    for number in range(SEATS):
        services.register(actor=Actor.system("test"), event=event, email=f"first{number}@mission.example", first_name="First",
                          last_name=str(number), consent=True, **mission)  # fmt: skip
    leaving = list(Registration.objects.confirmed().filter(event=event))
    start = threading.Barrier(len(leaving) + 20)
    errors = []

    def run(action):
        try:
            start.wait()
            _until_not_busy(action)
        except services.RegistrationRefused:
            pass
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    actions = [
        lambda r=r: services.cancel(actor=Actor.system("test"), registration=r) for r in leaving
    ] + [
        lambda n=n: services.register(
            actor=Actor.system("test"),
            event=event,
            email=f"new{n}@mission.example",
            first_name="New",
            last_name=str(n),
            consent=True,
            **mission,
        )
        for n in range(20)
    ]
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    confirmed = Registration.objects.confirmed().filter(event=event).count()
    counters = dict(SeatCounter.objects.filter(event=event).values_list("key", "taken"))
    assert errors == []
    assert confirmed == SEATS
    assert counters["mode:in_person"] == confirmed
    assert counters["org:name:permanent mission of ghana"] == confirmed


def test_raising_capacity_while_people_register_neither_deadlocks_nor_loses_a_seat(organization):
    from events.audit import SYSTEM
    from events.services import update_event

    event = EventFactory(organization=organization, capacity_in_person=5, waitlist_enabled=True)
    start = threading.Barrier(31)
    errors = []

    def run(action):
        try:
            start.wait()
            _until_not_busy(action)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    actions = [
        lambda n=n: services.register(
            actor=Actor.system("test"),
            event=event,
            email=f"d{n}@mission.example",
            first_name="D",
            last_name=str(n),
            consent=True,
        )
        for n in range(30)
    ] + [lambda: update_event(actor=SYSTEM, event=event, capacity_in_person=20)]
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Registration.objects.confirmed().filter(event=event).count() == 20
    assert Registration.objects.waitlisted().filter(event=event).count() == 10


def test_concurrent_registrations_hold_mode_session_and_delegation_limits_together(organization):
    from tests.factories import SessionFactory

    event = EventFactory(
        organization=organization, capacity_in_person=12, seats_per_organization=4,
        waitlist_enabled=True,
    )  # fmt: skip
    lunch = SessionFactory(event=event, capacity=6)

    errors = _register_all_at_once(
        event,
        per_client=lambda number: {
            "sessions": [lunch.pk] if number % 2 else [],
            "organization_name": f"Permanent Mission {number % 4}",
        },
    )

    assert errors == []
    confirmed = Registration.objects.confirmed().filter(event=event)
    assert confirmed.count() == 12
    assert confirmed.filter(sessions=lunch).count() <= 6
    for mission in range(4):
        assert confirmed.filter(organization_name=f"Permanent Mission {mission}").count() <= 4
    counters = dict(SeatCounter.objects.filter(event=event).values_list("key", "taken"))
    assert counters["mode:in_person"] == 12
    assert counters[f"session:{lunch.pk}"] == confirmed.filter(sessions=lunch).count()


def _waiting_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def test_a_registration_that_waited_for_a_capacity_change_counts_the_new_capacity(organization):
    """The mode is full as the request read it; a capacity change holds the seat counter while
    the registration waits for it, then commits a larger limit. The registration takes the new
    seat: its limit is read after the lock is granted, not as of when it started waiting."""
    from events.audit import SYSTEM
    from events.models import Event
    from events.services import update_event

    event = EventFactory(organization=organization, capacity_in_person=1, waitlist_enabled=True)
    services.register(actor=Actor.system("test"), event=event, email="first@mission.example",
                      first_name="First", last_name="Delegate", consent=True)  # fmt: skip
    as_the_request_read_it = Event.objects.get(pk=event.pk)  # capacity 1, full
    counter_held, release = threading.Event(), threading.Event()
    outcome, errors = {}, []

    def organizer_raises_capacity():
        try:
            with transaction.atomic():  # update_event's own transaction nests in this one
                update_event(actor=SYSTEM, event=Event.objects.get(pk=event.pk),
                             capacity_in_person=2)  # fmt: skip
                counter_held.set()  # its promotion locked the counter; held until commit
                release.wait(10)
        except Exception as error:
            errors.append(error)
            counter_held.set()
        finally:
            connection.close()

    def late_registrant():
        try:
            registration = services.register(
                actor=Actor.system("test"), event=as_the_request_read_it,
                email="late@mission.example", first_name="Late", last_name="Delegate",
                consent=True,
            )  # fmt: skip
            outcome["status"] = registration.status
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    organizer = threading.Thread(target=organizer_raises_capacity)
    organizer.start()
    assert counter_held.wait(10)
    registrant = threading.Thread(target=late_registrant)
    registrant.start()
    deadline = time.monotonic() + 10
    while not _waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _waiting_for_a_lock() == 1  # the registration waits for the counter
    release.set()
    organizer.join(10)
    registrant.join(10)

    assert errors == []
    assert outcome == {"status": Registration.Status.CONFIRMED}
    assert SeatCounter.objects.get(event=event, key="mode:in_person").taken == 2
