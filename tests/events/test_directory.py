import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from events import directory
from events.directory import Entry
from events.models import EventHost, Organization
from events.selectors import hosts_phrase
from tests.factories import EventHostFactory, MembershipFactory, OrganizationFactory, TeamFactory


def _load(entries=None):
    return directory.load(Organization, entries)


@pytest.fixture
def empty_directory(db):
    """No shipped entries, as before the directory's first load."""
    Organization.objects.filter(code__isnull=False).delete()


def test_every_member_state_has_its_mission_and_its_government(shipped_directory):
    missions = Organization.objects.filter(code__startswith="mission:")
    governments = Organization.objects.filter(code__startswith="government:")

    assert missions.count() == 193
    assert governments.count() == 193 + 2  # and the two observer states'
    korea = Organization.objects.get(code="mission:KR")
    assert (korea.name, korea.kind, korea.country.code) == (
        "Permanent Mission of the Republic of Korea",
        Organization.Kind.MEMBER_STATE,
        "KR",
    )
    assert Organization.objects.get(code="government:JP").name == "Government of Japan"
    assert Organization.objects.get(code="observer:PS").name == (
        "Permanent Observer Mission of the State of Palestine"
    )
    assert Organization.objects.get(code="regional:au").short_name == "AU"
    assert not Organization.objects.filter(code__isnull=False, is_team=True).exists()


def test_the_directory_loads_once_and_again_without_duplicates(shipped_directory):
    count = Organization.objects.count()

    again = _load()

    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert again.unchanged == len(directory.shipped_entries())
    assert Organization.objects.count() == count


def test_a_renamed_entry_in_the_data_is_updated_in_place(empty_directory):
    _load([Entry("un:dpo", "un_entity", "Department of Peacekeeping Operations", "DPKO")])
    entry = Organization.objects.get(code="un:dpo")
    EventHostFactory(organization=entry)

    result = _load([Entry("un:dpo", "un_entity", "UN Department of Peace Operations", "DPO")])

    assert (result.created, result.updated) == (0, 1)
    entry.refresh_from_db()
    assert (entry.name, entry.short_name) == ("UN Department of Peace Operations", "DPO")
    assert EventHost.objects.get().organization == entry


def test_an_entry_added_by_hand_becomes_the_shipped_one_instead_of_a_duplicate(empty_directory):
    by_hand = OrganizationFactory(name="government of  ghana", kind="other")

    result = _load([Entry("government:GH", "government", "Government of Ghana", country="GH")])

    assert (result.created, result.adopted) == (0, 1)
    by_hand.refresh_from_db()
    assert (by_hand.code, by_hand.name, by_hand.kind) == (
        "government:GH",
        "Government of Ghana",
        "government",
    )


def test_a_team_of_the_same_name_is_never_taken_for_the_entry(empty_directory):
    team = TeamFactory(name="Government of Ghana")

    _load([Entry("government:GH", "government", "Government of Ghana", country="GH")])

    team.refresh_from_db()
    assert team.code is None and team.is_team
    assert Organization.objects.filter(name="Government of Ghana").count() == 2


def test_an_entry_no_longer_shipped_is_removed_unless_an_event_names_it(empty_directory):
    _load([Entry("un:a", "un_entity", "Unused Office"), Entry("un:b", "un_entity", "Named Office")])
    EventHostFactory(organization=Organization.objects.get(code="un:b"))

    result = _load([])

    assert result.removed == 1
    assert result.kept == ["un:b"]
    assert list(Organization.objects.filter(code__isnull=False).values_list("code", flat=True)) == [
        "un:b"
    ]


def test_load_directory_command_reports_what_it_did(shipped_directory):
    output = StringIO()

    call_command("load_directory", stdout=output)

    assert "0 added, 0 updated" in output.getvalue()


def test_the_migration_makes_teams_of_organizations_with_members_or_events(db):
    with_members = MembershipFactory().organization
    with_events = EventHostFactory().event.organization
    named_only = OrganizationFactory(name="Wilton Park")
    Organization.objects.filter(pk__in=[with_members.pk, with_events.pk]).update(is_team=False)
    migration = importlib.import_module("events.migrations.0002_directory_and_teams")

    migration.teams_and_directory(apps, None)

    assert Organization.objects.get(pk=with_members.pk).is_team
    assert Organization.objects.get(pk=with_events.pk).is_team
    assert not Organization.objects.get(pk=named_only.pk).is_team
    assert Organization.objects.filter(code="mission:GH").exists()


def test_shipped_entries_read_like_the_seeds_as_co_hosts(event, shipped_directory):
    EventHostFactory(event=event, organization=event.organization, role="organizer", order=0)
    for order, code in enumerate(("mission:GH", "mission:GB", "mission:NO"), start=1):
        EventHostFactory(event=event, organization=Organization.objects.get(code=code), order=order)

    assert hosts_phrase(event.hosts.all()) == (
        "IPI together with the Permanent Missions of Ghana, the United Kingdom and Norway"
    )


def test_shipped_governments_group_as_in_the_seed(event, shipped_directory):
    EventHostFactory(event=event, organization=event.organization, role="organizer", order=0)
    for order, iso in enumerate(("ET", "ID", "JP", "KR"), start=1):
        entry = Organization.objects.get(code=f"government:{iso}")
        EventHostFactory(event=event, organization=entry, order=order)

    assert hosts_phrase(event.hosts.all()) == (
        "IPI together with the Governments of Ethiopia, Indonesia, Japan and the Republic of Korea"
    )
