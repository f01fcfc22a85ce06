"""Registration's answers to changes of an event (see events.signals)."""

from django.dispatch import receiver

from events.models import Event
from events.signals import event_cancelled, event_changed

from . import capacity, fanout, followup, services

# Changes confirmed registrants must hear about.
NOTIFIED_FIELDS = {*Event.SCHEDULE_FIELDS, "online_join_url"}


@receiver(event_changed, dispatch_uid="registration.capacity_or_schedule_changed")
def on_event_changed(sender, event, changed, **kwargs):
    for mode, field_name in capacity.MODE_CAPACITY_FIELDS.items():
        if field_name in changed:
            # First the counter's lock: registrations deciding on the old limit finish first, so
            # the promotion below sees everyone they put on the waitlist.
            capacity.lock_counter(event, capacity.mode_key(mode))
            services.promote_waitlist(event=event, mode=mode)
    if changed & NOTIFIED_FIELDS and event.status == Event.Status.PUBLISHED:
        # A worker writes the messages (one job row here, whatever the number of registrants);
        # each change is its own revision, announced once per registrant.
        revision = f"{event.pk}:{event.updated_at.timestamp():.0f}"
        fanout.announce_change(event, revision=revision)


@receiver(event_cancelled, dispatch_uid="registration.event_cancelled")
def on_event_cancelled(sender, event, **kwargs):
    followup.withdraw_for_event(event)
    fanout.announce_cancellation(event)
