"""Reminders before the event: on each event's schedule, once per offset and registrant.

An event stores its offsets before the start (ISO 8601 durations: P7D, P1D, PT1H); a
reminder's time is computed from the start as it is now, so moving the event moves its
reminders, as in Indico. Beat runs `send_due()` every minute: for each offset whose time has
come it writes one outbox row per confirmed registrant who registered before that time, keyed
`reminder:<offset>:registration:<id>`, so however many beats, workers or retries run, each
person gets each reminder once. A reminder goes out late (beat was down, the event moved
closer) only within its grace (a quarter of its offset, 5 minutes to 12 hours by default) and
never once the event has started: a stale "in 7 days" never arrives the day before. One that
was sent is not sent again when the event moves; the change itself is announced.

A reminder says when in the event's zone and, when the registrant's own zone is known and its
clock differs, in theirs; where (the room and the building's address) for people who come in
person; and the last reminder before the start carries the join link for online attendees.
Those variants are decided by values stored with each row (offset, mode, reader's zone), so the
outbox batches rows that read alike and only names and the manage link differ per recipient.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import CharField, Count, Exists, OuterRef, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.dateparse import parse_duration
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.audit import Actor, log_action
from events.models import Event
from notifications import jobs, registry
from notifications.models import Message

from .emails import manage_url
from .models import AttendanceMode, Registration, validate_time_zone
from .previews import preview_subject_for

# Who the audit log names for the reminders the beat writes when their time comes.
SCHEDULED_REMINDERS = Actor.system("scheduled reminders")

KIND = Message.Kind.REMINDER
KEY_PREFIX = "reminder:"
NAME_FIELDS = ("first_name", "last_name", "honorific")


# --- The schedule ------------------------------------------------------------------------------


def offset_key(delta: timedelta) -> str:
    """The canonical name of an offset, used in dedupe keys: P1D and PT24H are one reminder."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")


def offsets(event) -> list[tuple[str, timedelta]]:
    """The event's reminder offsets, earliest reminder first, each once; others are ignored."""
    found = {}
    for value in event.reminder_offsets or []:
        delta = parse_duration(value) if isinstance(value, str) else None
        if delta and delta >= timedelta(minutes=1):
            found.setdefault(offset_key(delta), delta)
    return sorted(found.items(), key=lambda item: item[1], reverse=True)


def last_offset_key(event) -> str:
    """The reminder closest to the start: the one that carries the join link."""
    keys = offsets(event)
    return keys[-1][0] if keys else ""


def grace(delta: timedelta) -> timedelta:
    """How late a reminder may still go out: a quarter of its offset, within the settings."""
    low = timedelta(minutes=settings.REMINDER_GRACE_MIN_MINUTES)
    high = timedelta(hours=settings.REMINDER_GRACE_MAX_HOURS)
    return min(max(delta / 4, low), high)


def sending_window(event, delta) -> tuple:
    """(from, until): when this reminder may go out, with the event's start as it is now."""
    due = event.starts_at - delta
    return due, min(due + grace(delta), event.starts_at)


