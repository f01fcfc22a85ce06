"""Reads for the public pages: events to list, an event's hosts and programme as people say them."""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Upper
from django.db.models.lookups import Exact
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Event, EventHost, Organization, Resource, Speaker
from .prepared import PreparedQuery

# "Government of Japan" + "Government of Ethiopia" read as "the Governments of Japan and Ethiopia".
# Each entry: the singular head as organizations are named, and its plural.
GROUPABLE_HEADS = {
    "Government": "Governments",
    "Permanent Mission": "Permanent Missions",
    "Permanent Observer Mission": "Permanent Observer Missions",
    "Mission": "Missions",
    "Embassy": "Embassies",
    "Delegation": "Delegations",
}
_HEAD_PATTERN = re.compile(
    r"^(?:the\s+)?(?P<head>"
    + "|".join(sorted(map(re.escape, GROUPABLE_HEADS), key=len, reverse=True))
    + r")\s+of\s+(?P<rest>.+)$",
    re.IGNORECASE,
)


def public_events():
    return (
        Event.objects.listed()
        .select_related("organization")
        .prefetch_related(
            Prefetch("hosts", queryset=EventHost.objects.select_related("organization"))
        )
    )


def public_event(slug):
    """The event a public page shows, or None: drafts do not exist for the public."""
    return (
        Event.objects.visible_to_public()
        .select_related("organization")
        .prefetch_related(
            Prefetch("hosts", queryset=EventHost.objects.select_related("organization")),
            "speakers",
            "sessions",
            Prefetch("resources", queryset=Resource.objects.public()),
        )
        .filter(slug=slug)
        .first()
    )


SUGGESTIONS = 10
SUGGEST_MIN_LENGTH = 2
SUGGEST_MAX_LENGTH = 100


