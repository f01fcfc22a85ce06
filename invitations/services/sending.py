"""Sending invitations and reminding those who have not answered, through the outbox.

Each invitation sent is an outbox row written in the same transaction that marks it sent, with a
dedupe key of its own (`invitation:<id>:<n>` for its n-th sending), so nothing is lost or sent
twice. A large send is written in chunks by a Celery job: the organizer's request only counts
and queues it, and the job, safe to run twice, sends what is still a draft.
"""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from events.audit import Actor, log_action, log_many
from events.models import Event
from events.services import TransitionNotAllowed
from notifications.models import Message
from notifications.services import enqueue_many

from .. import emails, selectors
from ..models import Invitation, ReminderSchedule

logger = logging.getLogger(__name__)

CHUNK = 500  # invitations per transaction: one INSERT of their messages each
INLINE_LIMIT = 200  # up to this many go out within the request; more are handed to a job


def _chunks(ids, size=CHUNK):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _sendable(event, now):
    """Drafts whose link has not expired."""
    return (
        Invitation.objects.filter(event=event, status=Invitation.Status.DRAFT)
        .exclude(expires_at__lte=now)
        .order_by("pk")
    )


def _check_event_can_send(event):
    if event.status != Event.Status.PUBLISHED:
        raise TransitionNotAllowed(
            _("Publish the event before sending invitations: their links open its page.")
            if event.status == Event.Status.DRAFT
            else _("This event is cancelled; its invitations can no longer be sent.")
        )


def _hand_over(task, ids, actor: Actor, **arguments):
    """Run `task` on `ids` in a worker once the caller commits, or here if the broker is down.
    The job logs its work in the name of `actor`, who asked for it."""
    arguments["actor"] = actor.as_json()

    def queue():
        try:
            task.apply_async(kwargs={"invitation_ids": ids, **arguments}, retry=False)
        except Exception:
            logger.warning("Could not queue the job; running it in the request.", exc_info=True)
            task.run(invitation_ids=ids, **arguments)

    transaction.on_commit(queue)


def send_invitations(*, actor: Actor, event, ids=None, all_drafts=False, now=None) -> int:
    """Send the event's drafts among `ids` (or all of them); return how many are queued.

    Up to INLINE_LIMIT go out now; more are written by a Celery job so the request returns at
    once. Invitations that are not drafts (or have expired) are left as they are.
    """
    from .. import tasks

    _check_event_can_send(event)
    now = now or timezone.now()
    drafts = _sendable(event, now)
    if not all_drafts:
        drafts = drafts.filter(pk__in=ids or [])
    ids = list(drafts.values_list("pk", flat=True))
    if len(ids) <= INLINE_LIMIT:
        return send_chunks(actor=actor, event=event, invitation_ids=ids, now=now)
    _hand_over(tasks.send_invitations, ids, actor, event_id=event.pk)
    return len(ids)


def send_chunks(*, actor: Actor, event, invitation_ids, now=None) -> int:
    """Send those of these invitations that are still drafts, CHUNK at a time, each chunk in
    its own transaction; return how many were sent. Safe to run twice."""
    shared = emails.SharedValues(event)
    sent = 0
    for chunk in _chunks(invitation_ids):
        sent += _send_chunk(actor, event, chunk, shared, now or timezone.now())
    return sent


@transaction.atomic
def _send_chunk(actor, event, ids, shared, now) -> int:
    invitations = list(
        _sendable(event, now)
        .filter(pk__in=ids)
        .select_for_update(of=("self",))
        .select_related("event")
    )
    if not invitations:
        return 0
    pks = [invitation.pk for invitation in invitations]
    Invitation.objects.filter(pk__in=pks).update(
        status=Invitation.Status.SENT,
        times_sent=F("times_sent") + 1,
        sent_at=now,
        delivery="",
        updated_at=now,
    )
    sessions = shared.sessions(pks)
    enqueue_many(
        [
            emails.message_fields(
                invitation,
                kind=emails.INVITATION,
                dedupe_key=f"invitation:{invitation.pk}:{invitation.times_sent + 1}",
                shared=shared,
                sessions=sessions.get(invitation.pk, []),
            )
            for invitation in invitations
        ]
    )
    log_many(
        actor=actor,
        action="invitation.sent",
        objects=invitations,
        event=event,
        data=lambda invitation: {"times_sent": invitation.times_sent + 1},
    )
    return len(invitations)


