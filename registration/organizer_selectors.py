"""Reads for the organizer's side: the registrants of an event, their counts, and seats taken."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django_countries import countries

from . import capacity
from .models import AttendanceMode, Registration
from .services import allowed_modes


@dataclass(frozen=True)
class RegistrantFilters:
    """What the organizer narrowed the list to; empty strings mean "any"."""

    status: str = ""
    attendance_mode: str = ""
    organization: str = ""
    country: str = ""

    @classmethod
    def from_query(cls, query) -> "RegistrantFilters":
        """Read the filters from a QueryDict, ignoring values that are not choices."""
        status = query.get("status", "")
        mode = query.get("attendance_mode", "")
        return cls(
            status=status if status in Registration.Status.values else "",
            attendance_mode=mode if mode in AttendanceMode.values else "",
            organization=query.get("organization", "").strip()[:200],
            country=query.get("country", "").strip().upper()[:2],
        )

    @property
    def is_set(self) -> bool:
        return any((self.status, self.attendance_mode, self.organization, self.country))

    def as_query(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value}


def registrants(event, filters: RegistrantFilters | None = None) -> QuerySet[Registration]:
    """The event's registrations in the order they came in, with what each row shows loaded in
    a fixed number of queries however many rows there are."""
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("event", "organization")
        .prefetch_related("sessions")
        .order_by("created_at", "id")
    )
    filters = filters or RegistrantFilters()
    if filters.status:
        registrations = registrations.filter(status=filters.status)
    if filters.attendance_mode:
        registrations = registrations.filter(attendance_mode=filters.attendance_mode)
    if filters.organization:
        registrations = registrations.filter(
            Q(organization_name__icontains=filters.organization)
            | Q(organization__name__icontains=filters.organization)
        )
    if filters.country:
        registrations = registrations.filter(country=filters.country)
    return registrations


def status_counts(event) -> dict[str, int]:
    """How many registrations are in each status, every status present (zero if none)."""
    counts = dict.fromkeys(Registration.Status.values, 0)
    rows = (
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts.update(dict(rows))
    return counts


def event_stats(event) -> dict:
    """Registrations, seats by mode and attendance of one event; the API's stats endpoint adds
    the invitations, which belong to the app above this one."""
    totals = Registration.objects.filter(event=event).aggregate(
        in_person=Count(
            "id",
            filter=Q(
                status=Registration.Status.CONFIRMED, attendance_mode=AttendanceMode.IN_PERSON
            ),
        ),
        virtual=Count(
            "id",
            filter=Q(status=Registration.Status.CONFIRMED, attendance_mode=AttendanceMode.VIRTUAL),
        ),
        attended=Count("id", filter=Q(attended=True) | Q(checked_in_at__isnull=False)),
    )
    return {
        "registrations": status_counts(event),
        "by_mode": {"in_person": totals["in_person"], "virtual": totals["virtual"]},
        "attended": totals["attended"],
    }


@dataclass(frozen=True)
class SeatUse:
    """Seats taken against one limit: an attendance mode or a session."""

    label: str
    taken: int
    limit: int | None

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.limit is not None and self.taken >= self.limit


def seat_use(event) -> dict[str, list[SeatUse]]:
    """Confirmed seats per attendance mode the event offers and per session, with the limits."""
    taken = capacity.taken_by_key(event)
    modes = [
        SeatUse(
            label=AttendanceMode(mode).label,
            taken=taken.get(capacity.mode_key(mode), 0),
            limit=capacity.mode_limit(event, mode),
        )
        for mode in allowed_modes(event)
    ]
    sessions = [
        SeatUse(
            label=session.title,
            taken=taken.get(f"session:{session.pk}", 0),
            limit=session.capacity,
        )
        for session in event.sessions.all()
    ]
    return {"modes": modes, "sessions": sessions}


def country_choices(event) -> list[tuple[str, str]]:
    """The countries the event's registrants come from, by name, for the country filter."""
    codes = (
        Registration.objects.filter(event=event)
        .exclude(country="")
        .values_list("country", flat=True)
        .distinct()
        .order_by()
    )
    # Name only the codes present, not all 250 countries.
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda c: c[1])
