"""Who is coming, how, and from which mission: registrations, questions, and the seats they hold."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from events.models import time_zone_names
from events.validators import person_errors

from . import tickets
from .tickets import new_ticket_code  # noqa: F401 - older migrations name it here


def validate_time_zone(value):
    if value and value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Paris."),
            params={"value": value},
            code="invalid_timezone",
        )


def new_manage_secret():
    return secrets.token_urlsafe(24)  # 192 bits


PERSON_NAME_FIELDS = ("honorific", "first_name", "last_name", "position", "organization_name")


def normalize_organization(name: str) -> str:
    """'Permanent Mission of  Ghana ' and 'permanent mission of ghana' hold the same seats."""
    return " ".join((name or "").casefold().split())


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Online")


class Question(models.Model):
    """A question the organizer asks every registrant, e.g. dietary needs for a working lunch."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("One choice")
        MULTI_CHOICE = "multi_choice", _("Several choices")
        CHECKBOX = "checkbox", _("Checkbox")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.label

    def clean(self):
        has_choices = self.kind in (self.Kind.CHOICE, self.Kind.MULTI_CHOICE)
        if not isinstance(self.choices, list) or not all(
            isinstance(c, str) and c for c in self.choices
        ):
            raise ValidationError({"choices": _("Give the choices as a list of texts.")})
        if has_choices and len(self.choices) < 2:
            raise ValidationError({"choices": _("A choice question needs at least two choices.")})
        if not has_choices and self.choices:
            raise ValidationError({"choices": _("Only choice questions have choices.")})


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED)

    def active(self):
        """Registrations that hold or wait for a place."""
        return self.filter(status__in=Registration.ACTIVE_STATUSES)


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registrations"
    )
    email = models.EmailField(_("email"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    honorific = models.CharField(_("honorific"), max_length=50, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "events.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    # The key that seats_per_organization counts by: the organization's id, or its normalised name.
    organization_key = models.CharField(max_length=220, blank=True, editable=False, db_index=True)
    country = CountryField(_("country"), blank=True)
    attendance_mode = models.CharField(
        _("attendance"), max_length=20, choices=AttendanceMode.choices
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    language = models.CharField(_("language"), max_length=10, default="en")
    # The registrant's own IANA zone when known (the form reads it from the browser), so
    # reminders also say when the event starts for them.
    timezone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    sessions = models.ManyToManyField("events.Session", blank=True, related_name="registrations")
    invitation_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    # The private manage link carries "<id>.<secret>"; the secret is compared in constant time.
    manage_secret = models.CharField(max_length=64, default=new_manage_secret, editable=False)
    # Unique per event (see tickets.py for why ten characters suffice); older codes are longer.
    ticket_code = models.CharField(max_length=32, default=tickets.new_ticket_code, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    decision_note = models.TextField(_("message to the registrant"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One registration per person per event (emails are stored lower-cased); someone
            # who cancelled may register again.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="one_registration_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "ticket_code"], name="one_ticket_code_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "attendance_mode"], name="registration_counts")
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def clean(self):
        # Whatever is accepted here can be put in an email header and sent (events/validators).
        errors = person_errors(
            self,
            names=PERSON_NAME_FIELDS,
            email_fields=("email",),
            languages=("language",),
        )
        if errors:
            raise ValidationError(errors)

    @property
    def manage_token(self):
        return f"{self.pk}.{self.manage_secret}"

    @property
    def ticket_code_grouped(self):
        """'K7PQX 2MNAB': easier to read aloud or type than one run."""
        return tickets.grouped(self.ticket_code)

    @property
    def full_name(self):
        return " ".join(part for part in (self.honorific, self.first_name, self.last_name) if part)


class SeatCounter(models.Model):
    """Seats taken against one limit of one event: a mode, a session or an organization's share.

    Taking a seat is one conditional UPDATE (`taken = taken + 1 WHERE taken < seat_limit`) and the
    CHECK constraint below makes overselling impossible even for code that forgets to ask.
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="seat_counters"
    )
    key = models.CharField(
        max_length=240
    )  # "mode:in_person", "session:12", "org:id:7", "org:name:…"
    seat_limit = models.PositiveIntegerField(null=True, blank=True)  # null: unlimited
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="one_counter_per_limit"),
            models.CheckConstraint(
                condition=Q(seat_limit__isnull=True) | Q(taken__lte=models.F("seat_limit")),
                name="seats_never_oversold",
            ),
        ]

    def __str__(self):
        return f"{self.event_id} {self.key}: {self.taken}/{self.seat_limit or '∞'}"


class AttendanceUpload(models.Model):
    """A meeting platform's attendance report between its upload and the organizer's "Mark
    them": the preview reads it again with the column chosen. Its content is dropped once it is
    applied, keeping only how many it marked."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="attendance_uploads"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    filename = models.CharField(max_length=255, blank=True)
    content = models.BinaryField(blank=True)
    column = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    marked = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.event_id})"
