"""The outbox's state changes: enqueue, claim, send, retry, sweep, suppress.

A message is a row written in the caller's transaction; Celery only carries ids. A worker
claims rows with one conditional UPDATE, so two workers (or a redelivered task) never send one
row twice, and a crash between the mail server's "accepted" and our "sent" can only cause one
resend, which carries the same Message-ID.
"""

import logging
import random
import smtplib
import uuid
from contextlib import contextmanager
from datetime import timedelta

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from events.audit import Actor, log_action

from . import batching, registry, rendering
from .models import Message, Suppression, normalize_email
from .waking import wake_sender

logger = logging.getLogger(__name__)


class TransientSendError(Exception):
    """The mail server or ESP may accept the message later."""


def _setting(name):
    return getattr(settings, f"OUTBOX_{name}")


# --- Enqueue -----------------------------------------------------------------------------------


def _suppressions(emails) -> dict[str, Suppression]:
    """The suppressions among these addresses, in one query."""
    return Suppression.objects.in_bulk(
        {normalize_email(email) for email in emails}, field_name="email"
    )


def _suppressed_error(suppression):
    return (
        f"Not sent: {suppression.email} is suppressed "
        f"({suppression.get_reason_display()}, {suppression.created_at:%Y-%m-%d})."
    )


def _new_message(*, kind, to_email, dedupe_key, event=None, related=None, to_name="", language="",
                 context=None, not_before=None, suppressed=None, validated=False):  # fmt: skip
    kind_definition = registry.get(kind)
    message = Message(
        kind=kind,
        to_email=normalize_email(to_email),
        to_name=to_name,
        dedupe_key=dedupe_key,
        event=event,
        language=language or (event.language if event else settings.LANGUAGE_CODE),
        context=context or {},
        not_before=not_before or timezone.now(),
    )
    if related is not None:
        message.related_type = ContentType.objects.get_for_model(related)
        message.related_id = related.pk
    if not kind_definition.transactional and (suppression := suppressed.get(message.to_email)):
        message.status = Message.Status.SUPPRESSED
        message.error = _suppressed_error(suppression)
    if not validated:
        # The database checks the keys, the dedupe key and the row constraints on insert.
        message.full_clean(
            exclude=["dedupe_key", "event", "related_type"], validate_constraints=False
        )
    return message


def enqueue(**fields) -> Message:
    """Write one message in the caller's transaction; queue it for sending once that commits.

    Fields: kind, to_email, dedupe_key, and optionally event, related, to_name, language,
    context (extra template values) and not_before. The same dedupe key twice is a no-op that
    returns the first message.
    """
    return enqueue_many([fields])[0]


def enqueue_many(items: list[dict], *, validated=False) -> list[Message]:
    """enqueue() for many messages at once: one INSERT and a handful of tasks.

    `validated=True` says the items were built from stored rows whose values were checked when
    they were stored (a fan-out to registrants), so their fields are not checked again one by
    one: for 10,000 messages that check cost as much as writing them.
    """
    suppressed = _suppressions(
        [fields["to_email"] for fields in items if not registry.get(fields["kind"]).transactional]
    )
    new = [_new_message(**fields, suppressed=suppressed, validated=validated) for fields in items]
    written = Message.objects.insert_new(new)
    # A key that was not written had its row before: that row is the message (read rarely).
    earlier = Message.objects.in_bulk(
        [m.dedupe_key for m in new if m.dedupe_key not in written], field_name="dedupe_key"
    )
    messages, first_with_key = [], {}
    for message in new:
        key = message.dedupe_key
        if key in earlier:
            message = earlier[key]
        elif key in first_with_key:  # the same key twice in one call: the first was written
            message = first_with_key[key]
        else:
            message.pk = written[key]
            message._state.adding, message._state.db = False, db_connection.alias
            first_with_key[key] = message
        messages.append(message)
    now = timezone.now()
    due = [m.pk for m in messages if m.status == Message.Status.PENDING and m.not_before <= now]
    if due:
        transaction.on_commit(lambda: wake_sender(due))
    return messages


