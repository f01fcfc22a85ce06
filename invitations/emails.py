"""The invitation and its reminder, registered with the outbox, and the fields of their messages.

Both kinds name their per-recipient fields, so a send of 10,000 is rendered once per batch and
leaves in a few ESP calls (notifications/batching.py). Everything else a template reads is the
same for a batch: the event, its hosts, the sessions and seats an invitation opens, its expiry.
Those are written into each message's context when it is queued, so invitations that differ in
them fall into different batches, and the templates only print the recipient's values, never
test them (a condition reads a flag the batch shares instead, e.g. names_organization).
"""

import copy

from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from events import dates
from events.models import EventHost
from events.selectors import hosts_phrase
from notifications import registry

from .models import Invitation

INVITATION = "invitation"
REMINDER = "invitation_reminder"

# Differ per invitee; printed as text only.
RECIPIENT_FIELDS = (
    "first_name",
    "last_name",
    "honorific",
    "organization_name",
    "invitation_url",
    "decline_url",
)
SAMPLE_TOKEN = "0.sample"  # noqa: S105 - not a secret: the preview's link opens nothing


def _hosts(event) -> str:
    return hosts_phrase(EventHost.objects.filter(event=event).select_related("organization"))


def _when(value, event) -> str:
    local = timezone.localtime(value, event.tzinfo)
    return dates.format_event_datetime(local) + " " + local.tzname()


def _context(message) -> dict:
    """What the templates read beyond the stored context: the organizers' contact address and
    the expiry as the event's clock shows it."""
    event = message.event
    expires_at = parse_datetime(message.context.get("expires_at") or "")
    return {
        "contact_email": event.contact_address,
        "expires": _when(expires_at, event) if expires_at else "",
    }


class SharedValues:
    """The values a batch shares, worked out once per event and language for a whole send."""

    def __init__(self, event):
        self.event = event
        self._hosts = {}
        self._sessions = {}

    def hosts(self, language) -> str:
        if language not in self._hosts:
            with translation.override(language):
                self._hosts[language] = _hosts(self.event)
        return self._hosts[language]

    def sessions(self, invitation_ids) -> dict[int, list[str]]:
        """The sessions each invitation opens, by title, for the given invitations."""
        through = Invitation.sessions.through.objects.filter(invitation_id__in=invitation_ids)
        titles = {}
        for invitation_id, title in through.order_by("session__starts_at").values_list(
            "invitation_id", "session__title"
        ):
            titles.setdefault(invitation_id, []).append(title)
        return titles


def message_fields(invitation, *, kind, dedupe_key, shared: SharedValues, sessions) -> dict:
    """What notifications.enqueue_many needs to send `kind` about this invitation."""
    language = invitation.language or invitation.event.language
    return {
        "kind": kind,
        "dedupe_key": dedupe_key,
        "event": invitation.event,
        "related": invitation,
        "to_email": invitation.email,
        "to_name": " ".join(p for p in (invitation.first_name, invitation.last_name) if p)
        or invitation.organization_name,
        "language": language,
        "context": {
            "first_name": invitation.first_name,
            "last_name": invitation.last_name,
            "honorific": invitation.honorific,
            "organization_name": invitation.organization_name,
            "invitation_url": invitation.link,
            "decline_url": invitation.decline_link,
            # Shared by a batch: invitations that differ in these go out in different batches.
            "hosts": shared.hosts(language),
            "seats": invitation.seats,
            "transferable": invitation.transferable,
            # Whether the email names the mission it is for. A template may not test a
            # recipient's own value (a merge field is never empty), so it tests this.
            "names_organization": bool(invitation.transferable and invitation.organization_name),
            "sessions": sessions,
            "expires_at": invitation.expires_at.isoformat() if invitation.expires_at else "",
        },
    }


# A preview's sample invitee when the event has invited nobody yet.
SAMPLE_INVITEE = {
    "email": "kristina.zetterlund@mission-of-sweden.example",
    "honorific": "Ms.",
    "first_name": "Kristina",
    "last_name": "Zetterlund",
    "position": "Counsellor, Civilian Adviser",
    "organization_name": "Permanent Mission of Sweden",
    "country": "SE",
}


def preview_invitee(event) -> registry.PreviewSubject:
    """The event's latest invitation, copied with a link that opens nothing, or a sample one."""
    latest = (
        Invitation.objects.filter(event=event)
        .exclude(status=Invitation.Status.REVOKED)
        .order_by("-created_at", "-pk")
        .first()
    )
    invitation = copy.copy(latest) if latest else Invitation(event=event, **SAMPLE_INVITEE)
    invitation.event = event
    invitation.pk = invitation.pk or 0
    invitation.secret = SAMPLE_TOKEN.partition(".")[2]
    sessions = SharedValues(event).sessions([latest.pk]).get(latest.pk, []) if latest else []
    fields = message_fields(
        invitation, kind=INVITATION, dedupe_key="preview", shared=SharedValues(event),
        sessions=sessions,
    )  # fmt: skip
    return registry.PreviewSubject(
        to_email=fields["to_email"],
        to_name=fields["to_name"],
        related=invitation,
        context=fields["context"],
        sample=latest is None,
    )


def _private_values(message) -> list[str]:
    """The invitation's secret opens it by itself: masked where organizers read a message."""
    invitation = message.related_object
    return [invitation.secret] if isinstance(invitation, Invitation) else []


registry.register(
    registry.MessageKind(
        name=INVITATION,
        transactional=False,  # the invitee did not ask for it: unsubscribe and suppression apply
        subject=_("Invitation: {event_title}"),
        template="invitations/emails/invitation",
        context=_context,
        recipient_fields=RECIPIENT_FIELDS,
        preview=preview_invitee,
        private_values=_private_values,
    )
)
registry.register(
    registry.MessageKind(
        name=REMINDER,
        transactional=False,
        subject=_("Reminder: invitation to {event_title}"),
        template="invitations/emails/reminder",
        context=_context,
        recipient_fields=RECIPIENT_FIELDS,
        preview=preview_invitee,
        private_values=_private_values,
    )
)
