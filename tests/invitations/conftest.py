import pytest

from events.models import Event
from tests.factories import EventFactory, InvitationFactory


@pytest.fixture
def private_event(organization):
    """An invitation-only conference in the ECOSOC Chamber."""
    return EventFactory(
        organization=organization,
        title="Impact-Driven Peacekeeping Partnerships",
        summary="A half-day conference followed by a working lunch.",
        visibility=Event.Visibility.INVITATION_ONLY,
        capacity_in_person=100,
    )


@pytest.fixture
def invitation(private_event):
    """A personal invitation: only its own address may register with it."""
    return InvitationFactory(
        event=private_event,
        email="kofi@ghana-mission.example",
        honorific="H.E. Mr.",
        first_name="Kofi",
        last_name="Mensah",
    )


@pytest.fixture
def mission_invitation(private_event):
    """A permanent mission's invitation with three seats for its delegates."""
    return InvitationFactory(
        event=private_event, mission=True, email="focal@sweden-mission.example",
        organization_name="Permanent Mission of Sweden", country="SE",
    )  # fmt: skip


@pytest.fixture
def delegate():
    """Registration fields for a delegate; keyword arguments override them."""
    counter = iter(range(1, 10_000))

    def fields(**overrides):
        number = next(counter)
        return {
            "email": f"delegate{number}@mission.example",
            "first_name": "Delegate",
            "last_name": str(number),
            "consent": True,
            "attendance_mode": "in_person",
        } | overrides

    return fields
