"""Registering: everything is checked before one transaction writes the registration, its
sessions, its message and its log entry, and takes its seats last."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from events import dates
from events.audit import Actor, log_action
from events.models import NOT_IN_DIRECTORY, Event, LogEntry
from events.selectors import directory_entry_named

from .. import capacity, emails, locking, tickets
from ..models import AttendanceMode, Question, Registration
from ..questions import validated_answers
from .refusals import (
    DuplicateRegistration,
    RegistrationRefused,
    sends_link_again,
    waitlist_or_refuse,
)


class _EmailTaken(Exception):
    """The insert met a unique constraint (one registration per email, or a ticket code the
    event has already); the transaction is aborted."""


@dataclass(frozen=True)
class InvitationGrant:
    """What a valid invitation allows, resolved by the invitations app before registering."""

    invitation_id: int
    event_id: int
    seats_left: int
    locked_email: str = ""  # a personal invitation may only be used by its own address
    session_ids: frozenset = field(default_factory=frozenset)  # invitation-only sessions it opens


def allowed_modes(event) -> list[str]:
    if event.format == Event.Format.HYBRID:
        return [AttendanceMode.IN_PERSON, AttendanceMode.VIRTUAL]
    if event.format == Event.Format.VIRTUAL:
        return [AttendanceMode.VIRTUAL]
    return [AttendanceMode.IN_PERSON]


def registration_is_open(event, now=None):
    """None when open, else the reason it is not, in words for the registrant."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("This event has been cancelled.")
    if event.status != Event.Status.PUBLISHED:
        return _("This event is not open for registration.")
    if event.has_ended(now):
        return _("This event has already taken place.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens on %(date)s.") % {
            "date": dates.format_event_datetime(
                event.registration_opens_at, "long", zone=event.tzinfo
            )
            + " "
            + timezone.localtime(event.registration_opens_at, event.tzinfo).tzname()
        }
    if event.registration_closes_at and now >= event.registration_closes_at:
        return _("Registration has closed.")
    return None


def _validated_sessions(event, session_ids, grant):
    if not session_ids:
        return []
    sessions = list(event.sessions.filter(pk__in=session_ids))
    if len(sessions) != len(set(session_ids or [])):
        raise ValidationError({"sessions": _("Choose sessions of this event.")})
    closed = [
        s.title for s in sessions if s.invitation_only and not (grant and s.pk in grant.session_ids)
    ]
    if closed:
        raise ValidationError(
            {"sessions": _("“%(title)s” is by invitation only.") % {"title": closed[0]}}
        )
    return sessions


def _validated_mode(event, mode):
    modes = allowed_modes(event)
    if not mode and len(modes) == 1:
        return modes[0]
    if not mode:
        raise ValidationError({"attendance_mode": _("Choose to attend in person or online.")})
    if mode not in modes:
        raise ValidationError(
            {
                "attendance_mode": _("This event has no %(mode)s attendance.")
                % {"mode": mode.replace("_", " ")}
            }
        )
    return mode


def _directory_organization(organization, organization_name):
    """The registrant's directory entry and organization name.

    A name typed exactly as an entry's is that entry, so whoever picks "Permanent Mission of
    Ghana" from the suggestions and whoever types it share its seats_per_organization.
    """
    organization_name = organization_name.strip()
    if organization is not None:
        if organization.is_team:
            raise ValidationError({"organization": NOT_IN_DIRECTORY})
        return organization, organization_name or organization.name
    if organization_name:
        return directory_entry_named(organization_name), organization_name
    return None, organization_name


