"""The kinds of message, registered by the apps that send them.

`notifications` knows nothing of registrations or invitations: an app above it registers each
kind it sends, with its default subject, its templates and how to build their context from the
message's related object.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
class PreviewSubject:
    """Whom a preview of a kind is addressed to, and what it is about.

    `related` becomes the preview message's related_object: a real object of the event (a
    registration, an invitation) or an unsaved sample built in memory. `to_email`, `to_name`
    and `context` are what enqueue() would be given. `sample` says the data is made up, so the
    page can say so.
    """

    to_email: str
    to_name: str = ""
    related: Any = None
    context: dict = field(default_factory=dict)
    sample: bool = False


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
    # The email texts page previews a kind with this hook: given an event, it returns the
    # PreviewSubject to render a message of this kind for. Contract:
    # - Prefer a real object of that event in the state the kind is sent in (the latest
    #   confirmed registration for a confirmation), and without one an unsaved sample object
    #   with sample=True, so every event can preview every kind.
    # - Write nothing: no save(), no create(), no related manager that writes. The preview
    #   renders an unsaved Message and is thrown away.
    # - Put no working private link in it: give a real object's copy a dummy secret (the
    #   preview is for the event's managers, not the registrant or invitee).
    # - Whatever `context` and `attachments` read from the related object must work on the
    #   sample too (an unsaved object has no pk, so no many-to-many lookups).
    # A kind without the hook shows "no sample for this kind yet" instead of a preview.
    preview: "Callable[[Any], PreviewSubject] | None" = None
    # Values in a rendered message that open something by themselves (a manage link's secret,
    # an invitation token). Pages that show organizers a message as it was sent mask them.
    private_values: Callable[[Message], list[str]] = field(default=lambda message: [])
    # Whether organizers write an event's own texts for it (an invitation to join a team is
    # about no event, so the event's email texts page does not offer it).
    per_event: bool = True

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