def offset_label(delta: timedelta) -> str:
    """'7 days before', '1 hour before', '1 day and 12 hours before'."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        ngettext("%(n)d day", "%(n)d days", days) % {"n": days} if days else "",
        ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours} if hours else "",
        ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes} if minutes else "",
    ]
    named = [part for part in parts if part]
    spoken = (
        named[0]
        if len(named) == 1
        else _("%(first)s and %(rest)s")
        % {
            "first": ", ".join(named[:-1]),
            "rest": named[-1],
        }
    )
    return _("%(offset)s before") % {"offset": spoken}


def reader_zone(event, zone_name) -> str:
    """The registrant's zone when it is known and its clock differs from the event's, else ""."""
    if not zone_name or zone_name == event.timezone:
        return ""
    try:
        validate_time_zone(zone_name)
    except Exception:
        return ""
    from zoneinfo import ZoneInfo

    starts = event.starts_at
    same_clock = (
        starts.astimezone(ZoneInfo(zone_name)).utcoffset()
        == starts.astimezone(event.tzinfo).utcoffset()
    )
    return "" if same_clock else zone_name


# --- The message -------------------------------------------------------------------------------


def _context(message):
    """Rendered from the data as it is at send time. Everything but the recipient's fields is
    the same for every row with the same stored offset, mode and zone, so such rows batch."""
    registration = message.related_object
    event = message.event
    key = message.context.get("offset") or last_offset_key(event)
    online = registration.attendance_mode == AttendanceMode.VIRTUAL
    confirmed = registration.status == Registration.Status.CONFIRMED
    last = key == last_offset_key(event)
    return {
        **{name: getattr(registration, name) for name in NAME_FIELDS},
        "manage_url": manage_url(registration),
        "offset": key,
        "mode": registration.attendance_mode,
        "zone": reader_zone(event, registration.timezone),
        "online": online,
        "last_reminder": last,
        # The join link goes only to confirmed online attendees, and only in the last reminder.
        "join_url": event.online_join_url if online and last and confirmed else "",
    }


registry.register(
    registry.MessageKind(
        name=KIND,
        transactional=True,  # it answers the registration: no unsubscribe, as a confirmation
        subject=gettext_lazy("Reminder: {event_title}, {event_date}"),
        template="registration/emails/reminder",
        context=_context,
        recipient_fields=(*NAME_FIELDS, "manage_url"),
        preview=preview_subject_for(KIND),
        private_values=lambda message: [message.related_object.manage_secret],
    )
)


# --- Writing reminders -------------------------------------------------------------------------


def dedupe_key(key, registration_id) -> str:
    return f"{KEY_PREFIX}{key}:registration:{registration_id}"


def _without_reminder(registrations, key):
    """Those among `registrations` who have no row for this reminder yet (one index lookup each)."""
    return registrations.annotate(
        reminder_key=Concat(
            Value(dedupe_key(key, "")), Cast("pk", CharField()), output_field=CharField()
        )
    ).filter(~Exists(Message.objects.filter(dedupe_key=OuterRef("reminder_key"))))


def recipients(event, key, *, registered_before=None):
    """Confirmed registrants who have not had this reminder (and registered before its time)."""
    registrations = Registration.objects.confirmed().filter(event=event)
    if registered_before is not None:
        registrations = registrations.filter(created_at__lte=registered_before)
    return _without_reminder(registrations, key)


def _item(event, key, registration) -> dict:
    return {
        "kind": KIND,
        "dedupe_key": dedupe_key(key, registration.pk),
        "event": event,
        "related": registration,
        "to_email": registration.email,
        "to_name": f"{registration.first_name} {registration.last_name}".strip(),
        "language": registration.language,
        # What decides the variant: rows alike in these batch together (see the docstring).
        "context": {
            "offset": key,
            "mode": registration.attendance_mode,
            "zone": reader_zone(event, registration.timezone),
        },
    }


def chunks(event, key, size, *, registered_before=None):
    """Lists of enqueue items for those still to remind, read `size` at a time by id; none once
    the event is no longer published (a job queued before it was cancelled writes nothing)."""
    if not Event.objects.published().filter(pk=event.pk).exists():
        return
    remaining = recipients(event, key, registered_before=registered_before).only(
        "pk", "email", "first_name", "last_name", "language", "attendance_mode", "timezone"
    )
    last_id = 0
    while True:
        batch = list(remaining.filter(pk__gt=last_id).order_by("pk")[:size])
        if not batch:
            return
        last_id = batch[-1].pk
        yield [_item(event, key, registration) for registration in batch]


def due(*, now=None) -> list[tuple[Event, str, timedelta]]:
    """Every (event, offset) whose reminder may go out now."""
    now = now or timezone.now()
    found = []
    for event in Event.objects.published().filter(starts_at__gt=now).order_by("starts_at"):
        for key, delta in offsets(event):
            opens, closes = sending_window(event, delta)
            if opens <= now < closes:
                found.append((event, key, delta))
    return found


def send_due(*, now=None) -> int:
    """What beat runs every minute: write the reminders whose time has come; return how many."""
    now = now or timezone.now()
    written = 0
    for event, key, delta in due(now=now):
        registered_before = event.starts_at - delta
        sent = jobs.write(
            chunks(event, key, settings.FANOUT_CHUNK_SIZE, registered_before=registered_before)
        )
        if sent:
            log_action(
                actor=SCHEDULED_REMINDERS,
                action="reminder.sent",
                obj=event,
                data={"reminder": key, "messages": sent},
            )
        written += sent
    return written


class ReminderRefused(Exception):
    """The reminder cannot be sent now; the message says why."""


def send_now(*, event, key, requested_by=None, now=None):
    """The organizer sends one of the event's reminders now, to every confirmed registrant who
    has not had it; it is then not sent again at its time."""
    if key not in dict(offsets(event)):
        raise ReminderRefused(_("This event has no such reminder."))
    if event.status != Event.Status.PUBLISHED:
        raise ReminderRefused(_("Only a published event sends reminders."))
    if event.starts_at <= (now or timezone.now()):
        raise ReminderRefused(_("The event has started; reminders are for before it."))
    return jobs.start(
        name="reminder",
        event=event,
        params={"offset": key},
        requested_by=requested_by,
        logged=True,
    )


def _describe_send_now(job):
    delta = dict(offsets(job.event)).get(job.params["offset"])
    label = offset_label(delta) if delta else job.params["offset"]
    return _("Sending the reminder “%(offset)s” now") % {"offset": label}


jobs.register(
    jobs.Fanout(
        name="reminder",
        describe=_describe_send_now,
        count=lambda job: recipients(job.event, job.params["offset"]).count(),
        chunks=lambda job, size: chunks(job.event, job.params["offset"], size),
    )
)


def withdraw(*, registration) -> int:
    """Reminders written for this registration and not yet sent stay unsent: it was cancelled,
    declined or put back on the waitlist."""
    return Message.objects.filter(
        event_id=registration.event_id,
        kind=KIND,
        status=Message.Status.PENDING,
        dedupe_key__startswith=KEY_PREFIX,
        related_id=registration.pk,
    ).update(
        status=Message.Status.CANCELLED,
        error=_("Not sent: the registration is no longer confirmed."),
        updated_at=timezone.now(),
    )


# --- The organizer's view of the schedule ------------------------------------------------------


@dataclass
class ScheduledReminder:
    key: str
    label: str
    due_at: object
    closes_at: object
    is_last: bool
    state: str  # "upcoming", "due" (going out now) or "closed" (its time has passed)
    counts: dict  # status -> messages
    still_due: int  # confirmed registrants who would get it at its time

    @property
    def sent(self):
        return self.counts.get(Message.Status.SENT, 0)

    @property
    def queued(self):
        return self.counts.get(Message.Status.PENDING, 0) + self.counts.get(
            Message.Status.SENDING, 0
        )

    @property
    def failed(self):
        return self.counts.get(Message.Status.FAILED, 0)


def schedule(event, *, now=None) -> list[ScheduledReminder]:
    """Each offset of the event: when it goes, what went, and how many are still to get it."""
    now = now or timezone.now()
    counts: dict[str, dict[str, int]] = {}
    for row in (
        Message.objects.filter(event=event, kind=KIND)
        .annotate(offset=KT("context__offset"))
        .values("offset", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(row["offset"], {})[row["status"]] = row["n"]
    rows = []
    last = last_offset_key(event)
    for key, delta in offsets(event):
        opens, closes = sending_window(event, delta)
        if event.status != Event.Status.PUBLISHED or now >= closes:
            state, still_due = "closed", 0
        else:
            state = "due" if now >= opens else "upcoming"
            still_due = recipients(event, key).count()
        rows.append(
            ScheduledReminder(
                key=key,
                label=offset_label(delta),
                due_at=opens,
                closes_at=closes,
                is_last=key == last,
                state=state,
                counts=counts.get(key, {}),
                still_due=still_due,
            )
        )
    return rows
