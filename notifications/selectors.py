"""Reads of the outbox for organizer pages and the API."""

import logging
from dataclasses import dataclass, field

from django.db.models import QuerySet

from . import mime, registry, rendering
from .models import Message, MessageTemplate

logger = logging.getLogger(__name__)
MASK = "••••••"
# Headers an organizer reads to match a message with what a mailbox or the ESP shows.
SHOWN_HEADERS = ("Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post")


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
    kinds = sorted(
        (kind for kind in registry.registered() if kind.per_event),
        key=lambda kind: Message.Kind.values.index(kind.name),
    )
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


@dataclass(frozen=True)
class MessageAsSent:
    """An outbox row rendered as its recipient gets it, private links masked; `error` says why
    it could not be rendered, if it could not."""

    subject: str = ""
    html: str = ""
    text: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    attachments: tuple[tuple[str, int], ...] = ()
    error: str = ""


def message_as_sent(message: Message) -> MessageAsSent:
    """The email this row is, rendered from today's data in the recipient's language, with the
    values that open something by themselves (a manage link's secret, the unsubscribe token)
    masked: the event's team may read what was sent, not act as its recipient."""
    try:
        kind = registry.get(message.kind)
        email = rendering.render(message)
        private = [value for value in kind.private_values(message) if value]
    except Exception as error:  # a deleted registration, a kind no longer registered
        logger.info("Could not render message %s for display", message.pk, exc_info=True)
        return MessageAsSent(error=str(error) or type(error).__name__)
    private.append(message.unsubscribe_token)

    def masked(text):
        for value in private:
            text = text.replace(value, MASK)
        return text

    headers = [
        ("From", email.from_email),
        ("To", ", ".join(email.to)),
        ("Subject", email.subject),
    ] + [(name, email.extra_headers[name]) for name in SHOWN_HEADERS if name in email.extra_headers]
    return MessageAsSent(
        subject=email.subject,
        html=masked(mime.html_for_display(email)),
        text=masked(email.body),
        headers=[(name, masked(value)) for name, value in headers],
        attachments=mime.attachment_sizes(email),
    )
