"""The organizer's guest list: invite people, correct an invitation, revoke it.

An address is invited once per event. The database says so (one_invitation_per_email), and
inviting writes with INSERT … ON CONFLICT DO NOTHING, so two organizers inviting the same list
at the same moment each get a clear answer: what they created, and what was already there.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from events.audit import Actor, changes, log_action, log_many, snapshot
from events.services import TransitionNotAllowed

from .. import selectors
from ..models import Contact, Invitation, new_invitation_secret

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
PERSONAL_FIELDS = (
    "honorific",
    "first_name",
    "last_name",
    "position",
    "organization_name",
    "country",
    "language",
)


@dataclass(frozen=True)
class Invitee:
    """Someone to invite, with what their invitation opens."""

    email: str
    honorific: str = ""
    first_name: str = ""
    last_name: str = ""
    position: str = ""
    organization_name: str = ""
    country: str = ""
    language: str = ""  # empty: the event's
    seats: int = 1
    transferable: bool = False
    session_ids: tuple[int, ...] = ()
    expires_at: datetime | None = None
    contact_id: int | None = None

    @classmethod
    def from_contact(cls, contact: Contact, **options) -> "Invitee":
        """A contact, in their preferred language, with the invitation's options."""
        return cls(
            email=contact.email,
            contact_id=contact.pk,
            # str(): a contact's country is a Country object; its text is the code.
            **{name: str(getattr(contact, name) or "") for name in PERSONAL_FIELDS},
            **options,
        )


