"""An event's parts: its hosts, speakers, sessions and what it leaves behind."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import datetime_errors, line_errors, person_errors
from .events import Event
from .organizations import NOT_IN_DIRECTORY, Organization


class EventHost(models.Model):
    """An organization named as hosting the event, in the order it is named."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        CO_HOST = "co_host", _("Co-host")
        PARTNER = "partner", _("Partner")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="hosts")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="hosted")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CO_HOST)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organization"], name="one_host_entry_per_org")
        ]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"

    def clean(self):
        """Nobody names another team: the organizer is the event's own team, and the others
        are directory entries (or the event's own team too)."""
        try:
            team_id = self.event.organization_id
        except Event.DoesNotExist:
            return  # the event's own form says what is missing
        if self.organization_id is None or team_id is None:
            return
        own_team = self.organization_id == team_id
        if self.organization.is_team and not own_team:
            raise ValidationError({"organization": NOT_IN_DIRECTORY})
        if self.role == self.Role.ORGANIZER and not own_team:
            message = _("The organizer is always the event's own team; name others as co-hosts.")
            raise ValidationError({"role": message})


class Speaker(models.Model):
    """A person on the programme, with the honorific protocol expects."""

    class Role(models.TextChoices):
        OPENING_REMARKS = "opening_remarks", _("Opening remarks")
        KEYNOTE = "keynote", _("Keynote")
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        CLOSING_REMARKS = "closing_remarks", _("Closing remarks")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    honorific = models.CharField(
        _("honorific"), max_length=50, blank=True, help_text=_("e.g. H.E. Mr.")
    )
    position = models.CharField(_("position"), max_length=300, blank=True)
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.full_name

    def clean(self):
        # Entered by organizers, but printed on pages and badges: no control characters either.
        names = ("name", "honorific", "position", "organization_name")
        if errors := person_errors(self, names=names):
            raise ValidationError(errors)

    @property
    def full_name(self):
        return f"{self.honorific} {self.name}".strip()

    @property
    def affiliation(self):
        return ", ".join(part for part in (self.position, self.organization_name) if part)


class Session(models.Model):
    """A part of the event with its own time, place, access and capacity, e.g. a working lunch."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=250)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    invitation_only = models.BooleanField(_("invitation only"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty for unlimited.")
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return self.title

    def clean(self):
        errors = line_errors(self, ["title", "location"])
        errors.update(datetime_errors(self, ["starts_at", "ends_at"]))
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = [_("The session must end after it starts.")]
        if errors:
            raise ValidationError(errors)


class ResourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(audience=Resource.Audience.PUBLIC)


class Resource(models.Model):
    """What the event leaves behind or points to: the recording, reports, related reading."""

    class Kind(models.TextChoices):
        RECORDING = "recording", _("Recording")
        REPORT = "report", _("Report")
        SUMMARY = "summary", _("Summary")
        SLIDES = "slides", _("Slides")
        PHOTOS = "photos", _("Photos")
        RELATED = "related", _("Related reading")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        REGISTRANTS = "registrants", _("Registrants")
        ATTENDEES = "attendees", _("Attendees")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    url = models.URLField(_("link"), max_length=500)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.title
