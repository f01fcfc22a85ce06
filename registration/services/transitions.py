"""A registration's changes after registering: approve, decline, cancel, switch mode, promote
from the waitlist, correct details. One transaction each, under the registration's row lock."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from events.audit import Actor, changes, log_action, snapshot

from .. import capacity, emails, locking, reminders
from ..models import Registration
from .refusals import RegistrationRefused, waitlist_or_refuse
from .registering import allowed_modes


def _confirm_or_waitlist(registration, *, now):
    try:
        capacity.take_seats(registration)
    except capacity.SeatsUnavailable as full:
        waitlist_or_refuse(registration, full)
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
