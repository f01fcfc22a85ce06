"""One mission's link used by several delegates at once: real threads, each with its own
PostgreSQL connection."""

import threading

import pytest
from django.db import connection

from events.audit import Actor
from invitations import services
from registration.models import Registration
from registration.services import RegistrationRefused
from tests.factories import InvitationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 10


def _register_all_at_once(invitation, clients=CLIENTS):
    start = threading.Barrier(clients)
    refused, errors = [], []

    def client(number):
        try:
            start.wait()
            services.register_by_invitation(actor=Actor.system("test"),
                token=invitation.token, event=invitation.event,
                email=f"delegate{number}@mission.example", first_name="Delegate",
                last_name=str(number), consent=True,
            )  # fmt: skip
        except RegistrationRefused as refusal:
            refused.append(refusal)
        except Exception as error:  # surfaced below: a deadlock or constraint error fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return refused, errors


def test_without_the_invitation_lock_concurrent_delegates_exceed_its_seats(settings):
    """The control run: counting the seats without the row lock lets the race through."""
    settings.INVITATION_SEAT_LOCKING = False
    invitation = InvitationFactory(transferable=True, seats=1)

    _register_all_at_once(invitation)

    assert Registration.objects.filter(invitation_id=invitation.pk).count() > 1


def test_two_delegates_at_once_through_a_one_seat_invitation_register_exactly_one():
    invitation = InvitationFactory(transferable=True, seats=1)

    refused, errors = _register_all_at_once(invitation, clients=2)

    assert errors == []
    assert len(refused) == 1
    assert Registration.objects.filter(invitation_id=invitation.pk).count() == 1


def test_many_delegates_at_once_fill_a_mission_invitation_exactly():
    invitation = InvitationFactory(transferable=True, seats=3)

    refused, errors = _register_all_at_once(invitation)

    assert errors == []
    assert len(refused) == CLIENTS - 3
    assert Registration.objects.filter(invitation_id=invitation.pk).count() == 3