@sends_link_again
def register(
    *,
    actor: Actor,
    event: Event,
    email,
    first_name,
    last_name,
    consent,
    attendance_mode="",
    honorific="",
    position="",
    organization_name="",
    organization=None,
    country="",
    sessions=(),
    answers=None,
    language="",
    time_zone="",
    grant: InvitationGrant | None = None,
    questions: list[Question] | None = None,
    now=None,
) -> Registration:
    """Register someone, confirming, waitlisting or holding them for approval as the event says.

    `event` is read in the caller's request; `questions` are its questions when the caller has
    them (the form it validated, selectors.event_to_register_for), else they are read here.
    Everything is checked before the transaction opens; its writes (the seat, the registration,
    its sessions and its message) commit together or not at all. Raises DuplicateRegistration
    (having sent the existing registration's link again) for an address registered already.
    """
    now = now or timezone.now()
    if questions is None:
        questions = list(Question.objects.filter(event=event))
    if reason := registration_is_open(event, now):
        raise RegistrationRefused(reason)
    if event.visibility == Event.Visibility.INVITATION_ONLY and grant is None:
        raise RegistrationRefused(_("This event is by invitation only."))
    if grant is not None:
        if grant.event_id != event.pk:
            raise RegistrationRefused(_("This invitation is for another event."))
        if grant.seats_left < 1:
            raise RegistrationRefused(_("All the seats of this invitation are taken."))
        if grant.locked_email and grant.locked_email.lower() != email.strip().lower():
            raise ValidationError(
                {
                    "email": _(
                        "This invitation is personal: register with the address it was sent to."
                    )
                }
            )
    if consent is not True:
        raise ValidationError(
            {"consent": _("Registration needs your consent to store these details.")}
        )
    mode = _validated_mode(event, attendance_mode)
    chosen_sessions = _validated_sessions(event, sessions, grant)
    cleaned_answers = validated_answers(questions, answers)
    organization, organization_name = _directory_organization(organization, organization_name)

    email = email.strip().lower()
    registration = Registration(
        event=event,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        honorific=honorific.strip(),
        position=position.strip(),
        organization_name=organization_name,
        organization=organization,
        country=country,
        attendance_mode=mode,
        status=Registration.Status.PENDING,
        language=language or event.language,
        timezone=time_zone,
        answers=cleaned_answers,
        consent_at=now,
        invitation_id=grant.invitation_id if grant else None,
    )
    registration.organization_key = capacity.organization_key(registration)
    # The database checks the keys and the one-registration-per-email constraint on insert;
    # asking it first as well would double the round trips of the busiest request.
    registration.full_clean(
        exclude=["manage_secret", "ticket_code", "event", "organization", "country"],
        validate_unique=False,
        validate_constraints=False,
    )
    if country and not countries.alpha2(country):  # cheaper than the field's 250 choices
        raise ValidationError({"country": _("Choose a country from the list.")})
    for _attempt in range(TICKET_CODE_ATTEMPTS):
        try:
            with locking.bounded_transaction():
                _write(registration, chosen_sessions, actor=actor, now=now)
        except _EmailTaken:
            # Registered before, or twice at once; the rollback gave back the seat just taken.
            existing = (
                Registration.objects.filter(event=event, email=email)
                .exclude(status=Registration.Status.CANCELLED)
                .first()
            )
            if existing is not None:
                raise DuplicateRegistration(existing) from None
            if not _ticket_code_taken(registration):
                # Another constraint: the event or its invitation went meanwhile.
                break
            registration.ticket_code = tickets.new_ticket_code()
        else:
            return registration
    raise RegistrationRefused(_("Your registration could not be saved. Please try again."))


# A ten-character code is drawn again when another registrant of the event holds it already:
# rare (45 random bits), so asked only after the insert was refused.
TICKET_CODE_ATTEMPTS = 3


def _ticket_code_taken(registration):
    return Registration.objects.filter(
        event=registration.event, ticket_code=registration.ticket_code
    ).exists()


def _write(registration, sessions, *, actor, now):
    """Insert the registration, its sessions, its message and its log entry, and take its seats
    last, inside register's transaction.

    Every registration of the event waits on the seat counter row; taken last, it is held only
    from its UPDATE to the commit (under a rush a holder that the CPU scheduler pauses holds up
    everyone behind it). So the rows are written as most registrations end, confirmed (or
    pending when the event asks for approval), and turned into a waitlisted one's when the mode
    is full.
    """
    pending = registration.event.requires_approval
    registration.status = Registration.Status.PENDING if pending else Registration.Status.CONFIRMED
    registration.confirmed_at = None if pending else now
    try:
        # No savepoint: a duplicate aborts the whole transaction, which is rolled back anyway.
        registration.save()
    except IntegrityError:
        raise _EmailTaken from None
    if sessions:
        registration.sessions.set(sessions)
    message = emails.notify(
        registration, "registration_pending" if pending else "registration_confirmed"
    )
    entry = log_action(
        actor=actor,
        action="registration.created",
        obj=registration,
        data={"status": registration.status, "attendance_mode": registration.attendance_mode},
    )
    if pending:
        return
    try:
        capacity.take_seats(registration, sessions=sessions)
    except capacity.SeatsUnavailable as full:
        waitlist_or_refuse(registration, full)
        _written_as_waitlisted(registration, message, entry)


def _written_as_waitlisted(registration, message, entry):
    """Turn the rows _write wrote for a confirmed registration into a waitlisted one's.

    Once a popular event is full, every registration after comes this way: the three UPDATEs
    are written out (as capacity.py's seat statements are), each a fraction of the ORM's CPU.
    """
    registration.status, registration.confirmed_at = Registration.Status.WAITLISTED, None
    item = emails.message_item(registration, "registration_waitlisted")
    message.kind, message.dedupe_key = item["kind"], item["dedupe_key"]
    entry.data = entry.data | {"status": registration.status}
    data = LogEntry._meta.get_field("data").get_db_prep_save(entry.data, connection)
    with connection.cursor() as cursor:
        cursor.execute(_WAITLISTED, [registration.status, registration.pk])
        cursor.execute(_MESSAGE_KIND, [message.kind, message.dedupe_key, message.pk])
        cursor.execute(_LOG_DATA, [data, entry.pk])


_WAITLISTED = "UPDATE registration_registration SET status = %s, confirmed_at = NULL WHERE id = %s"
_MESSAGE_KIND = "UPDATE notifications_message SET kind = %s, dedupe_key = %s WHERE id = %s"
_LOG_DATA = "UPDATE events_logentry SET data = %s WHERE id = %s"
