"""Reads for invitation pages and the API: how many of an invitation's seats are still free."""

from registration.models import Registration

from .models import Invitation

# Statuses whose link no longer lets anyone register.
CLOSED_STATUSES = (Invitation.Status.DECLINED, Invitation.Status.REVOKED)


def seats_used(invitation: Invitation) -> int:
    """Registrations made with the invitation that still stand; a cancelled one frees its seat."""
    return (
        Registration.objects.filter(invitation_id=invitation.pk)
        .exclude(status=Registration.Status.CANCELLED)
        .count()
    )


def seats_left(invitation: Invitation) -> int:
    """How many more people may register with the invitation's link now."""
    if invitation.status in CLOSED_STATUSES:
        return 0
    return max(invitation.seats - seats_used(invitation), 0)
