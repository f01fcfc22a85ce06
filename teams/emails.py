"""The email that invites a colleague to a team, registered with the outbox."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events import dates
from events.models import Membership
from notifications import registry
from notifications.services import enqueue

KIND = "team_invitation"


def join_url(token: str) -> str:
    return settings.SITE_URL + reverse("teams:join", args=[token])


def _context(message):
    invitation = message.related_object
    inviter = invitation.invited_by
    return {
        "team_name": invitation.team.name,
        "inviter_name": (inviter.get_full_name() or inviter.username) if inviter else "",
        "role": str(Membership.Role(invitation.role).label).lower(),
        "expires": dates.format_event_date(invitation.expires_at, "long"),
    }


registry.register(
    registry.MessageKind(
        name=KIND,
        transactional=True,  # it answers an owner's action, and carries a one-time link
        subject=_("Join {team_name} on Plenary"),
        template="teams/emails/team_invitation",
        context=_context,
        per_event=False,
    )
)


def send_invitation(invitation, token: str, *, language=""):
    """Queue the invitation's email in the current transaction. The link's token is only in
    this message: the invitation keeps its hash."""
    return enqueue(
        kind=KIND,
        dedupe_key=f"{KIND}:{invitation.pk}",
        related=invitation,
        to_email=invitation.email,
        language=language,
        context={"join_url": join_url(token)},
    )
