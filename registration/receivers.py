"""Registration's answers to changes of an event (see events.signals)."""

from django.dispatch import receiver

from events.models import Event
from events.signals import event_cancelled, event_changed

from . import capacity, emails, services
from .models import AttendanceMode, Registration

CAPACITY_FIELDS = {
    "capacity_in_person": AttendanceMode.IN_PERSON,
    "capacity_virtual": AttendanceMode.VIRTUAL,
}
# Changes confirmed registrants must hear about.
NOTIFIED_FIELDS = {*Event.SCHEDULE_FIELDS, "online_join_url"}


@receiver(event_changed, dispatch_uid="registration.capacity_or_schedule_changed")
def on_event_changed(sender, event, changed, **kwargs):
    for field_name, mode in CAPACITY_FIELDS.items():
        if field_name in changed:
            # First the counter's lock: registrations deciding on the old limit finish first, so
            # the promotion below sees everyone they put on the waitlist.
            capacity.lock_counter(event, f"mode:{mode}")
            services.promote_waitlist(event=event, mode=mode)
    if changed & NOTIFIED_FIELDS and event.status == Event.Status.PUBLISHED:
        revision = f"{event.pk}:{event.updated_at.timestamp():.0f}"
        for registration in Registration.objects.confirmed().filter(event=event):
            emails.notify(registration, "event_updated", key=revision)


@receiver(event_cancelled, dispatch_uid="registration.event_cancelled")
def on_event_cancelled(sender, event, **kwargs):
    for registration in Registration.objects.active().filter(event=event):
        emails.notify(registration, "event_cancelled")
