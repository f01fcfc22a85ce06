"""What the reminder tests share: a fixed start, travelling around it, and reading the outbox."""

import email
import email.policy
from datetime import UTC, datetime, timedelta

from notifications.models import Message

# 10:00 in New York on a Tuesday; reminders are due 7 days, 1 day and 1 hour before.
START = datetime(2030, 11, 12, 15, 0, tzinfo=UTC)
DAY, HOUR, MINUTE = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)


def reminder_keys(registration) -> list[str]:
    """The reminders written for this registration, as their offsets, in the order written."""
    return list(
        Message.objects.filter(kind="reminder", related_id=registration.pk)
        .order_by("pk")
        .values_list("context__offset", flat=True)
    )


def as_read(sent):
    """(MIME message, {content type: part}) of an email as its recipient's client parses it."""
    mime = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    return mime, {part.get_content_type(): part for part in mime.walk() if not part.is_multipart()}


def text_and_html(sent):
    _mime, parts = as_read(sent)
    return parts["text/plain"].get_content(), parts["text/html"].get_content()
