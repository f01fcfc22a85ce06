"""Registering, and every change a registration goes through. One transaction each.

A registration's status moves only through these functions: pending → confirmed | waitlisted |
declined, waitlisted → confirmed (promotion), confirmed | pending | waitlisted → cancelled.
Seats are taken and given back in the same transaction, and a freed seat goes to the first
person waiting in that mode before the transaction commits.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from events import dates
from events.audit import Actor, changes, log_action, snapshot
from events.models import NOT_IN_DIRECTORY, Event, LogEntry
from events.selectors import directory_entry_named
from events.tokens import object_for_token
from notifications.models import Message

from . import capacity, emails, locking, reminders, tickets
from .models import AttendanceMode, Question, Registration
from .questions import validated_answers


class RegistrationRefused(Exception):
    """The request is well formed but the event's state does not allow it (HTTP 409)."""

    def __init__(self, reason, *, field=None):
        super().__init__(reason)
        self.reason = reason
        self.field = field


class _EmailTaken(Exception):
    """The insert met a unique constraint (one registration per email, or a ticket code the
    event has already); the transaction is aborted."""


class DuplicateRegistration(RegistrationRefused):
    """Registered already with this address; `sends_link_again` has sent its link again."""

    def __init__(self, existing):
        super().__init__(
            _(
                "This email address is already registered for this event. "
                "We have sent its link again."
            )
        )
        self.existing = existing


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


def sends_link_again(service):
    """Whoever registers twice with one address is sent the link of the registration they have,
    once their (refused) transaction is over, then refused."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except DuplicateRegistration as duplicate:
            remind_link(duplicate.existing)
            raise

    return wrapper


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
        _waitlist_or_refuse(registration, full)
        _written_as_waitlisted(registration, message, entry)


def _written_as_waitlisted(registration, message, entry):
    """Turn the rows _write wrote for a confirmed registration into a waitlisted one's."""
    registration.status, registration.confirmed_at = Registration.Status.WAITLISTED, None
    Registration.objects.filter(pk=registration.pk).update(
        status=registration.status, confirmed_at=None
    )
    item = emails.message_item(registration, "registration_waitlisted")
    Message.objects.filter(pk=message.pk).update(kind=item["kind"], dedupe_key=item["dedupe_key"])
    LogEntry.objects.filter(pk=entry.pk).update(data=entry.data | {"status": registration.status})


# The form field a refusal is shown on, by the kind of limit that refused.
REFUSED_FIELDS = {capacity.Limit.SESSION: "sessions"}


def _waitlist_or_refuse(registration, full: capacity.SeatsUnavailable) -> None:
    """Return when the registration waits for a seat (its mode is full and the event keeps a
    waitlist); any other full limit refuses it."""
    if full.kind is capacity.Limit.MODE and registration.event.waitlist_enabled:
        return
    raise RegistrationRefused(full.reason, field=REFUSED_FIELDS.get(full.kind)) from None


def _confirm_or_waitlist(registration, *, now):
    try:
        capacity.take_seats(registration)
    except capacity.SeatsUnavailable as full:
        _waitlist_or_refuse(registration, full)
        _set_status(registration, Registration.Status.WAITLISTED)
        emails.notify(registration, "registration_waitlisted")
        return
    _set_status(registration, Registration.Status.CONFIRMED, confirmed_at=now)
    emails.notify(registration, "registration_confirmed")


def _set_status(registration, status, **fields):
    registration.status = status
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", "updated_at", *fields])
    if status != Registration.Status.CONFIRMED:
        reminders.withdraw(registration=registration)


def _locked(registration) -> Registration:
    # Lock the registration row only: locking the joined event row as well would make every
    # new registration (whose insert takes a key-share lock on the event) wait on us, while we
    # wait on the seat counter it holds: a deadlock.
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )


@locking.bounded_transaction()
def approve(*, registration: Registration, actor: Actor, note="", now=None) -> Registration:
    """Approve a pending registration: it takes a seat, or waits for one if the mode is full."""
    registration = _locked(registration)
    if registration.status != Registration.Status.PENDING:
        raise RegistrationRefused(_("Only a registration awaiting approval can be approved."))
    registration.decision_note = note
    registration.save(update_fields=["decision_note", "updated_at"])
    _confirm_or_waitlist(registration, now=now or timezone.now())
    log_action(
        actor=actor,
        action="registration.approved",
        obj=registration,
        data={"status": registration.status, "note": note},
    )
    return registration


@locking.bounded_transaction()
def decline(*, registration: Registration, actor: Actor, note="") -> Registration:
    """Decline a pending or waitlisted registration, or withdraw a confirmed one's seat."""
    return _end(
        registration,
        Registration.Status.DECLINED,
        "registration_declined",
        actor=actor,
        action="registration.declined",
        decision_note=note,
    )


