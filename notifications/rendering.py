"""Turn an outbox row into the email its recipient reads: HTML with inlined CSS and plain text."""

import re

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from events import dates

from . import mime, registry
from .models import Message, MessageTemplate

PLACEHOLDER = re.compile(r"\{(\w+)\}")
BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
_inliner = css_inline.CSSInliner(keep_style_tags=True)


def salutation(*, honorific="", first_name="", last_name=""):
    """'Dear H.E. Ms. Zetterlund': protocol wants the honorific with the family name."""
    if last_name:
        name = (
            f"{honorific} {last_name}".strip() if honorific else f"{first_name} {last_name}".strip()
        )
        return _("Dear %(name)s") % {"name": isolated(name)}
    if first_name:
        return _("Dear %(name)s") % {"name": isolated(first_name)}
    return _("Dear colleague")


def isolated(text: str) -> str:
    """In a right-to-left language, `text` between Unicode's first-strong isolate and its pop,
    the plain-text <bdi>: a Latin name's dots and spaces then read in order in Arabic."""
    return f"\u2068{text}\u2069" if translation.get_language_bidi() else text


def fill_placeholders(text: str, values: dict) -> str:
    """Replace {name} with values[name]; anything else, including {unknown}, stays as typed.

    Organizers write these texts, so no attribute or index lookups as str.format would allow.
    """
    return PLACEHOLDER.sub(lambda match: str(values.get(match[1], match[0])), text or "")


def unsubscribe_url(message: Message) -> str:
    path = reverse("notifications:unsubscribe", args=[message.pk, message.unsubscribe_token])
    return settings.SITE_URL + path


def placeholder_values(message: Message, context: dict) -> dict:
    values = {
        key: value
        for key, value in context.items()
        if isinstance(value, str | int) and not key.startswith("_")
    }
    event = message.event
    if event is not None:
        local_start = event.local_starts_at
        values |= {
            "event_title": event.title,
            "event_date": dates.format_event_date(local_start),
            "event_time": dates.format_event_time(local_start) + " " + local_start.tzname(),
            "event_url": event.public_url,
            "venue": event.venue_name,
        }
    values["salutation"] = context["salutation"]
    return values


def build_context(message: Message, kind: registry.MessageKind) -> dict:
    context = {**message.context, **kind.context(message)}
    context.setdefault("first_name", "")
    context.setdefault("last_name", "")
    context.setdefault("honorific", "")
    context["salutation"] = salutation(
        honorific=context["honorific"],
        first_name=context["first_name"],
        last_name=context["last_name"],
    )
    context |= {
        "message": message,
        "event": message.event,
        "site_url": settings.SITE_URL,
        "recipient_name": message.to_name,
        "unsubscribe_url": "" if kind.transactional else unsubscribe_url(message),
    }
    return context


def custom_texts_for(messages) -> dict[tuple[int, str], MessageTemplate]:
    """The organizers' own subjects and intros for these messages, in one query."""
    events = {message.event_id for message in messages if message.event_id}
    kinds = {message.kind for message in messages}
    return {
        (texts.event_id, texts.kind): texts
        for texts in MessageTemplate.objects.filter(event_id__in=events, kind__in=kinds)
    }


LOOK_UP = object()


def render(message: Message, *, custom=LOOK_UP, markers=None) -> mime.Email:
    """The email as it goes out now, in the recipient's language, from the current data.

    `custom` is the event's MessageTemplate for this kind (or None); by default it is looked up.
    `markers` replace context values by name, for a batch's merge fields (see batching.py).
    """
    kind = registry.get(message.kind)
    with translation.override(message.language or settings.LANGUAGE_CODE):
        context = build_context(message, kind) | (markers or {})
        values = placeholder_values(message, context)
        if custom is LOOK_UP:
            custom = custom_texts_for([message]).get((message.event_id, message.kind))
        subject = fill_placeholders((custom and custom.subject) or str(kind.subject), values)
        context["subject"] = subject
        context["intro"] = (
            fill_placeholders(custom.intro, values) if custom and custom.intro else ""
        )
        # Template tags leave runs of blank lines; a reader wants one between paragraphs.
        text = (
            BLANK_LINES.sub("\n\n", render_to_string(f"{kind.template}.txt", context)).strip()
            + "\n"
        )
        html = _inliner.inline(render_to_string(f"{kind.template}.html", context))
        email = mime.Email(
            subject=" ".join(subject.split()),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address(message)],
            headers=recipient_headers(message, kind, context) | shared_headers(kind),
        )
        email.attach_alternative(html, "text/html")
        for attachment in kind.attachments(message):
            if attachment.content_id:
                email.attach(
                    mime.inline_part(
                        attachment.content,
                        attachment.mimetype,
                        content_id=attachment.content_id,
                        filename=attachment.filename,
                    )
                )
            else:
                email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email


def address(message) -> str:
    from email.headerregistry import Address

    if not message.to_name:
        return message.to_email
    username, _at, domain = message.to_email.rpartition("@")
    return str(Address(display_name=message.to_name, username=username, domain=domain))


def recipient_headers(message, kind, context) -> dict[str, str]:
    # Fixed when the row was made, so a resend after a crash is recognisably the same message.
    headers = {"Message-ID": message.message_id_header}
    if not kind.transactional:
        # RFC 8058 one-click unsubscribe; the URL answers a POST without a CSRF token.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
    return headers


def shared_headers(kind) -> dict[str, str]:
    if kind.transactional:
        return {}
    return {"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
