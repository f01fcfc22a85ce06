"""State changes of events. Each function is one transaction and checks what it is asked to do."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .audit import Actor, changes, log_action, snapshot
from .models import Event, EventHost, Organization
from .signals import event_cancelled, event_changed


class TransitionNotAllowed(Exception):
    """The event is not in a state that allows the requested change."""


SLUG_MAX_LENGTH = Event._meta.get_field("slug").max_length


def _slug_candidates(title):
    base = slugify(title)[: SLUG_MAX_LENGTH - 6].strip("-") or "event"
    yield base
    number = 2
    while True:
        yield f"{base}-{number}"
        number += 1


# Events are locked FOR NO KEY UPDATE: it still serialises changes to one event, but lets new
# registrations (whose inserts take a key-share lock on their event) go on meanwhile.


def _unused_slug(title):
    for candidate in _slug_candidates(title):
        if not Event.objects.filter(slug=candidate).exists():
            return candidate
    raise AssertionError("unreachable")


class AlreadyInDirectory(ValidationError):
    """The directory has an entry of that name already; `existing` is it."""

    def __init__(self, existing):
        super().__init__(
            {"name": _("“%(name)s” is already in the directory.") % {"name": existing.name}}
        )
        self.existing = existing


@transaction.atomic
def create_directory_entry(*, actor: Actor, **fields) -> Organization:
    """Add an entry to the directory: nobody's team, naming it gives nobody any rights."""
    organization = Organization(**fields, is_team=False, code=None)
    organization.full_clean()
    existing = Organization.objects.directory().filter(name__iexact=organization.name).first()
    if existing is not None:
        raise AlreadyInDirectory(existing)
    organization.save()
    log_action(
        actor=actor,
        action="directory_entry.created",
        obj=organization,
        data={"name": organization.name, "kind": organization.kind},
    )
    return organization


def create_event(*, actor: Actor, organization, slug="", **fields) -> Event:
    """Create a draft event. Without a slug one is made from the title, with a suffix if taken."""
    if not organization.is_team:
        raise ValidationError({"organization": _("Events belong to an organizer team.")})
    for _attempt in range(5):
        event = Event(
            organization=organization, slug=slug or _unused_slug(fields.get("title", "")), **fields
        )
        event.full_clean()
        try:
            with transaction.atomic():
                event.save()
                log_action(
                    actor=actor,
                    action="event.created",
                    obj=event,
                    data={"title": event.title, "slug": event.slug},
                )
            return event
        except IntegrityError:
            # Another request took the same slug between the check and the insert.
            if slug:
                raise ValidationError(
                    {"slug": _("An event with this slug already exists.")}
                ) from None
    raise ValidationError({"slug": _("Could not find a free slug; give one explicitly.")})


@transaction.atomic
def name_team_as_organizer(*, actor: Actor, event: Event) -> EventHost | None:
    """Name the event's own team as its organizer host, unless its hosts already name an
    organizer or list the team in another role (the organizer's way of saying otherwise).
    Returns the host added, if one was."""
    hosts = list(event.hosts.all())
    if any(host.role == EventHost.Role.ORGANIZER for host in hosts):
        return None
    if any(host.organization_id == event.organization_id for host in hosts):
        return None
    host = EventHost.objects.create(
        event=event, organization_id=event.organization_id, role=EventHost.Role.ORGANIZER, order=0
    )
    log_action(
        actor=actor,
        action="host.created",
        obj=host,
        data={"organization": host.organization_id, "role": host.role},
    )
    return host


@transaction.atomic
def update_event(*, actor: Actor, event: Event, **fields) -> Event:
    """Change an event's fields. Moving its time or place grows the calendar SEQUENCE.
    Logs `event.updated` with the fields that changed, and nothing when none did."""
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    before = {name: getattr(event, name) for name in fields}
    logged_before = snapshot(event, fields)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    changed = {name for name in fields if getattr(event, name) != before[name]}
    if changed & set(Event.SCHEDULE_FIELDS):
        event.sequence += 1
    event.save()
    if changed:
        log_action(
            actor=actor, action="event.updated", obj=event, data=changes(logged_before, event)
        )
        event_changed.send(sender=Event, event=event, changed=changed)
    return event


@transaction.atomic
def publish_event(*, actor: Actor, event: Event) -> Event:
    """Make a draft visible to the public and open for registration."""
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if event.status != Event.Status.DRAFT:
        raise TransitionNotAllowed(
            _("Only a draft can be published; this event is %(status)s.")
            % {"status": event.get_status_display().lower()}
        )
    event.full_clean()
    event.status = Event.Status.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    log_action(
        actor=actor,
        action="event.published",
        obj=event,
        data={"status": {"from": Event.Status.DRAFT, "to": event.status}},
    )
    return event


@transaction.atomic
def cancel_event(*, actor: Actor, event: Event) -> Event:
    """Cancel a published event; its calendar entry turns into a cancellation."""
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if event.status != Event.Status.PUBLISHED:
        raise TransitionNotAllowed(
            _("Only a published event can be cancelled; this event is %(status)s.")
            % {"status": event.get_status_display().lower()}
        )
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    log_action(
        actor=actor,
        action="event.cancelled",
        obj=event,
        data={"status": {"from": Event.Status.PUBLISHED, "to": event.status}},
    )
    event_cancelled.send(sender=Event, event=event)
    return event
