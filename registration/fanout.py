"""Telling every registrant of an event about a change or a cancellation, as a fan-out job.

The organizer's change writes one job row in its own transaction (so nothing is lost if the
broker is down) and returns; a worker then writes the messages in bulk (notifications.jobs).
Each message renders at send time from the event as it is then, so it always tells the
current time and place; the dedupe key carries the change's revision, so each change is
announced once per registrant however often the job runs, and a later change again.
"""

from django.utils.translation import gettext as _

from events.models import Event
from notifications import jobs

from .emails import message_item
from .models import Registration

FIELDS = ("pk", "email", "first_name", "last_name", "language")


def _audience(job):
    registrations = Registration.objects.filter(event=job.event)
    if job.name == "event_cancelled":
        return registrations.active()
    return registrations.confirmed()


def _chunks(job, size):
    # A change announced just before the event was cancelled is not announced after it.
    published = Event.objects.published().filter(pk=job.event_id).exists()
    if job.name == "event_updated" and not published:
        return
    remaining = _audience(job).only(*FIELDS)
    key = job.params.get("revision", "")
    last_id = 0
    while batch := list(remaining.filter(pk__gt=last_id).order_by("pk")[:size]):
        last_id = batch[-1].pk
        yield [message_item(r, job.name, key=key, event=job.event) for r in batch]


DESCRIPTIONS = {
    "event_updated": lambda job: _("Telling confirmed registrants about the change"),
    "event_cancelled": lambda job: _("Telling registrants about the cancellation"),
}
for _name, _describe in DESCRIPTIONS.items():
    jobs.register(
        jobs.Fanout(
            name=_name,
            describe=_describe,
            count=lambda job: _audience(job).count(),
            chunks=_chunks,
        )
    )


def announce_change(event, *, revision, requested_by=None):
    return jobs.start(
        name="event_updated", event=event, params={"revision": revision}, requested_by=requested_by
    )


def announce_cancellation(event, *, requested_by=None):
    return jobs.start(name="event_cancelled", event=event, requested_by=requested_by)
