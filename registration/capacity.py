"""Seats: taken and given back with conditional UPDATEs on SeatCounter rows, never oversold.

Every limit a registration is counted against (its attendance mode, each of its sessions, its
organization's share) is a counter row. A transaction takes the rows in key order, so two
transactions never wait on each other in opposite orders.
"""

import enum
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import AttendanceMode, Registration, SeatCounter, normalize_organization


class Limit(enum.Enum):
    """The kinds of limit a registration counts against; a counter key starts with the value."""

    MODE = "mode"
    SESSION = "session"
    DELEGATION = "org"


class SeatLimit(NamedTuple):
    key: str  # the counter row's key: "mode:in_person", "session:12", "org:id:7", "org:name:…"
    kind: Limit
    limit: int | None  # None: unlimited
    reason: str  # in words for the registrant, when it is full


class SeatsUnavailable(Exception):
    """A limit is reached; `limit.kind` says which kind, `reason` in words for the registrant."""

    def __init__(self, limit: SeatLimit):
        super().__init__(limit.reason)
        self.limit = limit
        self.kind = limit.kind
        self.reason = limit.reason


# The event's field that holds each attendance mode's capacity.
MODE_CAPACITY_FIELDS = {
    AttendanceMode.IN_PERSON: "capacity_in_person",
    AttendanceMode.VIRTUAL: "capacity_virtual",
}


def mode_limit(event, mode):
    return getattr(event, MODE_CAPACITY_FIELDS[mode])


def mode_key(mode) -> str:
    return f"{Limit.MODE.value}:{mode}"


def organization_key(registration) -> str:
    return delegation_key(
        organization_id=registration.organization_id,
        organization_name=registration.organization_name,
    )


def delegation_key(*, organization_id=None, organization_name="") -> str:
    """What seats_per_organization counts a delegation by: its directory entry, else its
    normalised name (the counter's key is "org:" and this)."""
    if organization_id:
        return f"id:{organization_id}"
    name = normalize_organization(organization_name)
    return f"name:{name}" if name else ""


def limits_for(registration, *, mode=None, sessions=None) -> list[SeatLimit]:
    """Every limit this registration counts against, in key order (the order locks are taken).

    `sessions` are the registration's sessions when it is not saved yet.
    """
    event = registration.event
    mode = mode or registration.attendance_mode
    if sessions is None:
        sessions = registration.sessions.all() if registration.pk else []
    limits = [
        SeatLimit(
            mode_key(mode),
            Limit.MODE,
            mode_limit(event, mode),
            _("All %(mode)s places are taken.") % {"mode": AttendanceMode(mode).label.lower()},
        )
    ]
    for session in sessions:
        limits.append(
            SeatLimit(
                f"{Limit.SESSION.value}:{session.pk}",
                Limit.SESSION,
                session.capacity,
                _("“%(title)s” is full.") % {"title": session.title},
            )
        )
    if event.seats_per_organization and registration.organization_key:
        limits.append(
            SeatLimit(
                f"{Limit.DELEGATION.value}:{registration.organization_key}",
                Limit.DELEGATION,
                event.seats_per_organization,
                _("%(organization)s already holds its %(count)d seats.")
                % {
                    "organization": registration.organization_name or _("Your organization"),
                    "count": event.seats_per_organization,
                },
            )
        )
    return sorted(limits)


def _locking_enabled():
    # Only the race test switches this off, to show that overselling happens without it.
    return getattr(settings, "REGISTRATION_SEAT_LOCKING", True)


def take_seats(registration, *, mode=None, sessions=None) -> None:
    """Take one seat against each limit, or none at all (raises SeatsUnavailable)."""
    limits = limits_for(registration, mode=mode, sessions=sessions)
    if not _locking_enabled():
        return _take_seats_unprotected(registration, limits, mode or registration.attendance_mode)
    if len(limits) == 1:
        return _take_seat(registration.event, limits[0])
    with transaction.atomic():  # a later full limit gives back the seats taken before it
        for limit in limits:
            _take_seat(registration.event, limit)


