"""Two organizers inviting overlapping lists at the same moment: real threads, each with its own
PostgreSQL connection. Each address ends up invited once, and neither request fails."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from events.audit import SYSTEM
from invitations import services
from invitations.models import Invitation
from tests.factories import EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EMAILS = [f"delegate{n}@mission{n}.example" for n in range(40)]
HOLD = 0.4  # seconds the first request keeps its rows uncommitted


def _naive_invite(event, emails):
    """Check, then insert: what the service would be without its ON CONFLICT insert."""
    with transaction.atomic():
        known = set(
            Invitation.objects.filter(event=event, email__in=emails).values_list("email", flat=True)
        )
        new = [Invitation(event=event, email=email) for email in emails if email not in known]
        Invitation.objects.bulk_create(new)
        if threading.current_thread().name == "first":
            time.sleep(HOLD)  # still uncommitted while the second request checks and inserts
    return new


def _service_invite(event, emails):
    return services.invite(
        actor=SYSTEM, event=event, invitees=[services.Invitee(email=email) for email in emails]
    ).created


def _both_at_once(invite, event, monkeypatch=None):
    """The first request inserts and holds its transaction open; the second starts meanwhile
    with an overlapping list. Returns {thread name: created or the error}."""
    outcome = {}

    def request(name, emails):
        try:
            outcome[name] = invite(event, emails)
        except Exception as error:
            outcome[name] = error
        finally:
            connection.close()

    first = threading.Thread(target=request, args=("first", EMAILS[:30]), name="first")
    second = threading.Thread(target=request, args=("second", EMAILS[10:]), name="second")
    first.start()
    time.sleep(HOLD / 4)
    second.start()
    first.join()
    second.join()
    return outcome


@pytest.fixture
def event(organization):
    return EventFactory(organization=organization)


def test_without_the_conflict_safe_insert_the_second_request_fails_whole(event):
    """The control run: check-then-insert lets both requests see the addresses as new."""
    outcome = _both_at_once(_naive_invite, event)

    assert isinstance(outcome["second"], IntegrityError)
    assert Invitation.objects.count() == 30  # the second's 10 new addresses were lost too


def test_two_overlapping_invites_at_once_invite_each_address_once(event, monkeypatch):
    # Hold the first request's transaction open after its insert, as in the control run.
    through = Invitation.sessions.through.objects
    real_bulk_create = through.bulk_create

    def slow_for_the_first(*args, **kwargs):
        if threading.current_thread().name == "first":
            time.sleep(HOLD)
        return real_bulk_create(*args, **kwargs)

    monkeypatch.setattr(through, "bulk_create", slow_for_the_first)

    outcome = _both_at_once(_service_invite, event)

    assert not any(isinstance(result, Exception) for result in outcome.values()), outcome
    created = [invitation.email for result in outcome.values() for invitation in result]
    assert sorted(created) == sorted(EMAILS)  # each address created by exactly one request
    assert Invitation.objects.count() == len(EMAILS)
