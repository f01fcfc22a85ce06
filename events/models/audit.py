"""The audit log: every state change, with who made it (see events.audit)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import Event
from .organizations import Organization


class LogEntryQuerySet(models.QuerySet):
    def of_event(self, event):
        return self.filter(event=event)


class LogEntry(models.Model):
    """One state change, with who made it: the audit log (see events.audit.log_action).

    Written by the service that makes the change, in its transaction, so the log holds exactly
    what happened. The object is named by a type label and id rather than a foreign key: the
    entry outlives the object, and a lower app can log objects of the apps above it.
    """

    class ActorKind(models.TextChoices):
        USER = "user", _("Team member")
        TOKEN = "token", _("API token")
        ATTENDEE = "attendee", _("Attendee")
        SYSTEM = "system", _("System")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="log_entries", null=True, blank=True
    )
    team = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="log_entries", null=True, blank=True
    )
    actor_kind = models.CharField(_("actor"), max_length=10, choices=ActorKind.choices)
    actor_name = models.CharField(_("actor name"), max_length=250, blank=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["event", "-at"], name="log_entry_event_at"),
            models.Index(fields=["object_type", "object_id"], name="log_entry_object"),
        ]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or self.actor_kind} {self.action}"