@locking.bounded_transaction()
def cancel(*, registration: Registration, actor: Actor, note="", now=None) -> Registration:
    """Cancel a registration; a confirmed seat goes to the next person waiting in that mode.

    `note` is the organizer's word to the registrant when they, not the attendee, cancel.
    """
    return _end(
        registration,
        Registration.Status.CANCELLED,
        "registration_cancelled",
        actor=actor,
        action="registration.cancelled",
        cancelled_at=now or timezone.now(),
        decision_note=note,
    )


def _end(registration, status, message_kind, *, actor, action, **fields) -> Registration:
    """Decline or cancel: give back a confirmed seat, tell the registrant, promote the next."""
    registration = _locked(registration)
    if registration.status not in Registration.ACTIVE_STATUSES:
        raise RegistrationRefused(
            _("This registration is already %(status)s.")
            % {"status": registration.get_status_display().lower()}
        )
    held_seat, before = registration.status == Registration.Status.CONFIRMED, registration.status
    if held_seat:
        capacity.release_seats(registration)
    _set_status(registration, status, **fields)
    emails.notify(registration, message_kind)
    note = fields.get("decision_note", "")
    log_action(actor=actor, action=action, obj=registration, data={"from": before, "note": note})
    if held_seat:
        promote_waitlist(event=registration.event, mode=registration.attendance_mode)
    return registration


@locking.bounded_transaction()
def switch_mode(*, registration: Registration, actor: Actor, attendance_mode) -> Registration:
    """Move a registration to the other attendance mode, only if that mode has a seat."""
    registration = _locked(registration)
    if attendance_mode == registration.attendance_mode:
        return registration
    if attendance_mode not in allowed_modes(registration.event):
        raise ValidationError(
            {
                "attendance_mode": _("This event has no %(mode)s attendance.")
                % {"mode": attendance_mode.replace("_", " ")}
            }
        )
    if registration.status not in Registration.ACTIVE_STATUSES:
        raise RegistrationRefused(_("A cancelled or declined registration cannot change."))
    old_mode = registration.attendance_mode
    if registration.status == Registration.Status.CONFIRMED:
        try:
            capacity.take_seats(registration, mode=attendance_mode)
        except capacity.SeatsUnavailable as full:
            raise RegistrationRefused(full.reason, field="attendance_mode") from None
        capacity.release_seats(registration, mode=old_mode)
    registration.attendance_mode = attendance_mode
    registration.save(update_fields=["attendance_mode", "updated_at"])
    log_action(
        actor=actor,
        action="registration.mode_switched",
        obj=registration,
        data={"attendance_mode": {"from": old_mode, "to": attendance_mode}},
    )
    if registration.status == Registration.Status.CONFIRMED:
        emails.notify(
            registration,
            "registration_confirmed",
            key=f"switch:{attendance_mode}:{registration.updated_at.timestamp()}",
        )
        promote_waitlist(event=registration.event, mode=old_mode)
    return registration


WAITLIST = Actor.system("waitlist")  # who promotes: nobody in person, the freed seat does


def promote_waitlist(*, event, mode, now=None) -> list[Registration]:
    """Confirm waiting people in order while seats last. Runs inside the freeing transaction;
    each promotion is logged as the system's."""
    promoted = []
    now = now or timezone.now()
    waiting = (
        Registration.objects.select_for_update()
        .filter(event=event, attendance_mode=mode, status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")
    )
    for registration in waiting:
        try:
            capacity.take_seats(registration)
        except capacity.SeatsUnavailable as full:
            if full.kind is capacity.Limit.MODE:
                break  # nobody further down fits either
            continue  # this person's organization or session is full; the next may fit
        _set_status(registration, Registration.Status.CONFIRMED, confirmed_at=now)
        emails.notify(registration, "registration_promoted")
        log_action(actor=WAITLIST, action="registration.promoted", obj=registration)
        promoted.append(registration)
    return promoted


@locking.bounded_transaction()
def update_details(*, registration: Registration, actor: Actor, **fields) -> Registration:
    """Correct a registrant's details; its status changes only by the transitions above.

    The seats an organization's share counts stay with the organization the seat was taken
    under (organization_key is not recomputed): a corrected spelling cannot free or overfill
    a share."""
    registration = _locked(registration)
    before = snapshot(registration, list(fields))
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.full_clean(exclude=["manage_secret", "ticket_code"])
    registration.save(update_fields=[*fields, "updated_at"])
    log_action(
        actor=actor,
        action="registration.updated",
        obj=registration,
        data=changes(before, registration),
    )
    return registration


def remind_link(registration: Registration, *, now=None) -> None:
    """Send the existing registrant their link again, at most once an hour."""
    hour = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    emails.notify(registration, "registration_link", key=f"{hour:%Y%m%d%H}")


def manage_token_registration(token: str) -> Registration | None:
    """The registration a manage link opens, or None; the secret is compared in constant time."""
    return object_for_token(Registration.objects.select_related("event"), token, "manage_secret")
