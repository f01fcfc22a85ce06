"""The kinds of message, registered by the apps that send them.

`notifications` knows nothing of registrations or invitations: an app above it registers each
kind it sends, with its default subject, its templates and how to build their context from the
message's related object.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Message


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str
    # With a Content-ID the part is an image shown in the HTML body as "cid:<content_id>"
    # (see mime.py); without one it is an attachment.
    content_id: str = ""


@dataclass(frozen=True)
class MessageKind:
    name: str
    # Transactional messages (a confirmation) go out even to suppressed addresses, without
    # unsubscribe headers; the others (invitations, follow-ups) respect suppression.
    transactional: bool
    # Subject with placeholders such as {event_title}; translated in the recipient's language.
    subject: str
    # Template base path: "<template>.html" and "<template>.txt".
    template: str
    context: Callable[[Message], dict] = field(default=lambda message: {})
    attachments: Callable[[Message], list[Attachment]] = field(default=lambda message: [])
    # Context values that differ per recipient and appear in the templates only as text (not
    # in a condition or a filter). Naming them lets the kind be rendered once per batch (and go
    # out in ESP batches with merge data); a batch whose messages differ in anything else,
    # attachments included, still goes out one by one. No kind of the apps so far names any.
    recipient_fields: tuple[str, ...] = ()

    def __post_init__(self):
        if self.name not in Message.Kind.values:
            raise ValueError(f"{self.name!r} is not one of Message.Kind")


_kinds: dict[str, MessageKind] = {}


def register(kind: MessageKind) -> MessageKind:
    _kinds[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def get(name: str) -> MessageKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No message kind {name!r} is registered") from None


def registered() -> list[MessageKind]:
    return list(_kinds.values())
