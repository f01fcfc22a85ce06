"""Who is invited to an event, with how many seats, and the private link that lets them register."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


def new_invitation_secret():
    return secrets.token_urlsafe(24)  # 192 bits


class InvitationQuerySet(models.QuerySet):
    def with_state(self, now=None, *, event=None):
        """Each invitation with `state` (an Invitation.State), `seats_used` (registrations made
        with it that still stand) and `answered` (anyone ever registered with it), in the same
        query. "registered" holds only while someone stands registered, so it follows
        cancellations without anything being stored.

        Given the `event` all these invitations belong to, whether someone stands registered is
        read with one pass over the event's registrations rather than a lookup per invitation,
        which counts and filters over thousands of invitations need. `seats_used` is computed
        only where selected (rows, not counts by state).
        """
        from registration.models import Registration

        now = now or timezone.now()
        active = Registration.ACTIVE_STATUSES
        if event is not None:
            made_with = Registration.objects.filter(event=event, invitation_id__isnull=False)
            standing = Q(pk__in=made_with.filter(status__in=active).values("invitation_id"))
            answered = Q(pk__in=made_with.values("invitation_id"))
        else:
            made_with = Registration.objects.filter(invitation_id=OuterRef("pk"))
            standing = Exists(made_with.filter(status__in=active))
            answered = Exists(made_with)
        used = (
            Registration.objects.filter(invitation_id=OuterRef("pk"), status__in=active)
            .order_by()
            .values("invitation_id")
            .annotate(count=Count("id"))
            .values("count")
        )
        state = Invitation.State
        reached = [Invitation.Delivery.DELIVERED, Invitation.Delivery.OPENED]
        return self.annotate(
            seats_used=Coalesce(Subquery(used, output_field=models.IntegerField()), 0),
            answered=ExpressionWrapper(answered, output_field=models.BooleanField()),
            standing=ExpressionWrapper(standing, output_field=models.BooleanField()),
        ).annotate(
            state=Case(
                When(status=Invitation.Status.REVOKED, then=Value(state.REVOKED)),
                When(standing=True, then=Value(state.REGISTERED)),
                When(status=Invitation.Status.DECLINED, then=Value(state.DECLINED)),
                When(expires_at__lte=now, then=Value(state.EXPIRED)),
                When(delivery=Invitation.Delivery.BOUNCED, then=Value(state.BOUNCED)),
                When(delivery__in=[*reached, Invitation.Delivery.COMPLAINED],
                     then=Value(state.DELIVERED)),
                When(status=Invitation.Status.SENT, then=Value(state.SENT)),
                default=Value(state.DRAFT),
                output_field=models.CharField(),
            )
        )  # fmt: skip

    def search(self, text):
        """Invitations whose name, email or organization contains every word of `text`."""
        query = Q()
        for word in (text or "").split():
            query &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organization_name__icontains=word)
            )
        return self.filter(query)


class Invitation(models.Model):
    """One person's invitation, or a mission's with several seats it may hand to its delegates.

    The link carries "<id>.<secret>"; the secret is compared in constant time, so a link opens
    this invitation and nothing else.
    """

    class Status(models.TextChoices):
        """What the organizer and the invitee did: stored. Whether someone stands registered
        with it is read from registrations, never stored (see State)."""

        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    class Delivery(models.TextChoices):
        """What the ESP reported about the latest email to the invitee."""

        DELIVERED = "delivered", _("Delivered")
        OPENED = "opened", _("Opened")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")

    class State(models.TextChoices):
        """How the invitation stands, as the guest list and the API show it: derived from the
        status, the delivery report, the expiry and the registrations made with it (see
        InvitationQuerySet.with_state)."""

        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        DECLINED = "declined", _("Declined")
        REGISTERED = "registered", _("Registered")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(
        "invitations.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("contact"),
    )
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
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty for a link that never expires.")
    )
    secret = models.CharField(max_length=64, default=new_invitation_secret, editable=False)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # How many times it was emailed: each sending is its own outbox message (see dedupe keys).
    times_sent = models.PositiveIntegerField(default=0, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=Delivery.choices, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "organization_name", "last_name", "first_name", "id"]
        constraints = [
            # Emails are stored lower-cased, so one address is invited once per event.
            models.UniqueConstraint(fields=["event", "email"], name="one_invitation_per_email"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="invitation_has_a_seat"),
        ]
        indexes = [
            models.Index(
                fields=["event", "organization_name", "last_name", "first_name", "id"],
                name="guest_list_order",
            ),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.full_name or self.email} · {self.event}"

    def get_absolute_url(self):
        return reverse("invitations:invitation", args=[self.token])

    def clean(self):
        self.email = (self.email or "").strip().lower()
        if self.seats and self.seats > 1 and not self.transferable:
            raise ValidationError(
                {"seats": _("Only a transferable invitation can have more than one seat.")}
            )

    def has_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def language_or_event(self) -> str:
        """The language its emails are written in."""
        return self.language or self.event.language

    @property
    def token(self):
        return f"{self.pk}.{self.secret}"

    @property
    def link(self):
        """The absolute link the invitee opens, as emails carry it."""
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def decline_link(self):
        return settings.SITE_URL + reverse("invitations:decline", args=[self.token])

    @property
    def state_label(self) -> str:
        """The state's label; on an invitation read through with_state() only."""
        return Invitation.State(self.state).label

    @property
    def may_be_sent(self) -> bool:
        """Whether the organizer may (re)send it: not declined, withdrawn or expired."""
        return self.status not in (self.Status.DECLINED, self.Status.REVOKED) and not (
            self.has_expired()
        )

    @property
    def suppression_label(self) -> str:
        """Why email to its address is not sent ("Unsubscribed"); on an invitation read through
        selectors.guest_list() only, empty when it is not suppressed."""
        from notifications.models import Suppression

        reason = getattr(self, "suppressed_reason", None)
        return str(Suppression.Reason(reason).label) if reason else ""

    @property
    def full_name(self):
        """'H.E. Mr. Kofi Mensah'; empty for an invitation addressed to a mission, not a person."""
        name = [part for part in (self.first_name, self.last_name) if part]
        return " ".join([self.honorific, *name] if self.honorific and name else name)
