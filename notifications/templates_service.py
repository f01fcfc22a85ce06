"""An organizer's own subject and opening paragraph for one kind of message of one event, and
a preview of the email a delegate would get with them."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from events.audit import Actor, changes, log_action

from . import mime, registry, rendering
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


class PreviewUnavailable(Exception):
    """The kind cannot be previewed: it has no preview hook, or rendering it failed."""


@dataclass(frozen=True)
class Preview:
    subject: str
    html: str
    text: str
    to_email: str
    to_name: str
    language: str
    # True when the recipient and what the message is about are made up.
    sample: bool
    attachments: tuple[tuple[str, int], ...] = ()  # (file name, size in bytes)


@transaction.atomic
def save_message_template(
    *, actor: Actor, event, kind, subject="", intro=""
) -> MessageTemplate | None:
    """Keep the event's own texts for this kind; with both left empty, go back to the defaults.
    Logs the texts that changed, and nothing when none did."""
    subject, intro = subject.strip(), intro.strip()
    existing = MessageTemplate.objects.select_for_update().filter(event=event, kind=kind).first()
    template = existing or MessageTemplate(event=event, kind=kind)
    before = {"subject": template.subject, "intro": template.intro}
    if not subject and not intro:
        if existing:
            pk = existing.pk
            existing.delete()
            existing.pk = pk
            log_action(
                actor=actor,
                action="message_template.reset",
                obj=existing,
                event=event,
                data={"kind": kind},
            )
        return None
    template.subject = subject
    template.intro = intro
    template.full_clean()
    template.save()
    if diff := changes(before, template):
        log_action(
            actor=actor, action="message_template.saved", obj=template, data={"kind": kind, **diff}
        )
    return template


def preview_languages(event) -> list[str]:
    """The languages a preview may be shown in: the event's own first, then the others."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [event.language] + [code for code in codes if code != event.language]


def preview_message(*, event, kind, texts=None, language="") -> Preview:
    """The email of this kind as its preview subject (a real registrant or invitee of the
    event, else sample data) would get it now, in `language` (the event's by default); with
    `texts` ({"subject", "intro"}), as it would read with those texts. Nothing is saved: the
    message is rendered from an unsaved row."""
    definition = registry.get(kind)
    if definition.preview is None:
        raise PreviewUnavailable(_("There is no sample for this kind of message yet."))
    language = language if language in preview_languages(event) else event.language
    subject = definition.preview(event)
    message = Message(
        pk=0,
        event=event,
        kind=kind,
        language=language,
        to_email=subject.to_email,
        to_name=subject.to_name,
        context=dict(subject.context),
        unsubscribe_token="preview",  # noqa: S106 - not a secret: the preview's link leads nowhere
    )
    if subject.related is not None:
        message.related_object = subject.related
    custom = rendering.LOOK_UP
    if texts is not None:
        custom = MessageTemplate(event=event, kind=kind, **{k: v.strip() for k, v in texts.items()})
    try:
        email = rendering.render(message, custom=custom)
    except Exception as error:  # a kind's hook or templates may not fit this event
        logger.warning("No preview of %s for event %s", kind, event.pk, exc_info=True)
        raise PreviewUnavailable(
            _("This message could not be previewed: %(error)s") % {"error": error}
        ) from error
    return Preview(
        subject=email.subject,
        html=mime.html_for_display(email),
        text=email.body,
        to_email=subject.to_email,
        to_name=subject.to_name,
        language=language,
        sample=subject.sample,
        attachments=mime.attachment_sizes(email),
    )
