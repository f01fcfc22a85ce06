"""Who did what: the audit log's actor and the one function services call to log a change.

Every service that changes state calls `log_action` once, in its own transaction, with the actor
its caller handed it: a team member, an API token, an attendee through their private link, or
the system (the beat's scheduled work, a promotion from the waitlist). Views build the actor
from the request (`Actor.for_request`); services never guess it.
"""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .models import Event, LogEntry, Organization


@dataclass(frozen=True)
class Actor:
    kind: str
    name: str
    user_id: int | None = None

    @classmethod
    def user(cls, user):
        return cls(LogEntry.ActorKind.USER, _user_name(user), user.pk)

    @classmethod
    def token(cls, user, token_name=""):
        name = f"{_user_name(user)} · {token_name}" if token_name else _user_name(user)
        return cls(LogEntry.ActorKind.TOKEN, name, user.pk)

    @classmethod
    def attendee(cls, name):
        return cls(LogEntry.ActorKind.ATTENDEE, str(name))

    @classmethod
    def system(cls, what=""):
        return cls(LogEntry.ActorKind.SYSTEM, what)

    @classmethod
    def for_request(cls, request):
        """The signed-in user of a page, or the user behind the API token of a request."""
        token = getattr(request, "auth", None)
        if token is not None:
            return cls.token(request.user, getattr(token, "name", ""))
        return cls.user(request.user)

    def as_json(self) -> dict:
        """The actor for a Celery task's arguments: the job logs in the name of who asked."""
        return {"kind": self.kind, "name": self.name, "user_id": self.user_id}

    @classmethod
    def from_json(cls, value, default=None):
        if not value:
            return default or SYSTEM
        return cls(str(value["kind"]), str(value["name"]), value.get("user_id"))


SYSTEM = Actor.system()


def _user_name(user):
    return user.get_full_name() or user.get_username()


class _Encoder(DjangoJSONEncoder):
    """Dates and times as ISO 8601 (DjangoJSONEncoder), anything else it cannot write as text."""

    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _json_safe(data):
    return json.loads(json.dumps(data or {}, cls=_Encoder))


def _owner(obj):
    """The event and team an object belongs to, for the log's filters."""
    if isinstance(obj, Event):
        return obj, obj.organization_id
    if isinstance(obj, Organization):
        return None, obj.pk
    event = getattr(obj, "event", None)
    if isinstance(event, Event):
        return event, event.organization_id
    # A contact, list or team invitation names its team; a membership its organization.
    team_id = getattr(obj, "team_id", None) or getattr(obj, "organization_id", None)
    return None, team_id


def object_label(obj) -> str:
    """A stable name for the object's type: the model's name, e.g. "registration"."""
    return obj._meta.model_name


def log_action(
    *, actor: Actor, action: str, obj: models.Model, data=None, event=None, object_id=None
):
    """Write one log entry for a change `actor` made to `obj`.

    `action` is a stable code such as "registration.approved"; `data` holds the changed fields
    (see `changes`) or what else explains the change. `object_id` names the object when its
    primary key must not be written down (DRF's token, whose key is its secret).
    """
    entry = _entry(actor, action, obj, data, event)
    if object_id is not None:
        entry.object_id = str(object_id)
    entry.save()
    return entry


def _entry(actor, action, obj, data, event) -> LogEntry:
    owner_event, team_id = _owner(obj)
    event = event or owner_event
    return LogEntry(
        event=event,
        team_id=team_id if team_id is not None else getattr(event, "organization_id", None),
        actor_kind=actor.kind,
        actor_name=actor.name[:250],
        actor_user_id=actor.user_id,
        action=action,
        object_type=object_label(obj),
        object_id=str(obj.pk or ""),
        data=_json_safe(data),
    )


def log_many(*, actor: Actor, action: str, objects, data=None, event=None) -> list:
    """One entry per object of a bulk change (e.g. invitations sent), in one INSERT.

    `data` is a dict shared by all entries, or a function of the object giving each its own.
    """
    entries = [
        _entry(actor, action, obj, data(obj) if callable(data) else data, event) for obj in objects
    ]
    return LogEntry.objects.bulk_create(entries, batch_size=1000)


def snapshot(obj, fields) -> dict:
    """The values of `fields` now, to compare after a change."""
    return {name: _field_value(obj, name) for name in fields}


def changes(before: dict, obj) -> dict:
    """{field: {"from": old, "to": new}} for the fields of `before` whose value differs now;
    empty when nothing changed (the caller then logs nothing)."""
    after = snapshot(obj, before)
    return {
        name: {"from": before[name], "to": after[name]}
        for name in before
        if before[name] != after[name]
    }


def _field_value(obj, name):
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
    return getattr(obj, field.attname)
