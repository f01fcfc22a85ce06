"""Invitations' answers to the outbox's delivery reports (see notifications.signals)."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

from events.audit import Actor, log_action
from notifications.models import Message
from notifications.signals import delivery_status_changed

from .models import Invitation

# The ESP's report on a message, as the invitation it is about shows it.
DELIVERY_OF = {
    Message.DeliveryStatus.DELIVERED: Invitation.Delivery.DELIVERED,
    Message.DeliveryStatus.OPENED: Invitation.Delivery.OPENED,
    Message.DeliveryStatus.CLICKED: Invitation.Delivery.OPENED,
    Message.DeliveryStatus.BOUNCED: Invitation.Delivery.BOUNCED,
    Message.DeliveryStatus.COMPLAINED: Invitation.Delivery.COMPLAINED,
}
# Reports an organizer must act on (correct the address, stop writing) are logged; deliveries
# and opens are not: the guest list shows them and they would drown the log.
LOGGED = {Invitation.Delivery.BOUNCED, Invitation.Delivery.COMPLAINED}
DELIVERY_REPORTS = Actor.system("delivery reports")

# Later reports win over earlier ones, as they do on the message.
RANK = {
    "": 0,
    Invitation.Delivery.DELIVERED: 1,
    Invitation.Delivery.OPENED: 2,
    Invitation.Delivery.BOUNCED: 3,
    Invitation.Delivery.COMPLAINED: 4,
}


@receiver(delivery_status_changed, dispatch_uid="invitations.delivery_status_changed")
def on_delivery_status_changed(sender, message, delivery_status, **kwargs):
    """Set delivered, opened, bounced or complained on the invitation the message is about,
    unless its address was corrected since (a late bounce of the old address is not news)."""
    if message.related_type_id != ContentType.objects.get_for_model(Invitation).pk:
        return
    delivery = DELIVERY_OF.get(delivery_status)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(pk=message.related_id, email=message.to_email)
        .first()
    )
    if delivery is None or invitation is None or RANK[delivery] <= RANK[invitation.delivery]:
        return
    previous = invitation.delivery
    invitation.delivery = delivery
    invitation.save(update_fields=["delivery", "updated_at"])
    if delivery in LOGGED:
        log_action(
            actor=DELIVERY_REPORTS,
            action=f"invitation.{delivery}",
            obj=invitation,
            data={"delivery": {"from": previous, "to": delivery}, "email": invitation.email},
        )
