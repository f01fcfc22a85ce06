"""Busy instead of stuck: a registration that cannot get its seat counter in time answers 503
with Retry-After and writes nothing. Real threads, each with its own PostgreSQL connection."""

import json
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.urls import reverse

from events.audit import Actor
from notifications.models import Message
from registration import locking, services
from registration.models import Registration, SeatCounter
from tests.factories import EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def short_lock_timeout(settings):
    settings.REGISTRATION_LOCK_TIMEOUT_MS = 200


@contextmanager
def counter_held_elsewhere(event, key="mode:in_person"):
    """Another transaction (another thread, another connection) holds the seat counter row
    until the block ends, as a slow registration of the same event would."""
    locked, release = threading.Event(), threading.Event()
    failures = []

    def hold():
        try:
            with transaction.atomic():
                SeatCounter.objects.select_for_update().get(event=event, key=key)
                locked.set()
                release.wait(10)
        except Exception as error:  # surfaced below
            failures.append(error)
            locked.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join(10)
    assert failures == []


def _state(event):
    return (
        sorted(Registration.objects.filter(event=event).values_list("email", flat=True)),
        Message.objects.filter(event=event).count(),
        dict(SeatCounter.objects.filter(event=event).values_list("key", "taken")),
    )


@pytest.fixture(params=[10, None], ids=["with capacity", "without capacity"])
def opened_event(request, organization, register):
    """An event whose seat counter exists: someone registered already."""
    event = EventFactory(
        organization=organization, capacity_in_person=request.param, waitlist_enabled=True
    )
    register(event, email="first@mission.example")
    return event


def _api_register(client, event, email="late@mission.example"):
    body = {"email": email, "first_name": "Late", "last_name": "Comer", "consent": True}
    return client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        json.dumps(body),
        content_type="application/json",
    )


def test_api_answers_503_with_retry_after_and_writes_nothing_while_the_seat_is_held(
    client, opened_event
):
    before = _state(opened_event)

    with counter_held_elsewhere(opened_event):
        response = _api_register(client, opened_event)

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert "try again" in response.json()["detail"]
    assert _state(opened_event) == before


def test_api_registers_once_the_seat_is_free_again(client, opened_event):
    with counter_held_elsewhere(opened_event):
        assert _api_register(client, opened_event).status_code == 503

    response = _api_register(client, opened_event)

    assert response.status_code == 201
    assert Registration.objects.filter(event=opened_event, email="late@mission.example").exists()


def test_the_form_says_busy_try_again_with_503_and_writes_nothing(client, opened_event):
    before = _state(opened_event)
    form = {
        "first_name": "Late",
        "last_name": "Comer",
        "email": "late@mission.example",
        "language": "en",
        "consent": "on",
    }

    with counter_held_elsewhere(opened_event):
        response = client.post(reverse("registration:register", args=[opened_event.slug]), form)

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert "Many people are registering right now" in response.text
    assert 'value="late@mission.example"' in response.text  # the answers are kept to resend
    assert _state(opened_event) == before


def test_cancelling_while_the_seat_is_held_is_busy_and_changes_nothing(opened_event):
    registration = Registration.objects.get(event=opened_event)

    with counter_held_elsewhere(opened_event), pytest.raises(locking.Busy):
        services.cancel(actor=Actor.system("test"), registration=registration)

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_the_lock_timeout_ends_with_the_transaction(opened_event, register):
    register(opened_event, email="second@mission.example")

    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "0"
