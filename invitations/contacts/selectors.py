"""Reads for the contacts pages and the API: a member's teams, and a team's contacts searched
and filtered."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404
from django_countries import countries

from events.models import Organization

from ..models import Contact, ContactImport, ContactList, ContactTag


def teams_of(user):
    """The teams (organizations with members) the user belongs to, by name."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name", "pk")


def team_for_member(user, team_id, permission="invitations.view_contacts") -> Organization:
    """The team by id if the user is in it (else 404) and holds the permission (else 403)."""
    team = teams_of(user).filter(pk=team_id).first()
    if team is None:
        raise Http404
    if not user.has_perm(permission, team):
        raise PermissionDenied
    return team


def managed_teams(user):
    """The teams whose contacts the user may change."""
    teams = list(teams_of(user))
    return [team for team in teams if user.has_perm("invitations.change_contacts", team)]


@dataclass(frozen=True)
class ContactFilters:
    """What the contacts page and the API narrow the list by."""

    search: str = ""
    list_id: int | None = None
    tag: str = ""
    country: str = ""

    @classmethod
    def from_query(cls, query, *, list_param="list"):
        list_id = (query.get(list_param) or "").strip()
        return cls(
            search=(query.get("search") or "").strip()[:200],
            list_id=int(list_id) if list_id.isdigit() else None,
            tag=(query.get("tag") or "").strip()[:50],
            country=(query.get("country") or "").strip().upper()[:2],
        )

    def as_query(self) -> dict:
        query = {"search": self.search, "list": self.list_id, "tag": self.tag}
        query["country"] = self.country
        return {name: value for name, value in query.items() if value}

    @property
    def is_set(self):
        return bool(self.as_query())


def contacts(team, filters: ContactFilters = ContactFilters()):
    """The team's contacts matching the filters, with their tags and lists read in two queries.

    `tag` is a tag's id or its name (in any case)."""
    return filter_contacts(Contact.objects.of_team(team), filters)


def contacts_of_member(user):
    """The contacts of every team the user belongs to."""
    return Contact.objects.filter(team__in=teams_of(user))


def filter_contacts(found, filters: ContactFilters):
    found = found.search(filters.search)
    if filters.list_id is not None:
        found = found.filter(lists__pk=filters.list_id)
    if filters.tag:
        if filters.tag.isdigit():
            found = found.filter(tags__pk=int(filters.tag))
        else:
            found = found.filter(tags__name__iexact=filters.tag)
    if filters.country:
        found = found.filter(country=filters.country)
    return found.prefetch_related(
        Prefetch("tags", queryset=ContactTag.objects.only("pk", "name")),
        Prefetch("lists", queryset=ContactList.objects.only("pk", "name")),
    )


def country_choices(team):
    """(code, name) of the countries the team's contacts are in, by name."""
    codes = (
        Contact.objects.of_team(team)
        .exclude(country="")
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])


def lists_of(team):
    """The team's lists with how many contacts each holds."""
    return ContactList.objects.filter(team=team).annotate(size=Count("contacts"))


def tags_of(team):
    return ContactTag.objects.filter(team=team).annotate(size=Count("contacts"))


def imports_of(team):
    return ContactImport.objects.filter(team=team).select_related("contact_list", "created_by")
