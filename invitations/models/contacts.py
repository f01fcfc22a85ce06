"""A team's address book: the people it invites event after event, tagged and kept in lists."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from events.validators import person_errors


class ContactQuerySet(models.QuerySet):
    def of_team(self, team):
        return self.filter(team=team)

    def search(self, text):
        """Contacts whose name, email or organization contains `text`, in any case."""
        query = Q()
        for word in (text or "").split():
            query &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organization_name__icontains=word)
            )
        return self.filter(query)


class Contact(models.Model):
    """Someone a team invites: a mission's focal point, a minister's office, a researcher.

    Shared by everyone on the team. One address is one contact per team: emails are stored
    lower-cased, so the unique constraint compares them without regard to case.
    """

    team = models.ForeignKey(
        "events.Organization",
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("team"),
    )
    email = models.EmailField(_("email"), max_length=254)
    honorific = models.CharField(
        _("honorific"), max_length=50, blank=True, help_text=_("e.g. H.E. Ms.")
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty for each event's own language."),
    )
    tags = models.ManyToManyField(
        "ContactTag", blank=True, related_name="contacts", verbose_name=_("tags")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["team", "email"], name="one_contact_per_email"),
        ]
        indexes = [models.Index(fields=["team", "last_name", "first_name"], name="contact_order")]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def clean(self):
        self.email = (self.email or "").strip().lower()
        errors = person_errors(
            self,
            names=("honorific", "first_name", "last_name", "position", "organization_name"),
            email_fields=("email",),
            languages=("language",),
        )
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self):
        """'H.E. Ms. Anna Lindqvist'; empty when only the address is known."""
        name = [part for part in (self.first_name, self.last_name) if part]
        return " ".join([self.honorific, *name] if self.honorific and name else name)


class ContactTag(models.Model):
    """A label a team puts on contacts ("focal point", "G77", "donor") to filter and invite by."""

    team = models.ForeignKey(
        "events.Organization", on_delete=models.CASCADE, related_name="contact_tags"
    )
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="one_tag_per_name"),
        ]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class ContactList(models.Model):
    """A named group of a team's contacts, e.g. "Permanent Missions: focal points", invited
    as a whole."""

    team = models.ForeignKey(
        "events.Organization",
        on_delete=models.CASCADE,
        related_name="contact_lists",
        verbose_name=_("team"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="lists", verbose_name=_("contacts")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="one_list_per_name"),
        ]
        verbose_name = _("contact list")
        verbose_name_plural = _("contact lists")

    def __str__(self):
        return self.name