def _take_seat(event, seat_limit: SeatLimit):
    if _increment(event, seat_limit.key, seat_limit.limit):
        return
    # Full by the limit this request read, or no row yet. Lock the row, which a capacity change
    # also locks before it promotes the waitlist, then ask again with the limit as it is now:
    # either that change has committed and its larger limit counts here, or it waits for this
    # registration and then sees it on the waitlist. A seat given back meanwhile counts too.
    # Two statements on purpose: the limit is read after the lock is granted, in a snapshot that
    # sees a capacity change committed while this request waited (one SELECT ... FOR UPDATE
    # reading the limit too would read it as of the moment it started waiting).
    taken = _lock_counter(event, seat_limit.key)
    limit = current_limit(event, seat_limit)
    if (limit is not None and taken >= limit) or not _increment(event, seat_limit.key, limit):
        raise SeatsUnavailable(seat_limit)


def _lock_counter(event, key) -> int:
    """Lock the counter row, creating it if need be; return its seats taken as of the lock."""
    locked = SeatCounter.objects.select_for_update().filter(event=event, key=key)
    taken = locked.values_list("taken", flat=True).first()
    if taken is None:
        SeatCounter.objects.get_or_create(event=event, key=key)
        taken = locked.values_list("taken", flat=True).get()
    return taken


# Every registration runs one of these. Written out, they cost a tenth of the CPU that building
# the same conditional UPDATE through the ORM did.
_TAKE_UNLIMITED_SEAT = (
    "UPDATE registration_seatcounter SET taken = taken + 1, seat_limit = NULL"
    " WHERE event_id = %s AND key = %s"
)
_TAKE_SEAT_BELOW_LIMIT = (
    "UPDATE registration_seatcounter SET taken = taken + 1, seat_limit = %s"
    " WHERE event_id = %s AND key = %s AND taken < %s"
)


def _increment(event, key, limit) -> bool:
    if limit is None:
        sql, params = _TAKE_UNLIMITED_SEAT, [event.pk, key]
    else:
        sql, params = _TAKE_SEAT_BELOW_LIMIT, [limit, event.pk, key, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount > 0


def current_limit(event, seat_limit: SeatLimit):
    """The limit behind a counter, read from the database now."""
    from events.models import Event, Session

    rest = seat_limit.key.partition(":")[2]
    if seat_limit.kind is Limit.SESSION:
        return Session.objects.values_list("capacity", flat=True).get(pk=int(rest))
    field = (
        "seats_per_organization"
        if seat_limit.kind is Limit.DELEGATION
        else MODE_CAPACITY_FIELDS[AttendanceMode(rest)]
    )
    return Event.objects.values_list(field, flat=True).get(pk=event.pk)


def lock_counter(event, key) -> None:
    """Wait for registrations holding this counter, and hold them off until commit."""
    _lock_counter(event, key)


def _take_seats_unprotected(registration, limits, mode):
    """Read, then write: the classic race. Never used outside the race test's control run."""
    confirmed = Registration.objects.confirmed().filter(
        event=registration.event, attendance_mode=mode
    )
    for seat_limit in limits:
        limited = seat_limit.kind is Limit.MODE and seat_limit.limit is not None
        if limited and confirmed.count() >= seat_limit.limit:
            raise SeatsUnavailable(seat_limit)


def release_seats(registration, *, mode=None) -> None:
    """Give back the seats a confirmed registration held."""
    if not _locking_enabled():
        return
    # One row at a time in key order, the order take_seats locks them in: one UPDATE over
    # several rows would lock them in scan order and could deadlock with a registration.
    for seat_limit in limits_for(registration, mode=mode):
        SeatCounter.objects.filter(
            event=registration.event, key=seat_limit.key, taken__gt=0
        ).update(taken=F("taken") - 1)


def taken_by_key(event) -> dict[str, int]:
    return dict(SeatCounter.objects.filter(event=event).values_list("key", "taken"))
