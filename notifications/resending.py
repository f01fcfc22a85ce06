"""An organizer sends a message again.

A failed message is queued again as it is (the same row, the same Message-ID: it never
reached anyone). A message that was sent, suppressed or cancelled is copied into a new outbox
row, to the same recipient about the same object, with a dedupe key of its own
(`resend:<original id>:<nonce>`). The copy gets its own Message-ID on purpose: a resend asked for
because someone cannot find the email must not be folded into the one they lost. The nonce comes
from the confirmation form, so a double click sends one copy.
"""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from events.audit import Actor, log_action

from . import registry, services
from .models import Message, Suppression

NONCE = re.compile(r"^[0-9a-f]{32}$")


class MessageNotResendable(Exception):
    pass


def resend_key(message, nonce) -> str:
    return f"resend:{message.pk}:{nonce}"


def resends_of(message):
    """The copies made of this message, newest first."""
    return Message.objects.filter(dedupe_key__startswith=f"resend:{message.pk}:").order_by(
        "-created_at", "-id"
    )


@transaction.atomic
def resend(*, actor: Actor, message: Message, nonce: str) -> Message:
    """Send the message again; return the row that will carry it (see the module's docstring)."""
    if not NONCE.match(nonce or ""):
        raise MessageNotResendable(_("The confirmation expired. Open the message and try again."))
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status == Message.Status.FAILED:
        return services.retry(actor=actor, message=message)
    if message.status in (Message.Status.PENDING, Message.Status.SENDING):
        raise MessageNotResendable(_("This message is still being sent."))
    kind = registry.get(message.kind)
    if not kind.transactional:
        suppression = Suppression.objects.filter(email=message.to_email).first()
        if suppression is not None:
            raise MessageNotResendable(
                _("%(email)s gets no more of these messages: %(reason)s.")
                % {"email": message.to_email, "reason": suppression.get_reason_display().lower()}
            )
    related = message.related_object if message.related_type_id else None
    if message.related_type_id and related is None:
        raise MessageNotResendable(
            _("What this message was about no longer exists, so it cannot be sent again.")
        )
    copy = services.enqueue(
        kind=message.kind,
        dedupe_key=resend_key(message, nonce),
        event=message.event,
        related=related,
        to_email=message.to_email,
        to_name=message.to_name,
        language=message.language,
        context=message.context,
    )
    log_action(
        actor=actor,
        action="message.resent",
        obj=message,
        data={"kind": message.kind, "to": message.to_email, "new_message": copy.pk},
    )
    return copy
