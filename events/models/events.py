"""Events: what happens when and where, who may register, and what they are reminded of."""

import functools
import uuid
import zoneinfo
from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..validators import datetime_errors, line_errors
from .organizations import Organization

DATETIME_FIELDS = ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]

DEFAULT_REMINDER_OFFSETS = ["P7D", "P1D", "PT1H"]


def default_reminder_offsets():
    return list(DEFAULT_REMINDER_OFFSETS)


@functools.cache
def time_zone_names() -> frozenset:
    """Every IANA zone name. Listing them reads the zone files, so once per process."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone_name(value):
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as America/New_York."),
            params={"value": value},
            code="invalid_timezone",
        )


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def visible_to_public(self):
        """Events whose page anyone may open by URL: everything but drafts."""
        return self.exclude(status=Event.Status.DRAFT)

    def listed(self):
        """Events the public listing shows."""
        return self.visible_to_public().filter(visibility=Event.Visibility.PUBLIC)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def for_user(self, user):
        """Events of the organizations the user belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization__memberships__user=user)


class Event(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid (in person and online)")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: listed on the site")
        UNLISTED = "unlisted", _("Unlisted: open to anyone with the link")
        INVITATION_ONLY = "invitation_only", _("Invitation only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    # Changing any of these moves the calendar entry, so the .ics SEQUENCE grows.
    SCHEDULE_FIELDS = ("starts_at", "ends_at", "timezone", "venue_name", "venue_address")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organizing team"),
        help_text=_("The team that manages this event in Plenary."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_timezone_name],
        help_text=_("An IANA name such as America/New_York or Europe/Zurich."),
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    online_join_url = models.URLField(
        _("online join link"),
        max_length=500,
        blank=True,
        help_text=_("Sent only to confirmed online attendees; never shown on a public page."),
    )
    webcast_url = models.URLField(_("public webcast"), max_length=500, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    requires_approval = models.BooleanField(_("registrations need approval"), default=False)
    waitlist_enabled = models.BooleanField(_("waitlist when full"), default=True)
    capacity_in_person = models.PositiveIntegerField(
        _("in-person seats"), null=True, blank=True, help_text=_("Empty for unlimited.")
    )
    capacity_virtual = models.PositiveIntegerField(
        _("online places"), null=True, blank=True, help_text=_("Empty for unlimited.")
    )
    seats_per_organization = models.PositiveIntegerField(
        _("seats per organization"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The most confirmed seats one organization may hold; empty for no limit."),
    )
    language = models.CharField(
        _("language of messages"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    contact_email = models.EmailField(
        _("contact address"),
        blank=True,
        help_text=_(
            "Where invitees write with questions; shown on invitation pages and in declines. "
            "Empty for the address Plenary sends from."
        ),
    )
    reminder_offsets = models.JSONField(
        _("reminders before the start"), default=default_reminder_offsets
    )
    # The follow-up after the event can go by itself: once a recording is added after the end,
    # and/or this many hours after the end. Registration sends it; see registration.followup.
    followup_on_recording = models.BooleanField(
        _("send the follow-up when the recording is added"),
        default=False,
        help_text=_("Once the event has ended and a recording is among its resources."),
    )
    followup_delay_hours = models.PositiveIntegerField(
        _("send the follow-up this many hours after the end"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(24 * 30)],
        help_text=_("Empty to send it only when you choose."),
    )
    followup_include_invitees = models.BooleanField(
        _("include invited guests who did not register"),
        default=False,
        help_text=_("They get their own wording, with the public material only."),
    )
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_("The calendar revision; grows when time or place change."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.format in (self.Format.IN_PERSON, self.Format.HYBRID) and not self.venue_name:
            errors["venue_name"] = _("An in-person or hybrid event needs a venue.")
        if self.format == self.Format.IN_PERSON and self.online_join_url:
            errors["online_join_url"] = _("Only virtual and hybrid events have a join link.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        errors.update(_reminder_offset_errors(self.reminder_offsets))
        errors.update(line_errors(self, ["title", "venue_name"]))
        errors.update(datetime_errors(self, DATETIME_FIELDS))
        if errors:
            raise ValidationError(errors)

    @property
    def public_url(self):
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def contact_address(self) -> str:
        """The organizers' address for invitees: the event's own, else the sender's."""
        return self.contact_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.tzinfo)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.tzinfo)

    @property
    def is_in_person(self):
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def is_online(self):
        return self.format in (self.Format.VIRTUAL, self.Format.HYBRID)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    def has_ended(self, now=None):
        return self.ends_at < (now or timezone.now())


def _reminder_offset_errors(offsets):
    from django.utils.dateparse import parse_duration

    if not isinstance(offsets, list) or not all(
        isinstance(offset, str) and parse_duration(offset) for offset in offsets
    ):
        return {"reminder_offsets": _("Give a list of ISO 8601 durations such as P7D or PT1H.")}
    return {}
