"""The follow-up after the event: the recording and reports, to those who came and to those who
did not, each with their own wording and the material their audience may see.

Confirmed registrants who attended (checked in at the door, or marked by the online attendance
import) get `followup_attended`, with resources for everyone, registrants and attendees; the
other confirmed registrants get `followup_absent`, without attendees-only material. Each
registrant gets at most one follow-up (`followup:registration:<id>`), whoever asks and however
often. The organizer sends it, or it goes by itself once a recording is added after the end or
N hours after the end (beat looks every minute). Invited guests who never registered may be
included: registration knows nothing of invitations, so it sends `followup_requested` and the
invitations app writes theirs. A resource added later can be announced, once, to the same
people (`followup_update`), each only if its audience includes them.

The messages are written by a fan-out job (notifications.jobs), so the request returns at once,
and render at send time with the resources as they are then.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, Resource
from events.selectors import after_event_order
from notifications import jobs, registry
from notifications.models import FanoutJob, Message

from .models import Registration
from .previews import preview_subject_for

# Sent inside start()'s transaction with `event` and `requested_by`, when invited guests who
# never registered are to be included: a receiver starts their messages and returns how many.
# With `count_only=True` it only counts them, for the organizer's page.
followup_requested = Signal()

ATTENDED = Message.Kind.FOLLOWUP_ATTENDED
ABSENT = Message.Kind.FOLLOWUP_ABSENT
INVITED = Message.Kind.FOLLOWUP_INVITED
UPDATE = Message.Kind.FOLLOWUP_UPDATE
FOLLOWUP_KINDS = (ATTENDED, ABSENT, INVITED)
NAME_FIELDS = ("first_name", "last_name", "honorific")
Audience = Resource.Audience
# Who may see what: the material each kind of follow-up lists.
AUDIENCES = {
    ATTENDED: (Audience.PUBLIC, Audience.REGISTRANTS, Audience.ATTENDEES),
    ABSENT: (Audience.PUBLIC, Audience.REGISTRANTS),
    INVITED: (Audience.PUBLIC,),
}


class FollowupRefused(Exception):
    """The event is not in a state to follow up (HTTP 409)."""


def attended() -> Q:
    return Q(checked_in_at__isnull=False) | Q(attended=True)


# --- The material ------------------------------------------------------------------------------

# A follow-up to 10,000 people renders each message with the same list; it is read once per
# event and audience for a few seconds (and forgotten at once when a resource changes here).
_MATERIAL_SECONDS = 3.0
_material_memo: dict[tuple, tuple[float, list]] = {}


@receiver([post_save, post_delete], sender=Resource, dispatch_uid="registration.followup.memo")
def _forget_material(sender, **kwargs):
    _material_memo.clear()


def material(event_id, audiences) -> list[dict]:
    """The resources these audiences may see, recording first, as plain values."""
    key = (event_id, tuple(audiences))
    cached = _material_memo.get(key)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    resources = after_event_order(
        Resource.objects.filter(event_id=event_id, audience__in=audiences)
    )
    values = [_resource_values(resource) for resource in resources]
    _material_memo[key] = (time.monotonic() + _MATERIAL_SECONDS, values)
    return values


def _resource_values(resource) -> dict:
    return {
        "title": resource.title,
        "url": resource.url,
        "kind": resource.kind,
        "kind_label": str(resource.get_kind_display()),
    }


def _names(message) -> dict:
    """The recipient's names as they are now: a registration's or an invitation's (both have
    them)."""
    return {name: getattr(message.related_object, name, "") for name in NAME_FIELDS}


def followup_context(message) -> dict:
    """The context of every follow-up kind: the same for all its rows but the names."""
    resources = material(message.event_id, AUDIENCES[message.kind])
    recordings = [r for r in resources if r["kind"] == Resource.Kind.RECORDING]
    return {
        **_names(message),
        "recording": recordings[0] if recordings else None,
        "resources": [r for r in resources if r is not (recordings[0] if recordings else None)],
        "unsubscribe_reason": _("You receive this because you registered for this event."),
    }


def _update_context(message) -> dict:
    resource = Resource.objects.filter(
        pk=message.context.get("resource"), event_id=message.event_id
    ).first()
    if resource is None and "resource" in message.context:
        raise LookupError("The resource this note announces was deleted before it went out.")
    if resource is None:  # a preview for an event that has no material yet
        resource = Resource(
            event_id=message.event_id,
            kind=Resource.Kind.REPORT,
            title=_("The report of the event"),
            url=message.event.public_url,
        )
    return {
        **_names(message),
        "resource": _resource_values(resource),
        "unsubscribe_reason": _("You receive this because you had our follow-up to this event."),
    }


def _latest_resource(event) -> dict:
    """What a note about new material stores: the resource it announces (a preview takes the
    event's latest; without any, a sample)."""
    latest = Resource.objects.filter(event=event).order_by("-pk").values_list("pk", flat=True)
    return {"resource": latest[0]} if latest else {}


for _kind, _subject in {
    ATTENDED: gettext_lazy("Thank you for joining us: {event_title}"),
    ABSENT: gettext_lazy("The recording and reports: {event_title}"),
}.items():
    registry.register(
        registry.MessageKind(
            name=_kind,
            transactional=False,  # unsubscribe headers; a suppressed address gets none
            subject=_subject,
            template=f"registration/emails/{_kind}",
            context=followup_context,
            recipient_fields=NAME_FIELDS,
            preview=preview_subject_for(_kind),
        )
    )
registry.register(
    registry.MessageKind(
        name=UPDATE,
        transactional=False,
        subject=gettext_lazy("New material: {event_title}"),
        template="registration/emails/followup_update",
        context=_update_context,
        recipient_fields=NAME_FIELDS,
        preview=preview_subject_for(UPDATE, context=_latest_resource),
    )
)


# --- Who gets the follow-up --------------------------------------------------------------------


def dedupe_key(registration_id) -> str:
    return f"followup:registration:{registration_id}"


def recipients(event):
    """Confirmed registrants who have not had a follow-up yet."""
    return (
        Registration.objects.confirmed()
        .filter(event=event)
        .annotate(
            followup_key=Concat(
                Value(dedupe_key("")), Cast("pk", CharField()), output_field=CharField()
            )
        )
        .filter(~Exists(Message.objects.filter(dedupe_key=OuterRef("followup_key"))))
    )


def audience_counts(event) -> dict[str, int]:
    """How many would get each follow-up if it were sent now."""
    pending = recipients(event)
    came = pending.filter(attended()).count()
    return {"attended": came, "absent": pending.count() - came}


def _chunks(job, size):
    event = job.event
    if not Event.objects.published().filter(pk=event.pk).exists():
        return  # cancelled since the follow-up was asked for
    # What the follow-up covers, so a resource added later can be offered as new material.
    FanoutJob.objects.filter(pk=job.pk).update(
        params=job.params | {"resources": list(event.resources.values_list("pk", flat=True))}
    )
    remaining = recipients(event).only(
        "pk", "email", "first_name", "last_name", "honorific", "language", "checked_in_at",
        "attended",
    )  # fmt: skip
    last_id = 0
    while batch := list(remaining.filter(pk__gt=last_id).order_by("pk")[:size]):
        last_id = batch[-1].pk
        yield [
            {
                "kind": ATTENDED if r.attended or r.checked_in_at else ABSENT,
                "dedupe_key": dedupe_key(r.pk),
                "event": event,
                "related": r,
                "to_email": r.email,
                "to_name": f"{r.first_name} {r.last_name}".strip(),
                "language": r.language,
            }
            for r in batch
        ]


jobs.register(
    jobs.Fanout(
        name="followup",
        describe=lambda job: _("Sending the follow-up to registrants"),
        count=lambda job: recipients(job.event).count(),
        chunks=_chunks,
    )
)


@dataclass(frozen=True)
class FollowupStarted:
    job: FanoutJob
    attended: int
    absent: int
    invited: int


def refusal(event, *, now=None) -> str | None:
    """Why the event cannot be followed up now, in words for the organizer; None when it can."""
    if event.status == Event.Status.CANCELLED:
        return _("This event was cancelled; there is nothing to follow up.")
    if event.status != Event.Status.PUBLISHED:
        return _("Publish the event first.")
    if not event.has_ended(now):
        return _("The follow-up goes after the event; it has not ended yet.")
    return None


@transaction.atomic
def start(*, event, include_invitees=False, requested_by=None, automatic=False, now=None):
    """Queue the follow-up to confirmed registrants, split by attendance, and to invited guests
    who never registered when asked; return the job and how many each group counts.

    An automatic follow-up goes once per event; the organizer may send again, which reaches
    only those who have not had one (a registrant confirmed since, say).
    """
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if reason := refusal(event, now=now):
        raise FollowupRefused(reason)
    if automatic and event.fanout_jobs.filter(name="followup").exists():
        return None
    counts = audience_counts(event)
    job = jobs.start(
        name="followup",
        event=event,
        params={"include_invitees": include_invitees, "automatic": automatic},
        requested_by=requested_by,
        logged=True,
    )
    invited = 0
    if include_invitees:
        invited = _ask_about_invitees(event, requested_by=requested_by, count_only=False) or 0
    return FollowupStarted(job=job, invited=invited, **counts)


def _ask_about_invitees(event, **kwargs) -> int | None:
    answers = followup_requested.send(sender=Event, event=event, **kwargs)
    counts = [n for _receiver, n in answers if isinstance(n, int)]
    return sum(counts) if counts else None


def invitee_count(event) -> int | None:
    """How many invited guests who never registered a follow-up would reach; None when no app
    answers for invitations."""
    return _ask_about_invitees(event, requested_by=None, count_only=True)


def due_automatically(*, now=None) -> list[Event]:
    """Ended events whose automatic follow-up is due: a recording is there, or the delay after
    the end has passed (and not by more than the grace), and none has gone yet."""
    now = now or timezone.now()
    candidates = (
        Event.objects.published()
        .filter(
            ends_at__lte=now, ends_at__gte=now - timedelta(days=settings.FOLLOWUP_AUTO_MAX_DAYS)
        )
        .filter(Q(followup_on_recording=True) | Q(followup_delay_hours__isnull=False))
        .exclude(Exists(FanoutJob.objects.filter(event=OuterRef("pk"), name="followup")))
        .annotate(
            has_recording=Exists(
                Resource.objects.filter(event=OuterRef("pk"), kind=Resource.Kind.RECORDING)
            )
        )
    )
    due = []
    grace = timedelta(hours=settings.FOLLOWUP_GRACE_HOURS)
    for event in candidates:
        by_recording = event.followup_on_recording and event.has_recording
        delay = event.followup_delay_hours
        after = event.ends_at + timedelta(hours=delay) if delay is not None else None
        if by_recording or (after is not None and after <= now <= after + grace):
            due.append(event)
    return due


def start_due(*, now=None) -> int:
    """What beat runs every minute: start the automatic follow-ups that are due."""
    started = 0
    for event in due_automatically(now=now):
        if start(
            event=event, include_invitees=event.followup_include_invitees, automatic=True, now=now
        ):
            started += 1
    return started


# --- New material after the follow-up ----------------------------------------------------------


def followed_up(event):
    """The follow-ups that went (or are going) out: the people a note about new material reaches."""
    return Message.objects.filter(
        event=event,
        kind__in=FOLLOWUP_KINDS,
        status__in=(Message.Status.PENDING, Message.Status.SENDING, Message.Status.SENT),
    )


def _reached_by(resource):
    kinds = [kind for kind, audiences in AUDIENCES.items() if resource.audience in audiences]
    return followed_up(resource.event).filter(kind__in=kinds)


@dataclass(frozen=True)
class NewMaterial:
    resource: Resource
    reaches: int
    noted: bool  # a note about it has been sent


def new_material(event) -> list[NewMaterial]:
    """Resources added since the follow-up went, with how many people a note would reach."""
    followups = list(event.fanout_jobs.filter(name="followup").values_list("params", flat=True))
    if not followups:
        return []
    covered = {pk for params in followups for pk in params.get("resources", [])}
    noted = {
        params.get("resource")
        for params in event.fanout_jobs.filter(name="followup_update").values_list(
            "params", flat=True
        )
    }
    return [
        NewMaterial(
            resource=resource, reaches=_reached_by(resource).count(), noted=resource.pk in noted
        )
        for resource in after_event_order(event.resources.exclude(pk__in=covered))
    ]


@transaction.atomic
def send_new_material(*, resource, requested_by=None) -> FanoutJob:
    """A note about one new resource to those who had the follow-up and may see it; once."""
    event = Event.objects.select_for_update(no_key=True).get(pk=resource.event_id)
    if event.fanout_jobs.filter(name="followup_update", params__resource=resource.pk).exists():
        raise FollowupRefused(_("A note about this material has already gone out."))
    return jobs.start(
        name="followup_update",
        event=resource.event,
        params={"resource": resource.pk},
        requested_by=requested_by,
        logged=True,
    )


def _announced(job) -> Resource | None:
    return Resource.objects.select_related("event").filter(pk=job.params["resource"]).first()


def _update_chunks(job, size):
    resource = _announced(job)
    if resource is None:
        return
    originals = (
        _reached_by(resource).select_related("related_type").prefetch_related("related_object")
    )
    last_id = 0
    while batch := list(originals.filter(pk__gt=last_id).order_by("pk")[:size]):
        last_id = batch[-1].pk
        yield [
            {
                "kind": UPDATE,
                "dedupe_key": f"followup_update:resource:{resource.pk}:message:{m.pk}",
                "event": resource.event,
                "related": m.related_object,
                "to_email": m.to_email,
                "to_name": m.to_name,
                "language": m.language,
                "context": {"resource": resource.pk},
            }
            for m in batch
        ]


jobs.register(
    jobs.Fanout(
        name="followup_update",
        describe=lambda job: _("Sending a note about new material"),
        count=lambda job: _reached_by(r).count() if (r := _announced(job)) else 0,
        chunks=_update_chunks,
    )
)


def withdraw_for_event(event) -> int:
    """Reminders and follow-ups not yet sent stay unsent: the event was cancelled."""
    return Message.objects.filter(
        event=event,
        kind__in=(Message.Kind.REMINDER, *FOLLOWUP_KINDS, UPDATE),
        status=Message.Status.PENDING,
    ).update(
        status=Message.Status.CANCELLED,
        error=_("Not sent: the event was cancelled."),
        updated_at=timezone.now(),
    )
