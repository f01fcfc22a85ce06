import pytest

from events.models import Event
from registration import services
from tests.factories import EventFactory


@pytest.fixture
def hybrid_event(organization):
    return EventFactory(
        organization=organization,
        title="Peacekeeping in Africa",
        format=Event.Format.HYBRID,
        online_join_url="https://zoom.example.org/j/42",
        capacity_in_person=2,
        capacity_virtual=100,
    )


@pytest.fixture
def register():
    """Register a delegate with sensible defaults; keyword arguments override them."""
    counter = iter(range(1, 10_000))

    def _register(event, **fields):
        number = next(counter)
        defaults = dict(
            email=f"delegate{number}@mission.example",
            first_name="Kristina",
            last_name=f"Delegate {number}",
            consent=True,
            attendance_mode="in_person" if event.format != Event.Format.VIRTUAL else "",
        )
        return services.register(event=event, **(defaults | fields))

    return _register
