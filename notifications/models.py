"""The outbox: every email Plenary sends is a row first, written with the change that causes it."""

import secrets
from email.utils import make_msgid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.db.models import Count, Q, sql
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalize_email(address: str) -> str:
    return (address or "").strip().lower()


def new_message_id_header():
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "plenary.localhost"
    return make_msgid(domain=domain)


def new_unsubscribe_token():
    return secrets.token_urlsafe(24)  # 192 bits


INSERT_BATCH = 1000  # rows per INSERT: well under PostgreSQL's 65,535 parameters


class MessageQuerySet(models.QuerySet):
    def due(self, now=None):
        """Pending rows whose not-before time has come."""
        return self.filter(status=Message.Status.PENDING, not_before__lte=now or timezone.now())

    def stuck_sending(self, now=None):
        """Rows a worker claimed and never finished (it died, or lost its connection)."""
        return self.filter(
            status=Message.Status.SENDING, lease_expires_at__lt=now or timezone.now()
        )

    def insert_new(self, messages) -> dict[str, int]:
        """INSERT the messages in the caller's transaction, skipping any whose dedupe key exists;
        return the ids of the rows written, by dedupe key.

        bulk_create(ignore_conflicts=True) cannot say which rows it wrote, so it took a second
        query to find out; INSERT ... ON CONFLICT DO NOTHING RETURNING says so in the same
        statement (one round trip for each registration's confirmation).
        """
        opts = self.model._meta
        fields = [f for f in opts.concrete_fields if not f.primary_key]
        connection = connections[self.db]
        written = {}
        with connection.cursor() as cursor:
            for start in range(0, len(messages), INSERT_BATCH):
                query = sql.InsertQuery(self.model, on_conflict=OnConflict.IGNORE)
                query.insert_values(fields, messages[start : start + INSERT_BATCH])
                compiler = query.get_compiler(connection=connection)
                compiler.returning_fields = [opts.get_field("dedupe_key"), opts.pk]
                for statement, params in compiler.as_sql():
                    cursor.execute(statement, params)
                    written.update(cursor.fetchall())
        return written

    def counts_by_kind_and_status(self):
        return self.values("kind", "status").annotate(count=Count("id")).order_by("kind", "status")


class Message(models.Model):
    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        INVITATION_REMINDER = "invitation_reminder", _("Invitation reminder")
        REGISTRATION_PENDING = "registration_pending", _("Registration received")
        REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmed")
        REGISTRATION_WAITLISTED = "registration_waitlisted", _("Waitlisted")
        REGISTRATION_PROMOTED = "registration_promoted", _("Promoted from the waitlist")
        REGISTRATION_DECLINED = "registration_declined", _("Registration declined")
        REGISTRATION_CANCELLED = "registration_cancelled", _("Registration cancelled")
        REGISTRATION_LINK = "registration_link", _("Link to a registration")
        EVENT_UPDATED = "event_updated", _("Event updated")
        EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
        REMINDER = "reminder", _("Reminder")
        FOLLOWUP_ATTENDED = "followup_attended", _("Follow-up (attended)")
        FOLLOWUP_ABSENT = "followup_absent", _("Follow-up (absent)")
        TEAM_INVITATION = "team_invitation", _("Invitation to join a team")
        FOLLOWUP_INVITED = "followup_invited", _("Follow-up (invited, not registered)")
        FOLLOWUP_UPDATE = "followup_update", _("Follow-up: new material")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")
        CANCELLED = "cancelled", _("Cancelled")

    class DeliveryStatus(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")
        OPENED = "opened", _("Opened")
        CLICKED = "clicked", _("Clicked")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="messages", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    dedupe_key = models.CharField(max_length=200, unique=True)
    # The object the message is about (a registration, an invitation), rendered at send time.
    related_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related_object = GenericForeignKey("related_type", "related_id")
    to_email = models.EmailField(_("to"), max_length=254)
    to_name = models.CharField(_("recipient name"), max_length=250, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    context = models.JSONField(
        default=dict, blank=True, help_text=_("Extra values for the template.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    delivery_status = models.CharField(  # noqa: DJ001 - null means no report yet, as the API says
        _("delivery"), max_length=20, choices=DeliveryStatus.choices, null=True, blank=True
    )
    attempts = models.PositiveIntegerField(default=0)
    not_before = models.DateTimeField(default=timezone.now)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker that claimed the row; its outcome is recorded only under this claim.
    claim_token = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    message_id_header = models.CharField(
        max_length=250, default=new_message_id_header, editable=False
    )
    unsubscribe_token = models.CharField(
        max_length=64, default=new_unsubscribe_token, editable=False
    )
    esp_message_id = models.CharField(max_length=250, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True, help_text=_("As sent."))
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "not_before"], name="message_due"),
            models.Index(fields=["event", "kind", "status"], name="message_event_kind_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_expires_at__isnull=False),
                name="sending_message_has_lease",
            )
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_email}"


class Suppression(models.Model):
    """An address that asked for, or earned, no more non-transactional email."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", _("Hard bounce")
        COMPLAINED = "complained", _("Marked as spam")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.TextField(blank=True)
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"


class DeliveryEvent(models.Model):
    """One tracking event from the ESP, stored once by its id."""

    esp_event_id = models.CharField(max_length=250, unique=True)
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="delivery_events", null=True, blank=True
    )
    event_type = models.CharField(max_length=40)
    recipient = models.EmailField(blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.event_type} {self.recipient}"


class MessageTemplate(models.Model):
    """An organizer's own subject and opening paragraph for one kind of message of one event."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="message_templates"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Message.Kind.choices)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    intro = models.TextField(_("opening paragraph"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="one_template_per_kind")
        ]

    def __str__(self):
        return f"{self.event} · {self.get_kind_display()}"


class FanoutJob(models.Model):
    """Writing one message to many people (a change, a cancellation, a reminder, a follow-up),
    done by a Celery worker so the organizer's request returns at once.

    The row is written in the transaction of the change that asks for it, so nothing is lost
    when the broker is down: the sweep queues jobs whose task never ran. The messages carry
    dedupe keys, so running a job twice writes each message once. `name` is a fan-out that an
    app registered in notifications.jobs; `params` are its own.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="fanout_jobs", null=True
    )
    name = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="fanout_job_status")]
        verbose_name = _("fan-out job")
        verbose_name_plural = _("fan-out jobs")

    def __str__(self):
        return f"{self.name} #{self.pk} ({self.status})"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)
