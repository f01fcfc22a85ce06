"""Message kinds for testing the pipeline on its own; the real kinds come with the apps above it.

A real Celery worker started by a test imports this module too (`celery worker --include`), so
both processes render the same kinds from the same templates.
"""

from pathlib import Path

from django.conf import settings

from notifications import registry
from notifications.models import Message

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def sample_delegate(event):
    """The test kinds' preview hook: no related object, a sample recipient."""
    return registry.PreviewSubject(
        to_email="delegate@example.org",
        to_name="Kristina Zetterlund",
        context={"first_name": "Kristina", "last_name": "Zetterlund", "honorific": "Ms."},
        sample=True,
    )


ANNOUNCEMENT = registry.MessageKind(
    name=Message.Kind.INVITATION,
    transactional=False,
    subject="Invitation: {event_title}",
    template="tests/emails/announcement",
    recipient_fields=("first_name", "last_name", "honorific"),
    preview=sample_delegate,
)

CONFIRMATION = registry.MessageKind(
    name=Message.Kind.REGISTRATION_CONFIRMED,
    transactional=True,
    subject="Confirmed: {event_title}",
    template="tests/emails/announcement",
    attachments=lambda message: [
        registry.Attachment("event.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    ],
    preview=sample_delegate,
)


def install_in_worker():
    """In a worker process: add the test templates and register the kinds."""
    from django.test.signals import setting_changed

    settings.TEMPLATES[0]["DIRS"].append(TEMPLATES)
    # Django's own test hook rebuilds the template engines with the new folder.
    setting_changed.send(sender=None, setting="TEMPLATES", value=settings.TEMPLATES, enter=True)
    registry.register(ANNOUNCEMENT)
    registry.register(CONFIRMATION)
