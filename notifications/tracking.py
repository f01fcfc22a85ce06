"""Delivery tracking: anymail's normalized webhook events update the outbox and suppression list."""

import hashlib

from django.db import IntegrityError, transaction

from events.audit import Actor

from .models import DeliveryEvent, Message, Suppression, normalize_email
from .services import suppress
from .signals import delivery_status_changed

# Later states win over earlier ones when events arrive out of order.
# Suppressions the ESP reports (bounces, complaints) are logged as its delivery reports.
DELIVERY_REPORTS = Actor.system("delivery reports")

DELIVERY_RANK = {
    Message.DeliveryStatus.DELIVERED: 1,
    Message.DeliveryStatus.OPENED: 2,
    Message.DeliveryStatus.CLICKED: 3,
    Message.DeliveryStatus.BOUNCED: 4,
    Message.DeliveryStatus.COMPLAINED: 5,
}
DELIVERY_STATUS_OF = {
    "delivered": Message.DeliveryStatus.DELIVERED,
    "opened": Message.DeliveryStatus.OPENED,
    "clicked": Message.DeliveryStatus.CLICKED,
    "bounced": Message.DeliveryStatus.BOUNCED,
    "rejected": Message.DeliveryStatus.BOUNCED,
    "complained": Message.DeliveryStatus.COMPLAINED,
}
SUPPRESSION_REASON_OF = {
    "bounced": Suppression.Reason.BOUNCED,
    "complained": Suppression.Reason.COMPLAINED,
    "unsubscribed": Suppression.Reason.UNSUBSCRIBED,
}


def _event_id(esp_name, event):
    if event.event_id:
        return f"{esp_name}:{event.event_id}"
    # Some ESPs give no id for some events; the same report always hashes the same.
    fingerprint = f"{event.message_id}|{event.event_type}|{event.timestamp}|{event.recipient}"
    return f"{esp_name}:{hashlib.sha256(fingerprint.encode()).hexdigest()}"


def record(*, esp_name: str, event) -> bool:
    """Store one anymail tracking event once; return False for a repeat delivery of it."""
    message = _message_of(event)
    try:
        with transaction.atomic():
            DeliveryEvent.objects.create(
                esp_event_id=_event_id(esp_name, event),
                message=message,
                event_type=event.event_type,
                recipient=normalize_email(event.recipient or ""),
                occurred_at=event.timestamp,
                description=event.description or event.reject_reason or "",
            )
            status = DELIVERY_STATUS_OF.get(event.event_type)
            if message is not None and _update_delivery_status(message, status):
                delivery_status_changed.send(
                    sender=Message, message=message, delivery_status=status
                )
            reason = SUPPRESSION_REASON_OF.get(event.event_type)
            if reason and (event.recipient or message):
                suppress(
                    actor=DELIVERY_REPORTS,
                    email=event.recipient or message.to_email,
                    reason=reason,
                    detail=event.description or "",
                    message=message,
                )
    except IntegrityError:
        return False
    return True


def _message_of(event) -> Message | None:
    """The outbox row an ESP event is about: by the id a batch send gave each recipient as
    metadata, else by the ESP's message id, which a batch shares between its recipients."""
    row_id = str((event.metadata or {}).get("plenary_message", ""))
    if (
        row_id.isascii()
        and row_id.isdigit()
        and (message := Message.objects.filter(pk=int(row_id)).first())
    ):
        return message
    if not event.message_id:
        return None
    candidates = Message.objects.filter(esp_message_id=str(event.message_id)).order_by("pk")
    if event.recipient and (
        message := candidates.filter(to_email=normalize_email(event.recipient)).first()
    ):
        return message
    # Without a matching address, only a message sent alone is surely the one meant.
    only = list(candidates[:2])
    return only[0] if len(only) == 1 else None


def _update_delivery_status(message, status) -> bool:
    """Move the message's delivery status on; return whether it moved."""
    if status is None:
        return False
    current = DELIVERY_RANK.get(message.delivery_status, 0)
    if DELIVERY_RANK[status] <= current:
        return False
    Message.objects.filter(pk=message.pk).update(delivery_status=status)
    message.delivery_status = status
    return True
