"""When an event's invitees who have not answered are reminded, if the organizer set a date."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSchedule(models.Model):
    """The date an event's unanswered invitations get their reminder, sent once by the beat
    task (invitations.tasks.send_scheduled_reminders). Kept here rather than on the event:
    the reminder is the invitations app's business."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="invitation_reminder_schedule"
    )
    remind_at = models.DateTimeField(
        _("remind on"),
        null=True,
        blank=True,
        help_text=_("Those who have not answered by then get one reminder. Empty for none."),
    )
    # Set once the reminders for this remind_at were queued; a new date clears it.
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["done_at", "remind_at"], name="reminder_schedule_due")]
        verbose_name = _("invitation reminder schedule")
        verbose_name_plural = _("invitation reminder schedules")

    def __str__(self):
        return f"{self.event}: {self.remind_at or '-'}"