class InviteesInvalid(Exception):
    """Some invitees cannot be invited; nothing was. `errors` maps each one's position in the
    request to {field: [messages]}."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]):
        super().__init__(f"{len(errors)} invitees cannot be invited")
        self.errors = errors


@dataclass
class InviteResult:
    created: list[Invitation] = field(default_factory=list)
    # Invited to this event before (or by someone else at the same moment): left as they are.
    existing: list[Invitation] = field(default_factory=list)


def seat_limit_error(event, seats: int) -> str | None:
    """Why the event can never honour an invitation with this many seats, or None."""
    limit = event.seats_per_organization
    if limit and seats > limit:
        return ngettext(
            "This event allows at most %(limit)d seat per organization, so an invitation "
            "with %(seats)d seats could never be used in full.",
            "This event allows at most %(limit)d seats per organization, so an invitation "
            "with %(seats)d seats could never be used in full.",
            limit,
        ) % {"limit": limit, "seats": seats}
    return None


def _max_length(name):
    return Invitation._meta.get_field(name).max_length


def _errors_of(invitee: Invitee, event, session_ids, now) -> dict[str, list[str]]:
    """What is wrong with one invitee, by field, checked without the database."""
    errors: dict[str, list[str]] = {}
    email = invitee.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    for name in ("email", *PERSONAL_FIELDS):
        if len(getattr(invitee, name) or "") > _max_length(name):
            errors.setdefault(name, []).append(
                _("At most %(count)d characters.") % {"count": _max_length(name)}
            )
    if invitee.country and not countries.alpha2(invitee.country):
        errors["country"] = [_("Give an ISO 3166-1 alpha-2 country code such as GH.")]
    if invitee.language and invitee.language not in LANGUAGE_CODES:
        errors["language"] = [
            _("Choose one of: %(codes)s.") % {"codes": ", ".join(sorted(LANGUAGE_CODES))}
        ]
    if invitee.seats < 1:
        errors["seats"] = [_("An invitation has at least one seat.")]
    elif invitee.seats > 1 and not invitee.transferable:
        errors["seats"] = [_("Only a transferable invitation can have more than one seat.")]
    elif message := seat_limit_error(event, invitee.seats):
        errors["seats"] = [message]
    if set(invitee.session_ids) - session_ids:
        errors["sessions"] = [_("Choose sessions of this event.")]
    if invitee.expires_at is not None and invitee.expires_at <= now:
        errors["expires_at"] = [_("Choose a time in the future.")]
    return errors


def _new_invitation(invitee: Invitee, event) -> Invitation:
    return Invitation(
        event=event,
        contact_id=invitee.contact_id,
        email=invitee.email.strip().lower(),
        **{name: (getattr(invitee, name) or "").strip() for name in PERSONAL_FIELDS},
        seats=invitee.seats,
        transferable=invitee.transferable,
        expires_at=invitee.expires_at,
        secret=new_invitation_secret(),
    )


def invite(*, actor: Actor, event, invitees: list[Invitee], now=None) -> InviteResult:
    """Create draft invitations to the event; an address already invited is left as it is and
    reported in `existing`. Checks every invitee first: with any wrong, it raises
    InviteesInvalid and creates nothing. The same address twice in one request counts once."""
    now = now or timezone.now()
    session_ids = set(event.sessions.values_list("pk", flat=True))
    errors = {}
    for index, invitee in enumerate(invitees):
        if problems := _errors_of(invitee, event, session_ids, now):
            errors[index] = problems
    if errors:
        raise InviteesInvalid(errors)
    new = {}
    for invitee in invitees:
        invitation = _new_invitation(invitee, event)
        new.setdefault(invitation.email, (invitation, invitee))
    with transaction.atomic():
        # A row whose address is invited already (or is being invited by a concurrent request,
        # which this insert waits for) is skipped, not an error.
        Invitation.objects.bulk_create(
            [invitation for invitation, _invitee in new.values()],
            ignore_conflicts=True,
            batch_size=1000,
        )
        stored = Invitation.objects.filter(event=event, email__in=list(new)).order_by()
        result = InviteResult()
        by_email = {invitation.email: invitation for invitation in stored}
        links = []
        for email, (mine, invitee) in new.items():
            invitation = by_email[email]
            if invitation.secret != mine.secret:
                result.existing.append(invitation)
                continue
            result.created.append(invitation)
            links += [
                Invitation.sessions.through(invitation_id=invitation.pk, session_id=session_id)
                for session_id in set(invitee.session_ids)
            ]
        Invitation.sessions.through.objects.bulk_create(links, batch_size=1000)
        log_many(
            actor=actor,
            action="invitation.created",
            objects=result.created,
            event=event,
            data=lambda invitation: {"email": invitation.email, "seats": invitation.seats},
        )
    return result


def _locked(invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=invitation.pk)
    )


EDITABLE_FIELDS = (
    "email",
    *PERSONAL_FIELDS,
    "seats",
    "transferable",
    "expires_at",
)


@transaction.atomic
def update_invitation(
    *, actor: Actor, invitation: Invitation, sessions=None, **fields
) -> Invitation:
    """The organizer corrects an invitation: the address of one that bounced, the names, the
    seats or the expiry. A corrected address has not bounced, so its delivery report is cleared;
    send the invitation again to reach it."""
    invitation = _locked(invitation)
    if invitation.status == Invitation.Status.REVOKED:
        raise TransitionNotAllowed(_("A withdrawn invitation cannot be changed."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    old_email = invitation.email
    before = snapshot(invitation, [*fields, *(["sessions"] if sessions is not None else [])])
    for name, value in fields.items():
        setattr(invitation, name, value.strip() if isinstance(value, str) else value)
    invitation.full_clean(exclude=["event", "sessions", "contact"], validate_unique=False)
    errors = {}
    if "seats" in fields:
        if message := seat_limit_error(invitation.event, invitation.seats):
            errors["seats"] = [message]
        elif invitation.seats < (used := selectors.seats_used(invitation)):
            errors["seats"] = [
                ngettext(
                    "%(count)d person is registered with it already.",
                    "%(count)d people are registered with it already.",
                    used,
                )
                % {"count": used}
            ]
    if sessions is not None and any(s.event_id != invitation.event_id for s in sessions):
        errors["sessions"] = [_("Choose sessions of this event.")]
    if errors:
        raise ValidationError(errors)
    if invitation.email != old_email:
        invitation.delivery = ""
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError(
            {
                "email": _("%(email)s is already invited to this event.")
                % {"email": invitation.email}
            }
        ) from None
    if sessions is not None:
        invitation.sessions.set(sessions)
    if diff := changes(before, invitation):
        log_action(actor=actor, action="invitation.updated", obj=invitation, data=diff)
    return invitation


@transaction.atomic
def revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Withdraw the invitation: its link opens a page that says so from now on. Registrations
    already made with it stay; the organizer cancels those separately if they must go."""
    invitation = _locked(invitation)
    if invitation.status == Invitation.Status.REVOKED:
        raise TransitionNotAllowed(_("This invitation is already withdrawn."))
    previous_status = invitation.status
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status", "updated_at"])
    log_action(
        actor=actor,
        action="invitation.revoked",
        obj=invitation,
        data={"status": {"from": previous_status, "to": invitation.status}},
    )
    return invitation
