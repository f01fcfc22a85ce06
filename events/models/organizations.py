"""Who organizes and who is named: the directory of organizations, and teams with members."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..validators import person_errors

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
