"""Calendar files (RFC 5545) for events, made with icalendar."""

from datetime import date
from functools import lru_cache

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Event

PRODID = "-//Plenary//Plenary events//EN"


def event_uid(event: Event) -> str:
    """Stable for the event's whole life, so updates and cancellations replace the entry."""
    return f"{event.uid}@plenary"


def event_location(event: Event) -> str:
    if event.is_in_person:
        return ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    return _("Online")


@lru_cache(maxsize=64)
def _vtimezone(zone_name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The zone's rules for the years around the event: building them is the slow part of a file."""
    return icalendar.Timezone.from_tzid(
        zone_name, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
    )


def event_calendar(event: Event, *, join_url: str = "") -> bytes:
    """One VEVENT in the event's own zone, with its VTIMEZONE.

    SEQUENCE is the event's revision, which grows whenever its time or place change and on
    cancellation. `join_url` is only for a confirmed online attendee's own copy.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")

    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", timezone.now())
    entry.add("last-modified", event.updated_at)
    entry.add("dtstart", event.local_starts_at)
    entry.add("dtend", event.local_ends_at)
    entry.add("summary", event.title)
    entry.add("location", event_location(event))
    entry.add("url", event.public_url)
    entry.add("sequence", event.sequence)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    description = [event.summary, event.public_url]
    if join_url:
        description.insert(1, _("Join online: %(url)s") % {"url": join_url})
    entry.add("description", "\n\n".join(part for part in description if part))
    calendar.add_component(
        _vtimezone(event.timezone, event.local_starts_at.year - 1, event.local_ends_at.year + 1)
    )
    calendar.add_component(entry)
    return calendar.to_ical()
