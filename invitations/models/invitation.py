"""Who is invited to an event, with how many seats, and the private link that lets them register."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from events.validators import person_errors


def new_invitation_secret():
    return secrets.token_urlsafe(24)  # 192 bits


class Invitation(models.Model):
    """One person's invitation, or a mission's with several seats it may hand to its delegates.

    The link carries "<id>.<secret>"; the secret is compared in constant time, so a link opens
    this invitation and nothing else.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        DECLINED = "declined", _("Declined")
        REGISTERED = "registered", _("Registered")
        BOUNCED = "bounced", _("Bounced")
        REVOKED = "revoked", _("Revoked")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    honorific = models.CharField(_("honorific"), max_length=50, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("Empty for the event's language.")
    )
    seats = models.PositiveIntegerField(
        _("seats"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How many people may register with this invitation."),
    )
    transferable = models.BooleanField(
        _("transferable"),
        default=False,
        help_text=_(
            "A mission's invitation: its seats may be used by delegates with their own email "
            "addresses. Otherwise only the invited address may register."
        ),
    )
    sessions = models.ManyToManyField(
        "events.Session",
        blank=True,
        related_name="invitations",
        verbose_name=_("sessions"),
        help_text=_("Invitation-only sessions this invitation opens."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    secret = models.CharField(max_length=64, default=new_invitation_secret, editable=False)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["event", "last_name", "first_name", "id"]
        constraints = [
            # Emails are stored lower-cased, so one address is invited once per event.
            models.UniqueConstraint(fields=["event", "email"], name="one_invitation_per_email"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="invitation_has_a_seat"),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.full_name or self.email} · {self.event}"

    def get_absolute_url(self):
        return reverse("invitations:invitation", args=[self.token])

    def clean(self):
        self.email = (self.email or "").strip().lower()
        names = ("honorific", "first_name", "last_name", "position", "organization_name")
        errors = person_errors(self, names=names, email_fields=("email",), languages=("language",))
        if self.seats and self.seats > 1 and not self.transferable:
            errors["seats"] = _("Only a transferable invitation can have more than one seat.")
        if errors:
            raise ValidationError(errors)

    @property
    def token(self):
        return f"{self.pk}.{self.secret}"

    @property
    def link(self):
        """The absolute link the invitee opens, as emails carry it."""
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def full_name(self):
        """'H.E. Mr. Kofi Mensah'; empty for an invitation addressed to a mission, not a person."""
        name = [part for part in (self.first_name, self.last_name) if part]
        return " ".join([self.honorific, *name] if self.honorific and name else name)