def directory_suggestions(text, limit=SUGGESTIONS):
    """Directory entries (never a team) whose name or short name contains `text`. Names with a
    word starting so come first (Ghan: Ghana before Afghanistan), and among them an exact name,
    then permanent missions, then the rest by name. Ghana → its Permanent Mission first."""
    text = " ".join((text or "").split())
    if not SUGGEST_MIN_LENGTH <= len(text) <= SUGGEST_MAX_LENGTH:
        return Organization.objects.none()
    return (
        Organization.objects.directory()
        .search(text)
        .annotate(
            word_start=Case(
                When(Q(name__istartswith=text) | Q(name__icontains=f" {text}"), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            rank=Case(
                When(Q(name__iexact=text) | Q(short_name__iexact=text), then=Value(0)),
                When(kind=Organization.Kind.MEMBER_STATE, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("word_start", "rank", "name", "pk")[:limit]
    )


def directory_entry_named(name):
    """The directory entry with exactly this name (any case, spaces collapsed), or None.

    A registrant who types "Permanent Mission of Ghana" counts as the same delegation as one who
    picked it from the suggestions. Shipped entries win over ones added by hand.
    """
    name = " ".join((name or "").split())
    if not name:
        return None
    return _DIRECTORY_ENTRY_NAMED.first(name=name)


# Every registration naming an organization asks this: built into SQL once per process
# (prepared.py). UPPER on both sides, as the organization_name_upper index is built.
_DIRECTORY_ENTRY_NAMED = PreparedQuery(
    lambda name: (
        Organization.objects.directory()
        .filter(Exact(Upper("name"), Upper(Value(name))))
        .order_by(F("code").asc(nulls_last=True), "pk")[:1]
    )
)


def hosts_phrase(hosts, *, team=None) -> str:
    """The hosts as a sentence: "IPI together with the Governments of Ethiopia and Japan".

    Organizers lead; co-hosts and partners follow in their order. Organizations named
    "<Government|Permanent Mission|…> of X" are grouped under one plural head, in English only:
    the directory's names are English proper names, and another language's grammar cannot be
    laid over their parts, so there each name stands as it is. When no host is
    the organizer, the event's `team` leads as its organizer, unless the team is listed in
    another role. The phrase starts a sentence, so it starts with a capital ("The Government of
    Japan and …").
    """
    hosts = sorted(
        hosts, key=lambda host: (host.role != EventHost.Role.ORGANIZER, host.order, host.pk)
    )
    leads = [
        host.organization.display_name for host in hosts if host.role == EventHost.Role.ORGANIZER
    ]
    if not leads and team is not None and all(h.organization_id != team.pk for h in hosts):
        leads = [team.display_name]
    others = [
        host.organization.display_name for host in hosts if host.role != EventHost.Role.ORGANIZER
    ]
    if (translation.get_language() or "en").startswith("en"):
        others = _grouped_names(others)
    if not leads:
        phrase = _and_list(others)
    elif not others:
        phrase = _and_list(leads)
    else:
        phrase = _("%(leads)s together with %(others)s") % {
            "leads": _and_list(leads),
            "others": _and_list(others),
        }
    return phrase[:1].upper() + phrase[1:]


def _and_list(items):
    return str(get_text_list(list(items), _("and")))


def _grouped_names(names):
    """Merge names sharing a groupable head, keeping the place of the group's first member."""
    entries = []  # a name, or a [head, members] group
    groups = {}
    for name in names:
        match = _HEAD_PATTERN.match(name)
        if not match:
            entries.append(name)
            continue
        head = next(key for key in GROUPABLE_HEADS if key.lower() == match["head"].lower())
        if head not in groups:
            groups[head] = [head, []]
            entries.append(groups[head])
        groups[head][1].append(match["rest"])
    return [entry if isinstance(entry, str) else _group_phrase(*entry) for entry in entries]


def _group_phrase(head, members):
    if len(members) == 1:
        return _("the %(head)s of %(name)s") % {"head": head, "name": members[0]}
    return _("the %(heads)s of %(names)s") % {
        "heads": GROUPABLE_HEADS[head],
        "names": _and_list(members),
    }


@dataclass
class ProgrammeGroup:
    role: str
    heading: str
    speakers: list


PROGRAMME_ROLE_ORDER = [
    Speaker.Role.OPENING_REMARKS,
    Speaker.Role.KEYNOTE,
    Speaker.Role.SPEAKER,
    Speaker.Role.MODERATOR,
    Speaker.Role.CLOSING_REMARKS,
]


def _programme_heading(role, count):
    headings = {
        Speaker.Role.OPENING_REMARKS: _("Opening remarks"),
        Speaker.Role.KEYNOTE: ngettext("Keynote speaker", "Keynote speakers", count),
        Speaker.Role.SPEAKER: ngettext("Speaker", "Speakers", count),
        Speaker.Role.MODERATOR: ngettext("Moderator", "Moderators", count),
        Speaker.Role.CLOSING_REMARKS: _("Closing remarks"),
    }
    return headings[role]


def programme(speakers) -> list[ProgrammeGroup]:
    """Speakers grouped by role in programme order, each group in the organizer's order."""
    by_role = {}
    for speaker in sorted(speakers, key=lambda speaker: (speaker.order, speaker.pk)):
        by_role.setdefault(speaker.role, []).append(speaker)
    return [
        ProgrammeGroup(
            role=role, heading=_programme_heading(role, len(by_role[role])), speakers=by_role[role]
        )
        for role in PROGRAMME_ROLE_ORDER
        if role in by_role
    ]


RESOURCE_KIND_ORDER = [
    Resource.Kind.RECORDING,
    Resource.Kind.REPORT,
    Resource.Kind.SUMMARY,
    Resource.Kind.SLIDES,
    Resource.Kind.PHOTOS,
    Resource.Kind.RELATED,
]


def after_event_order(resources) -> list[Resource]:
    """The recording first, then reports, summary, slides, photos and related reading, each
    kind in the organizer's order: how the page and the follow-up present what is left."""
    return sorted(
        resources,
        key=lambda resource: (
            RESOURCE_KIND_ORDER.index(resource.kind),
            resource.order,
            resource.pk or 0,
        ),
    )


def event_for_member(user, slug, permission=None) -> Event:
    """The event by slug among the user's teams' events (else 404), if the user holds
    `permission` on it (else PermissionDenied, a 403)."""
    event = get_object_or_404(
        Event.objects.for_user(user).select_related("organization"), slug=slug
    )
    if permission and not user.has_perm(permission, event):
        raise PermissionDenied
    return event
