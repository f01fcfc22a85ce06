"""Answering an invitation: registering through its link, or declining it. One transaction each.

The token in the link is resolved here, never in registration: registering through an invitation
locks the invitation row, counts the seats its registrations hold, and hands
registration.services.register a validated InvitationGrant. The lock makes two people using one
mission's link at once take its seats one after the other, so the seats are never exceeded.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from events.services import TransitionNotAllowed
from registration import services as registration_services
from registration.models import Registration
from registration.services import InvitationGrant, RegistrationRefused

from . import selectors
from .models import Invitation

TOKEN_MAX_LENGTH = 200


def invitation_for_token(token: str, *, for_update=False) -> Invitation | None:
    """The invitation a link opens, or None for anything wrong: unknown, forged or revoked.

    The token is "<id>.<secret>"; the secret is compared in constant time.
    """
    if len(token or "") > TOKEN_MAX_LENGTH:
        return None
    invitation_id, _dot, secret = (token or "").partition(".")
    if not (invitation_id.isascii() and invitation_id.isdigit()) or not secret:
        return None
    invitations = Invitation.objects.select_related("event")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=int(invitation_id)).first()
    if invitation is None or not constant_time_compare(secret, invitation.secret):
        return None
    if invitation.status == Invitation.Status.REVOKED:
        return None
    return invitation


def _locking():
    """Off only in the test that shows the race the lock prevents."""
    return getattr(settings, "INVITATION_SEAT_LOCKING", True)


@transaction.atomic
def register_by_invitation(*, token: str, event, now=None, **fields) -> Registration:
    """Register someone for `event` through the invitation `token` opens.

    `fields` are registration.services.register's. Raises RegistrationRefused (409) when the
    token opens nothing, was declined, is for another event or has no seat left, and
    ValidationError when a personal invitation is used with another email address.
    """
    invitation = invitation_for_token(token, for_update=_locking())
    if invitation is None:
        raise RegistrationRefused(
            _("This invitation link is not valid. Please use the link in your invitation."),
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
    registration = registration_services.register(event=event, grant=grant, now=now, **fields)
    if invitation.status != Invitation.Status.REGISTERED:
        invitation.status = Invitation.Status.REGISTERED
        invitation.responded_at = now or timezone.now()
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
    return registration


def _locked(invitation) -> Invitation:
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


@transaction.atomic
def decline(*, invitation: Invitation, reason="", now=None) -> Invitation:
    """Decline the invitation with an optional word to the organizers; its link then registers
    nobody. Once someone has registered with it, their registration is what they cancel."""
    invitation = _locked(invitation)
    if invitation.status == Invitation.Status.DECLINED:
        raise TransitionNotAllowed(_("This invitation is already declined."))
    if invitation.status == Invitation.Status.REVOKED:
        raise TransitionNotAllowed(_("This invitation has been withdrawn."))
    if selectors.seats_used(invitation):
        raise TransitionNotAllowed(
            _(
                "Someone is already registered with this invitation. To withdraw, cancel the "
                "registration with the link in its confirmation email."
            )
        )
    invitation.status = Invitation.Status.DECLINED
    invitation.decline_reason = (reason or "").strip()
    invitation.responded_at = now or timezone.now()
    invitation.full_clean(exclude=["event", "sessions"])
    invitation.save(update_fields=["status", "decline_reason", "responded_at", "updated_at"])
    return invitation


@transaction.atomic
def revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw the invitation: its link opens nothing from now on. Registrations already made
    with it stay; the organizer cancels those separately if they must go."""
    invitation = _locked(invitation)
    if invitation.status == Invitation.Status.REVOKED:
        raise TransitionNotAllowed(_("This invitation is already withdrawn."))
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status", "updated_at"])
    return invitation