def queue_for_sending(message_ids, *, countdown=0):
    """Hand ids to Celery in batches. With the broker down, rows wait for the sweep."""
    from .tasks import send_messages

    batch_size = _setting("BATCH_SIZE")
    for start in range(0, len(message_ids), batch_size):
        batch = list(message_ids[start : start + batch_size])
        try:
            send_messages.apply_async((batch,), countdown=countdown, retry=False)
        except Exception:  # the broker is unreachable; nothing is lost, the sweep re-queues
            logger.warning(
                "Could not queue %d messages; the outbox sweep will.", len(batch), exc_info=True
            )


# --- Send --------------------------------------------------------------------------------------


def claim(message_ids, *, now=None) -> tuple[str, list[Message]]:
    """Mark due pending rows as ours with one conditional UPDATE; return the ones we got."""
    now = now or timezone.now()
    token = uuid.uuid4()
    Message.objects.filter(
        pk__in=message_ids, status=Message.Status.PENDING, not_before__lte=now
    ).update(
        status=Message.Status.SENDING,
        claim_token=token,
        lease_expires_at=now + timedelta(seconds=_setting("LEASE_SECONDS")),
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    claimed = list(
        Message.objects.filter(claim_token=token)
        .select_related("event__organization")
        # What each message is about (a registration, an invitation), in one query per kind
        # of object instead of one per message when the kinds' contexts read it.
        .prefetch_related("related_object")
        .order_by("pk")
    )
    return token, claimed


def send_messages(message_ids) -> int:
    """Claim and send what is still due among these ids; return how many went out.

    Kinds that can merge are rendered once per batch (batching.py): they go out in one call
    where the ESP has a batch API, else one message per recipient with their values filled in.
    The rest are rendered one by one. All share one connection.
    """
    token, claimed = claim(message_ids)
    if not claimed:
        return 0
    # Read once per batch: an address suppressed while a batch is sending is caught by the next.
    suppressed = _suppressions(message.to_email for message in claimed)
    custom_texts = rendering.custom_texts_for(claimed)
    outgoing = []
    for message in claimed:
        if not registry.get(message.kind).transactional and (
            suppression := suppressed.get(message.to_email)
        ):
            _finish(
                message,
                token,
                status=Message.Status.SUPPRESSED,
                error=_suppressed_error(suppression),
            )
        else:
            outgoing.append(message)
    esp = batching.configured()
    batches, singles = batching.split(outgoing, esp or batching.LOCAL)
    sent = 0
    connection = get_connection()
    try:
        connection.open()
        with _outcomes_without_waiting_for_disk():
            for messages in batches:
                if esp is not None:
                    outcome = _deliver_batch(messages, token, connection, custom_texts, esp)
                    if outcome == "reconnect":
                        connection = _reconnect(connection)
                        continue
                else:
                    outcome, connection = _deliver_merged(messages, token, connection, custom_texts)
                if outcome == "one by one":
                    singles.extend(messages)
                else:
                    sent += outcome
            for message in singles:
                try:
                    email = rendering.render(
                        message, custom=custom_texts.get((message.event_id, message.kind))
                    )
                except Exception as error:
                    logger.exception("Could not render message %s", message.pk)
                    _finish(
                        message,
                        token,
                        status=Message.Status.FAILED,
                        error=f"Could not render: {error}",
                    )
                    continue
                outcome = _send_one(message, email, token, connection)
                sent += outcome == Message.Status.SENT
                if outcome == "reconnect":
                    connection = _reconnect(connection)
    finally:
        connection.close()
    return sent


def _reconnect(connection):
    connection.close()
    connection = get_connection()
    connection.open()
    return connection


@contextmanager
def _outcomes_without_waiting_for_disk():
    """Record each outcome without waiting for PostgreSQL to flush it to disk.

    Waiting for that flush after every message cost as much as rendering it. Only a crash of
    PostgreSQL itself can now lose the last fraction of a second of outcomes, and a lost "sent"
    means one resend with the same Message-ID: the resend DESIGN rule 1 already allows.
    """
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _send_one(message, email, token, connection):
    """Send one recipient's email; record the outcome, or "reconnect" after a transient error."""
    try:
        connection.send_messages([email])
    except Exception as error:
        transient = _is_transient(error)
        _retry_or_fail(message, token, error, transient=transient)
        return "reconnect" if transient else Message.Status.FAILED
    status = getattr(email, "anymail_status", None)
    _finish(
        message,
        token,
        status=Message.Status.SENT,
        sent_at=timezone.now(),
        esp_message_id=str(status.message_id) if status and status.message_id is not None else "",
        subject=email.subject,
        error="",
    )
    return Message.Status.SENT


def _merged(messages, custom_texts, merging):
    """The batch rendered once, or None when its kind must not be merged (it goes one by one)."""
    first = messages[0]
    custom = custom_texts.get((first.event_id, first.kind))
    try:
        batch = batching.render_batch(messages, custom=custom, batching=merging)
        if batching.merges_cleanly(batch, messages, custom=custom, batching=merging):
            return batch
    except batching.NotMergeable as reason:
        logger.info("A batch of %s goes out one by one: %s", first.kind, reason)
    except Exception:
        logger.exception("Could not render a batch of %s; sending it one by one", first.kind)
    return None


def _deliver_merged(messages, token, connection, custom_texts):
    """A batch without an ESP batch API: rendered once, then one email per recipient with
    their own values; return (how many went out or "one by one", the connection)."""
    batch = _merged(messages, custom_texts, batching.LOCAL)
    if batch is None:
        return "one by one", connection
    sent = 0
    for message in messages:
        outcome = _send_one(message, batching.personal_email(batch, message), token, connection)
        sent += outcome == Message.Status.SENT
        if outcome == "reconnect":
            connection = _reconnect(connection)
    return sent, connection


def _deliver_batch(messages, token, connection, custom_texts, esp):
    """Send a batch in one ESP call; return how many went out, "reconnect" after a transient
    failure (the batch is retried later), or "one by one" when it must not be merged or the
    ESP refused it outright (one bad address must not fail the others)."""
    batch = _merged(messages, custom_texts, esp)
    if batch is None:
        return "one by one"
    try:
        connection.send_messages([batch.email])
    except Exception as error:
        transient = _is_transient(error)
        if not transient:
            logger.warning("The ESP refused a batch (%s); sending it one by one.", _describe(error))
            return "one by one"
        # One delay for the whole batch, so it can go out together again.
        delay = retry_delay(max(message.attempts for message in messages))
        retry_at = timezone.now() + timedelta(seconds=delay)
        for message in messages:
            _retry_or_fail(message, token, error, transient=True, retry_at=retry_at)
        retried = [m.pk for m in messages if m.attempts < _setting("MAX_ATTEMPTS")]
        queue_for_sending(retried, countdown=delay)
        return "reconnect"
    recipients = getattr(getattr(batch.email, "anymail_status", None), "recipients", {})
    sent_at = timezone.now()
    sent = 0
    for message in messages:
        recipient = recipients.get(message.to_email)
        if recipient is not None and recipient.status in REFUSED_BY_ESP:
            _finish(
                message,
                token,
                status=Message.Status.FAILED,
                error=f"The ESP did not accept this address ({recipient.status}).",
            )
            continue
        esp_id = recipient.message_id if recipient is not None else None
        _finish(
            message,
            token,
            status=Message.Status.SENT,
            sent_at=sent_at,
            esp_message_id="" if esp_id is None else str(esp_id),
            subject=batching.personal_subject(batch, message.to_email, esp),
            error="",
        )
        sent += 1
    return sent


# anymail's per-recipient statuses for an address the ESP will not deliver to.
REFUSED_BY_ESP = {"rejected", "invalid", "failed"}


def _is_transient(error):
    if isinstance(error, AnymailRecipientsRefused):
        return False
    if isinstance(error, AnymailAPIError):
        # No status means the request never got an answer (a network error).
        return error.status_code is None or error.status_code >= 500 or error.status_code == 429
    if isinstance(error, AnymailError):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    return isinstance(error, OSError | smtplib.SMTPException | TransientSendError)


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter: base·2ⁿ⁻¹ seconds (capped), spread over its upper half."""
    ceiling = min(
        _setting("RETRY_MAX_SECONDS"), _setting("RETRY_BASE_SECONDS") * 2 ** (attempts - 1)
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _retry_or_fail(message, token, error, *, transient, retry_at=None):
    """Fail the message, or set it pending for a retry: at `retry_at` when given (the caller
    then queues it), else after a backoff of its own."""
    description = _describe(error)
    if not transient or message.attempts >= _setting("MAX_ATTEMPTS"):
        logger.warning("Message %s failed: %s", message.pk, description)
        _finish(message, token, status=Message.Status.FAILED, error=description)
        return
    delay = retry_delay(message.attempts)
    _finish(
        message,
        token,
        status=Message.Status.PENDING,
        not_before=retry_at or timezone.now() + timedelta(seconds=delay),
        error=f"Attempt {message.attempts} failed, retrying: {description}",
    )
    if retry_at is None:
        queue_for_sending([message.pk], countdown=delay)


def _describe(error):
    try:
        text = str(error)
    except Exception:  # some exception types fail to describe themselves
        text = repr(error)
    return f"{type(error).__name__}: {text}"[:2000]


def _finish(message, token, **fields):
    """Record the outcome, unless our claim expired and the row was claimed again meanwhile."""
    Message.objects.filter(pk=message.pk, claim_token=token).update(
        claim_token=None, lease_expires_at=None, updated_at=timezone.now(), **fields
    )


# --- Sweep and organizer actions ---------------------------------------------------------------


def sweep(*, now=None) -> dict:
    """Re-queue rows whose task never ran and rows stuck in sending past their lease."""
    now = now or timezone.now()
    stuck = list(Message.objects.stuck_sending(now).values_list("pk", flat=True))
    released = (
        Message.objects.stuck_sending(now)
        .filter(pk__in=stuck)
        .update(
            status=Message.Status.PENDING, claim_token=None, lease_expires_at=None, updated_at=now
        )
    )
    quiet_since = now - timedelta(seconds=_setting("REQUEUE_AFTER_SECONDS"))
    due = Message.objects.due(now).filter(updated_at__lt=quiet_since).order_by("not_before")
    to_queue = sorted(set(stuck) | set(due.values_list("pk", flat=True)[: _setting("SWEEP_LIMIT")]))
    queue_for_sending(to_queue)
    return {"released": released, "queued": len(to_queue)}


class MessageNotRetryable(Exception):
    pass


@transaction.atomic
def retry(*, actor: Actor, message: Message) -> Message:
    """An organizer sends a failed message again."""
    updated = Message.objects.filter(pk=message.pk, status=Message.Status.FAILED).update(
        status=Message.Status.PENDING, not_before=timezone.now(), updated_at=timezone.now()
    )
    if not updated:
        raise MessageNotRetryable("Only a failed message can be retried.")
    transaction.on_commit(lambda: queue_for_sending([message.pk]))
    message.refresh_from_db()
    log_action(
        actor=actor,
        action="message.retried",
        obj=message,
        data={"kind": message.kind, "to": message.to_email},
    )
    return message


@transaction.atomic
def suppress(*, actor: Actor, email, reason, detail="", message=None) -> Suppression:
    """No more non-transactional email to this address; the first reason is the one kept (and
    logged: suppressing an address twice changes nothing)."""
    suppression, created = Suppression.objects.get_or_create(
        email=normalize_email(email),
        defaults={"reason": reason, "detail": detail, "message": message},
    )
    if created:
        log_action(
            actor=actor,
            action="message.suppressed",
            obj=suppression,
            event=getattr(message, "event", None),
            data={
                "email": suppression.email,
                "reason": reason,
                "message": getattr(message, "pk", None),
            },
        )
    return suppression