@transaction.atomic
def resend(*, actor: Actor, invitation: Invitation, now=None) -> Invitation:
    """Send the invitation again, e.g. to the corrected address of one that bounced. Its link
    stays the same; a declined, withdrawn or expired invitation is not sent."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=invitation.pk)
    )
    _check_event_can_send(invitation.event)
    if invitation.status in selectors.CLOSED_STATUSES:
        raise TransitionNotAllowed(_("A declined or withdrawn invitation is not sent again."))
    if invitation.has_expired(now):
        raise TransitionNotAllowed(
            _("This invitation has expired: set a later expiry before sending it again.")
        )
    previous_status = invitation.status
    invitation.status = Invitation.Status.SENT
    invitation.times_sent += 1
    invitation.sent_at = now
    invitation.delivery = ""
    invitation.save(update_fields=["status", "times_sent", "sent_at", "delivery", "updated_at"])
    shared = emails.SharedValues(invitation.event)
    enqueue_many(
        [
            emails.message_fields(
                invitation,
                kind=emails.INVITATION,
                dedupe_key=f"invitation:{invitation.pk}:{invitation.times_sent}",
                shared=shared,
                sessions=shared.sessions([invitation.pk]).get(invitation.pk, []),
            )
        ]
    )
    data = {"times_sent": invitation.times_sent}
    if previous_status != invitation.status:
        data["status"] = {"from": previous_status, "to": invitation.status}
    log_action(actor=actor, action="invitation.resent", obj=invitation, data=data)
    return invitation


# --- Reminders ---------------------------------------------------------------------------------


def manual_reminder_key(now=None) -> str:
    """One reminder an hour at most, however often the button is pressed."""
    return f"manual:{(now or timezone.now()):%Y%m%d%H}"


def remind(*, actor: Actor, event, ids=None, key=None, now=None) -> int:
    """Remind those who have not answered (selectors.to_remind says who may be), or those of
    them among `ids`; return how many reminders are queued. Each invitation gets one reminder
    per `key`, so pressing twice or a job run twice sends nothing more."""
    from .. import tasks

    _check_event_can_send(event)
    now = now or timezone.now()
    key = key or manual_reminder_key(now)
    candidates = list(selectors.to_remind(event, ids=ids, now=now).values_list("pk", flat=True))
    already = {
        int(dedupe_key.split(":")[1])
        for dedupe_key in Message.objects.filter(
            kind=emails.REMINDER,
            event=event,
            dedupe_key__in=[f"invitation_reminder:{pk}:{key}" for pk in candidates],
        ).values_list("dedupe_key", flat=True)
    }
    due = [pk for pk in candidates if pk not in already]
    if len(due) <= INLINE_LIMIT:
        return send_reminder_chunks(actor=actor, event=event, invitation_ids=due, key=key, now=now)
    _hand_over(tasks.send_reminders, due, actor, event_id=event.pk, key=key)
    return len(due)


def send_reminder_chunks(*, actor: Actor, event, invitation_ids, key, now=None) -> int:
    """Queue the reminders of these invitations that may still get one; safe to run twice."""
    shared = emails.SharedValues(event)
    queued = 0
    for chunk in _chunks(invitation_ids):
        queued += _remind_chunk(actor, event, chunk, key, shared, now or timezone.now())
    return queued


@transaction.atomic
def _remind_chunk(actor, event, ids, key, shared, now) -> int:
    # Read again under lock: someone may have answered since the reminder was asked for.
    invitations = list(
        selectors.to_remind(event, ids=ids, now=now)
        .select_for_update(of=("self",))
        .select_related("event")
        .order_by("pk")
    )
    if not invitations:
        return 0
    pks = [invitation.pk for invitation in invitations]
    Invitation.objects.filter(pk__in=pks).update(reminded_at=now, updated_at=now)
    sessions = shared.sessions(pks)
    enqueue_many(
        [
            emails.message_fields(
                invitation,
                kind=emails.REMINDER,
                dedupe_key=f"invitation_reminder:{invitation.pk}:{key}",
                shared=shared,
                sessions=sessions.get(invitation.pk, []),
            )
            for invitation in invitations
        ]
    )
    log_many(
        actor=actor,
        action="invitation.reminded",
        objects=invitations,
        event=event,
        data={"key": key},
    )
    return len(invitations)


@transaction.atomic
def schedule_reminder(
    *, actor: Actor, event, remind_at: datetime | None, now=None
) -> ReminderSchedule:
    """Set (or clear, with None) the date the event's unanswered invitees are reminded. A new
    date sends again to those who have still not answered then; the same date sends nothing
    twice."""
    now = now or timezone.now()
    if remind_at is not None:
        if remind_at <= now:
            raise ValidationError({"remind_at": _("Choose a time in the future.")})
        if remind_at >= event.starts_at:
            raise ValidationError({"remind_at": _("Choose a time before the event starts.")})
    schedule, _created = ReminderSchedule.objects.select_for_update().get_or_create(event=event)
    if schedule.remind_at != remind_at:
        previous = schedule.remind_at
        schedule.remind_at = remind_at
        schedule.done_at = None
        schedule.save()
        log_action(
            actor=actor,
            action="reminder.scheduled" if remind_at else "reminder.cleared",
            obj=schedule,
            data={"remind_at": {"from": previous, "to": remind_at}},
        )
    return schedule


def scheduled_key(schedule: ReminderSchedule) -> str:
    return f"scheduled:{int(schedule.remind_at.timestamp())}"


def send_scheduled_reminders(*, actor: Actor, now=None) -> int:
    """Queue the reminders whose date has come, once per date: the beat task's work (its actor
    is the system). A cancelled, unpublished or started event sends none."""
    now = now or timezone.now()
    queued = 0
    for schedule in selectors.due_reminder_schedules(now):
        event = schedule.event
        if event.status == Event.Status.PUBLISHED and event.starts_at > now:
            key = scheduled_key(schedule)
            ids = list(selectors.to_remind(event, now=now).values_list("pk", flat=True))
            queued += send_reminder_chunks(
                actor=actor, event=event, invitation_ids=ids, key=key, now=now
            )
        # Only the date it was done for: a date moved meanwhile is still due.
        ReminderSchedule.objects.filter(pk=schedule.pk, remind_at=schedule.remind_at).update(
            done_at=now
        )
    return queued
