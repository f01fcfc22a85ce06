"""Reads of the outbox for organizer pages and the API."""

from django.db.models import QuerySet

from . import registry
from .models import Message, MessageTemplate


def messages_for_event(event, *, kind="", status="") -> QuerySet[Message]:
    """The event's messages, newest first, optionally only of one kind and one status."""
    messages = Message.objects.filter(event=event)
    if kind:
        messages = messages.filter(kind=kind)
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-id")


def message_counts(event) -> dict:
    """`{"by_kind": {kind: {status: n}}, "total": n}` for the event's messages."""
    by_kind: dict[str, dict[str, int]] = {}
    total = 0
    for row in Message.objects.filter(event=event).counts_by_kind_and_status():
        by_kind.setdefault(row["kind"], {})[row["status"]] = row["count"]
        total += row["count"]
    return {"by_kind": by_kind, "total": total}


def message_templates_for_event(event) -> list[dict]:
    """Each registered kind, in the order of Message.Kind, with the subject the event's
    messages of that kind get and the event's own texts if it has them."""
    custom = {template.kind: template for template in event.message_templates.all()}
    kinds = sorted(registry.registered(), key=lambda kind: Message.Kind.values.index(kind.name))
    return [
        {
            "kind": kind,
            "label": Message.Kind(kind.name).label,
            "custom": custom.get(kind.name),
            "subject": getattr(custom.get(kind.name), "subject", "") or str(kind.subject),
        }
        for kind in kinds
    ]


def message_template(event, kind) -> MessageTemplate | None:
    return MessageTemplate.objects.filter(event=event, kind=kind).first()
