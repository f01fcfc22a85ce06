"""The follow-up to invited guests who never registered, in their own words.

Registration knows nothing of invitations: when the organizer includes invitees in the
follow-up, registration sends `followup_requested` and this receiver starts a fan-out job that
writes `followup_invited` to every invitee whose invitation went out (not revoked, declined or
bounced) and who has no registration on the event, by address or through the invitation, and
is not suppressed. It lists only the material for everyone. Each invitee gets it once
(`followup:invitation:<id>`), and it batches like the registrants' follow-ups.
"""

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import jobs, registry
from notifications.models import Message, Suppression
from registration.followup import NAME_FIELDS, followup_context, followup_requested
from registration.models import Registration

from .emails import preview_invitee
from .models import Invitation

KIND = Message.Kind.FOLLOWUP_INVITED
# An invitation that never went out or whose invitee said no, and addresses that cannot be
# reached or asked not to be written to.
NOT_FOLLOWED_UP = (
    Invitation.Status.DRAFT,
    Invitation.Status.DECLINED,
    Invitation.Status.REVOKED,
)
UNREACHABLE = (Invitation.Delivery.BOUNCED, Invitation.Delivery.COMPLAINED)


def _context(message):
    return followup_context(message) | {
        "unsubscribe_reason": _("You receive this because you were invited to this event."),
    }


registry.register(
    registry.MessageKind(
        name=KIND,
        transactional=False,
        subject=gettext_lazy("In case you missed it: {event_title}"),
        template="invitations/emails/followup_invited",
        context=_context,
        recipient_fields=NAME_FIELDS,
        preview=preview_invitee,
    )
)


def dedupe_key(invitation_id) -> str:
    return f"followup:invitation:{invitation_id}"


def recipients(event):
    """Invitees of the event who never registered and have not had a follow-up."""
    registered = Registration.objects.filter(event=event).filter(
        Q(email=OuterRef("email")) | Q(invitation_id=OuterRef("pk"))
    )
    return (
        Invitation.objects.filter(event=event)
        .exclude(status__in=NOT_FOLLOWED_UP)
        .exclude(delivery__in=UNREACHABLE)
        .exclude(Exists(registered))
        .exclude(Exists(Suppression.objects.filter(email=OuterRef("email"))))
        .annotate(
            followup_key=Concat(
                Value(dedupe_key("")), Cast("pk", CharField()), output_field=CharField()
            )
        )
        .exclude(Exists(Message.objects.filter(dedupe_key=OuterRef("followup_key"))))
    )


def _chunks(job, size):
    event = job.event
    remaining = recipients(event).only("pk", "email", "first_name", "last_name", "language")
    last_id = 0
    while batch := list(remaining.filter(pk__gt=last_id).order_by("pk")[:size]):
        last_id = batch[-1].pk
        yield [
            {
                "kind": KIND,
                "dedupe_key": dedupe_key(invitation.pk),
                "event": event,
                "related": invitation,
                "to_email": invitation.email,
                "to_name": f"{invitation.first_name} {invitation.last_name}".strip(),
                "language": invitation.language or event.language,
            }
            for invitation in batch
        ]


jobs.register(
    jobs.Fanout(
        name="followup_invited",
        describe=lambda job: _("Sending the follow-up to invited guests who did not register"),
        count=lambda job: recipients(job.event).count(),
        chunks=_chunks,
    )
)


@receiver(followup_requested, dispatch_uid="invitations.followup_requested")
def on_followup_requested(sender, event, requested_by=None, count_only=False, **kwargs) -> int:
    """Start the invitees' follow-up in the organizer's transaction (or only count them);
    return how many it reaches."""
    count = recipients(event).count()
    if not count_only:
        jobs.start(name="followup_invited", event=event, requested_by=requested_by)
    return count
