"""Reads for invitation pages and the API: seats still free, and an event's invitations."""

from django.db.models import Count, Exists, OuterRef, Q

from registration.models import Registration

from .models import Invitation

# Invitations that went out to their invitee, whatever happened next.
WENT_OUT = (
    Invitation.Status.SENT,
    Invitation.Status.DECLINED,
    Invitation.Status.REGISTERED,
    Invitation.Status.BOUNCED,
)

# Statuses whose link no longer lets anyone register.
CLOSED_STATUSES = (Invitation.Status.DECLINED, Invitation.Status.REVOKED)


def seats_used(invitation: Invitation) -> int:
    """Registrations made with the invitation that still stand; a cancelled or declined one
    frees its seat for another delegate."""
    return Registration.objects.active().filter(invitation_id=invitation.pk).count()


def seats_left(invitation: Invitation) -> int:
    """How many more people may register with the invitation's link now."""
    if invitation.status in CLOSED_STATUSES:
        return 0
    return max(invitation.seats - seats_used(invitation), 0)


def funnel(event) -> dict[str, int]:
    """How the event's invitations stand, as the stats endpoint reports them. "registered"
    counts invitations someone still stands registered with, whatever their status says."""
    standing = Registration.objects.active().filter(invitation_id=OuterRef("pk"))
    return (
        Invitation.objects.filter(event=event)
        .annotate(standing=Exists(standing))
        .aggregate(
            total=Count("id"),
            sent=Count("id", filter=Q(status__in=WENT_OUT)),
            declined=Count("id", filter=Q(status=Invitation.Status.DECLINED)),
            registered=Count("id", filter=Q(standing=True)),
        )
    )
