"""Reading the audit log: an event's entries with filters, a registration's history, and the
changed fields as a reader reads them. Written by the services through events.audit."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .models import LogEntry

ACTOR_KINDS = LogEntry.ActorKind.values


@dataclass(frozen=True)
class LogFilters:
    """What the log page and the API narrow the log to; empty values do not filter."""

    action: str = ""  # a code or its family's prefix: "invitation." or "invitation.sent"
    actor_kind: str = ""
    object_type: str = ""
    since: datetime | None = None
    search: str = ""  # within the actor's name

    @classmethod
    def from_query(cls, params) -> "LogFilters":
        actor_kind = params.get("actor_kind", "")
        return cls(
            action=params.get("action", "").strip()[:60],
            actor_kind=actor_kind if actor_kind in ACTOR_KINDS else "",
            object_type=params.get("object_type", "").strip()[:40],
            since=parse_since(params.get("since", "")),
            search=" ".join(params.get("q", "").split())[:100],
        )


def parse_since(value) -> datetime | None:
    """An ISO date or date-time; a date means its midnight (UTC); anything else is ignored."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime(day.year, day.month, day.day)
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def entries_for_event(event, filters: LogFilters = LogFilters()):
    """The event's log, newest first, narrowed by `filters`."""
    entries = LogEntry.objects.of_event(event)
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.actor_kind:
        entries = entries.filter(actor_kind=filters.actor_kind)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.since:
        entries = entries.filter(at__gte=filters.since)
    if filters.search:
        entries = entries.filter(actor_name__icontains=filters.search)
    return entries.order_by("-at", "-id")


def action_families(event) -> list[str]:
    """The action families ("invitation", "event", …) the event's log holds, for the filter."""
    actions = LogEntry.objects.of_event(event).values_list("action", flat=True).distinct()
    return sorted({action.partition(".")[0] for action in actions})


def object_types(event) -> list[str]:
    types = LogEntry.objects.of_event(event).values_list("object_type", flat=True).distinct()
    return sorted(set(types))


def registration_history(registration):
    """What happened to a registration, newest first: its own entries and those of the
    invitation it came through, if any."""
    about = Q(object_type="registration", object_id=str(registration.pk))
    if registration.invitation_id:
        about |= Q(object_type="invitation", object_id=str(registration.invitation_id))
    return (
        LogEntry.objects.filter(event_id=registration.event_id).filter(about).order_by("-at", "-id")
    )


def rows(entries, zone):
    """(entry, its readable changes) pairs, for the templates."""
    return [(entry, readable_data(entry.data, zone)) for entry in entries]


@dataclass(frozen=True)
class Change:
    field: str
    old: object = None
    new: object = None
    is_change: bool = True  # False: a plain value ("email": "…"), not a "from → to"


def readable_data(data, zone=None) -> list[Change]:
    """An entry's data as lines a reader follows: "field: from → to", or "field: value".
    Times are shown in `zone` (the event's)."""
    lines = []
    for name, value in (data or {}).items():
        label = name.replace("_", " ")
        if isinstance(value, dict) and set(value) == {"from", "to"}:
            lines.append(Change(label, _shown(value["from"], zone), _shown(value["to"], zone)))
        else:
            lines.append(Change(label, new=_shown(value, zone), is_change=False))
    return lines


def _shown(value, zone=None):
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and zone is not None and len(value) >= 19 and value[10] in "T ":
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M %Z")
    return str(value)
