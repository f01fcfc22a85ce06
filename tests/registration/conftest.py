"""Fixtures of the registration tests: travelling around a fixed event start."""

import pytest

from events.models import Event
from tests.factories import EventFactory

from .reminder_helpers import DAY, HOUR, START


@pytest.fixture
def at(time_machine):
    """Travel to START + offset (a negative offset is before the start); the clock stands still."""

    def _at(offset):
        time_machine.move_to(START + offset, tick=False)

    _at(-30 * DAY)
    return _at


@pytest.fixture
def briefing(organization, at):
    """A published hybrid briefing at START in the ECOSOC Chamber, with a join link."""
    return EventFactory(
        organization=organization,
        title="Peacekeeping in Africa",
        format=Event.Format.HYBRID,
        starts_at=START,
        ends_at=START + 3 * HOUR,
        online_join_url="https://zoom.example.org/j/42",
    )
