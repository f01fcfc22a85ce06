"""Answering an invitation: registering through its link, or declining it. One transaction each.

The token in the link is resolved here, never in registration: registering through an invitation
locks the invitation row, counts the seats its registrations hold, and hands
registration.services.register a validated InvitationGrant. The lock makes two people using one
mission's link at once take its seats one after the other, so the seats are never exceeded.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import dates
from events.audit import Actor, log_action
from events.services import TransitionNotAllowed
from events.tokens import TOKEN_MAX_LENGTH, object_for_token  # noqa: F401 - re-exported
from registration import services as registration_services
from registration.locking import bounded_transaction
from registration.models import Registration
from registration.services import InvitationGrant, RegistrationRefused

from .. import selectors
from ..models import Invitation


def invitation_for_token(token: str, *, for_update=False) -> Invitation | None:
    """The invitation a link opens, or None for an unknown or forged token.

    The token is "<id>.<secret>"; the secret is compared in constant time. A revoked or
    expired invitation is returned too, so its page can say so; closed_reason() tells.
    """
    invitations = Invitation.objects.select_related("event")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    return object_for_token(invitations, token, "secret")


def withdrawn_reason(invitation: Invitation, now=None) -> str | None:
    """Why the link no longer opens the invitation (revoked or expired), or None."""
    if invitation.status == Invitation.Status.REVOKED:
        return _("This invitation has been withdrawn.")
    if invitation.has_expired(now):
        expired = timezone.localtime(invitation.expires_at, invitation.event.tzinfo)
        return _("This invitation expired on %(date)s.") % {
            "date": dates.format_event_datetime(expired, "long") + " " + expired.tzname()
        }
    return None


def invitee_actor(invitation: Invitation) -> Actor:
    """The invitee acting through their link, as the log names them."""
    name = f"{invitation.first_name} {invitation.last_name}".strip()
    return Actor.attendee(name or invitation.organization_name or invitation.email)


def _locking():
    """Off only in the test that shows the race the lock prevents."""
    return getattr(settings, "INVITATION_SEAT_LOCKING", True)


@registration_services.sends_link_again  # once the refused transaction is over
@bounded_transaction()
def register_by_invitation(*, token: str, event, actor, now=None, **fields) -> Registration:
    """Register someone for `event` through the invitation `token` opens.

    `fields` are registration.services.register's. Raises RegistrationRefused (409) when the
    token opens nothing, was declined, revoked or has expired, is for another event or has no
    seat left, and ValidationError when a personal invitation is used with another address.
    """
    now = now or timezone.now()
    invitation = invitation_for_token(token, for_update=_locking())
    if invitation is None:
        raise RegistrationRefused(
            _("This invitation link is not valid. Please use the link in your invitation."),
            field="invitation_token",
        )
    if reason := withdrawn_reason(invitation, now):
        raise RegistrationRefused(
            reason
            + " "
            + _("Please write to %(email)s.") % {"email": invitation.event.contact_address},
            field="invitation_token",
        )
    if invitation.status == Invitation.Status.DECLINED:
        raise RegistrationRefused(
            _("This invitation has been declined. Please contact the organizers."),
            field="invitation_token",
        )
    grant = InvitationGrant(
        invitation_id=invitation.pk,
        event_id=invitation.event_id,
        seats_left=invitation.seats - selectors.seats_used(invitation),
        locked_email="" if invitation.transferable else invitation.email,
        session_ids=frozenset(invitation.sessions.values_list("pk", flat=True)),
    )
    if not fields.get("language") and invitation.language:
        fields["language"] = invitation.language
    registration = registration_services.register(
        event=event, grant=grant, actor=actor, now=now, **fields
    )
    # Whether it counts as registered is read from its registrations; only the first answer's
    # time is kept here.
    if invitation.responded_at is None:
        invitation.responded_at = now
        invitation.save(update_fields=["responded_at", "updated_at"])
    return registration


def _locked(invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=invitation.pk)
    )


def can_decline(invitation: Invitation, seats: "selectors.Seats") -> bool:
    """Whether the decline button is offered: an open invitation with nobody registered yet,
    or a mission's with seats left (declining those keeps the delegates registered)."""
    if seats.closed:
        return False
    return not seats.used or (invitation.transferable and seats.left_on_invitation > 0)


@transaction.atomic
def decline(*, actor: Actor, invitation: Invitation, reason="", now=None) -> Invitation:
    """Decline the invitation with an optional word to the organizers; its link then registers
    nobody. A mission's invitation may decline the seats it has left: the delegates already
    registered stay. Once a personal invitation is used, the registration is what is cancelled.
    """
    now = now or timezone.now()
    invitation = _locked(invitation)
    if invitation.status == Invitation.Status.DECLINED:
        raise TransitionNotAllowed(_("This invitation is already declined."))
    if withdrawn := withdrawn_reason(invitation, now):
        raise TransitionNotAllowed(withdrawn)
    used = selectors.seats_used(invitation)
    if used and not (invitation.transferable and used < invitation.seats):
        raise TransitionNotAllowed(
            _(
                "Someone is already registered with this invitation. To withdraw, cancel the "
                "registration with the link in its confirmation email."
            )
        )
    previous_status = invitation.status
    invitation.status = Invitation.Status.DECLINED
    invitation.decline_reason = (reason or "").strip()
    invitation.responded_at = invitation.responded_at or now
    invitation.full_clean(exclude=["event", "sessions", "contact"])
    invitation.save(update_fields=["status", "decline_reason", "responded_at", "updated_at"])
    data = {"status": {"from": previous_status, "to": invitation.status}}
    if invitation.decline_reason:
        data["decline_reason"] = {"from": "", "to": invitation.decline_reason}
    log_action(actor=actor, action="invitation.declined", obj=invitation, data=data)
    return invitation
