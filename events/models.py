"""The events domain: who organizes, what happens when and where, who speaks, what is left after."""

import uuid
import zoneinfo
from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .validators import datetime_errors, line_errors, person_errors

DATETIME_FIELDS = ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]

DEFAULT_REMINDER_OFFSETS = ["P7D", "P1D", "PT1H"]


def default_reminder_offsets():
    return list(DEFAULT_REMINDER_OFFSETS)


def validate_timezone_name(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as America/New_York."),
            params={"value": value},
            code="invalid_timezone",
        )


# The same words for an unknown entry and for another team, so no team is revealed.
NOT_IN_DIRECTORY = _("Choose a valid entry from the directory.")


class OrganizationQuerySet(models.QuerySet):
    def directory(self):
        """Entries that are nobody's team: anyone may name them, and they give nobody rights."""
        return self.filter(is_team=False)

    def teams_of(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(is_team=True, memberships__user=user)

    def visible_to(self, user):
        """What a user may see and name: the directory and the user's own teams, never another's."""
        if not user.is_authenticated:
            return self.directory()
        mine = Membership.objects.filter(user=user).values("organization_id")
        return self.filter(Q(is_team=False) | Q(pk__in=mine))

    def search(self, text):
        text = " ".join((text or "").split())
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(short_name__icontains=text))


class Organization(models.Model):
    """A think tank, a government, a permanent mission, a UN entity: anyone who hosts or attends.

    Most are directory entries, which anyone may name as a co-host or as their organization and
    which give nobody rights; the member states' missions and governments, UN entities and
    regional organizations ship with Plenary (they have a `code`). A team (`is_team`) is an
    organizer: it has members with roles and owns events, and only its members see it.
    """

    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member state")
        GOVERNMENT = "government", _("Government")
        UN_ENTITY = "un_entity", _("UN entity")
        REGIONAL_ORG = "regional_org", _("Regional organization")
        THINK_TANK = "think_tank", _("Think tank")
        NGO = "ngo", _("NGO")
        ACADEMIC = "academic", _("Academic")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"),
        max_length=50,
        blank=True,
        help_text=_("How it is named in a sentence, e.g. IPI."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = CountryField(_("country"), blank=True)
    # load_directory keeps the entries shipped with Plenary in step with events/data/ by it.
    code = models.CharField(_("directory code"), max_length=60, unique=True, null=True, blank=True)
    is_team = models.BooleanField(_("organizer team"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_team=False) | Q(code__isnull=True),
                name="shipped_entry_is_not_a_team",
            )
        ]
        indexes = [models.Index(Upper("name"), name="organization_name_upper")]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    def clean(self):
        if self.code == "":
            self.code = None
        errors = person_errors(self, names=("name", "short_name"))
        if self.is_team and self.code:
            errors["is_team"] = _("An entry shipped with the directory cannot be a team.")
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    """A user's place in an organization's team; the role decides what they may do."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        CHECK_IN = "check_in", _("Check-in staff")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("joined"), default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} · {self.organization} ({self.get_role_display()})"

    def clean(self):
        if self.organization_id and not self.organization.is_team:
            raise ValidationError(
                {"organization": _("Only a team has members; a directory entry has none.")}
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
