"""An organizer's own subject and opening paragraph for one kind of message of one event, and
a preview of the email a delegate would get with them."""

import logging
from dataclasses import dataclass

from django.db import transaction

from . import rendering
from .models import Message, MessageTemplate

logger = logging.getLogger(__name__)

# The values every kind fills in; a kind may add its own.
PLACEHOLDERS = (
    "first_name",
    "last_name",
    "honorific",
    "salutation",
    "event_title",
    "event_date",
    "event_time",
    "event_url",
    "venue",
)

SAMPLE_RECIPIENT = {
    "to_email": "delegate@example.org",
    "to_name": "Kristina Zetterlund",
    "context": {"first_name": "Kristina", "last_name": "Zetterlund", "honorific": "Ms."},
}


class PreviewUnavailable(Exception):
    """The kind needs more than a sample recipient to render (a real registration, say)."""


@dataclass(frozen=True)
class Preview:
    subject: str
    html: str
    text: str


@transaction.atomic
def save_message_template(*, event, kind, subject="", intro="") -> MessageTemplate | None:
    """Keep the event's own texts for this kind; with both left empty, go back to the defaults."""
    subject, intro = subject.strip(), intro.strip()
    existing = MessageTemplate.objects.select_for_update().filter(event=event, kind=kind).first()
    if not subject and not intro:
        if existing:
            existing.delete()
        return None
    template = existing or MessageTemplate(event=event, kind=kind)
    template.subject = subject
    template.intro = intro
    template.full_clean()
    template.save()
    return template


def preview_message(*, event, kind, texts=None) -> Preview:
    """The email a sample delegate would get now; with `texts` ({"subject", "intro"}), as it
    would read with those texts, without saving them."""
    sample = Message(
        pk=0,
        event=event,
        kind=kind,
        language=event.language,
        unsubscribe_token="preview",  # noqa: S106 - not a secret: the preview's link leads nowhere
        **SAMPLE_RECIPIENT,
    )
    custom = rendering.LOOK_UP
    if texts is not None:
        custom = MessageTemplate(event=event, kind=kind, **{k: v.strip() for k, v in texts.items()})
    try:
        email = rendering.render(sample, custom=custom)
    except Exception as error:  # a kind's context may need a real related object
        logger.info("No preview of %s for event %s", kind, event.pk, exc_info=True)
        raise PreviewUnavailable(str(error)) from error
    html = next(
        (content for content, mimetype in email.alternatives if mimetype == "text/html"), ""
    )
    return Preview(subject=email.subject, html=html, text=email.body)
