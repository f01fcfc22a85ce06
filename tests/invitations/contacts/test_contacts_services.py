"""A team's address book: one contact per address, lists and tags, who may change them."""

import pytest
from django.core.exceptions import ValidationError

from events.audit import SYSTEM
from events.models import Membership
from invitations.contacts import selectors, services
from invitations.contacts.selectors import ContactFilters
from invitations.models import Contact, ContactList, ContactTag
from tests.factories import MembershipFactory

from .factories import ContactFactory, ContactListFactory


def test_a_contact_is_stored_with_its_address_in_lower_case(team):
    contact = services.contact_create(actor=SYSTEM,
        team=team, email="  Amina.Diallo@Senegal-Mission.example ", first_name="Amina",
        tags=["focal point", "G77"],
    )  # fmt: skip

    assert contact.email == "amina.diallo@senegal-mission.example"
    assert sorted(contact.tags.values_list("name", flat=True)) == ["G77", "focal point"]


def test_an_address_already_in_the_team_is_refused_on_the_email_field_whatever_its_case(team):
    ContactFactory(team=team, email="kofi@ghana-mission.example", first_name="Kofi")

    with pytest.raises(ValidationError) as refusal:
        services.contact_create(actor=SYSTEM, team=team, email="KOFI@Ghana-Mission.example")

    assert "already in your team's contacts" in refusal.value.message_dict["email"][0]
    assert Contact.objects.filter(team=team).count() == 1


def test_the_same_address_may_be_a_contact_of_two_teams(team, other_team):
    ContactFactory(team=other_team, email="kofi@ghana-mission.example")

    services.contact_create(actor=SYSTEM, team=team, email="kofi@ghana-mission.example")

    assert Contact.objects.filter(email="kofi@ghana-mission.example").count() == 2


def test_changing_an_address_to_one_another_contact_has_is_refused(team):
    ContactFactory(team=team, email="taken@mission.example")
    contact = ContactFactory(team=team, email="mine@mission.example")

    with pytest.raises(ValidationError) as refusal:
        services.contact_update(actor=SYSTEM, contact=contact, email="Taken@Mission.example")

    assert "email" in refusal.value.message_dict
    contact.refresh_from_db()
    assert contact.email == "mine@mission.example"


def test_updating_a_contact_replaces_its_tags_and_keeps_its_own_address(team):
    contact = ContactFactory(team=team, email="amina@mission.example", tags=["donor"])

    services.contact_update(
        actor=SYSTEM,
        contact=contact,
        email="AMINA@mission.example",
        position="Ambassador",
        tags=["G77"],
    )

    contact.refresh_from_db()
    assert contact.position == "Ambassador"
    assert list(contact.tags.values_list("name", flat=True)) == ["G77"]


def test_a_tag_is_matched_without_regard_to_case_and_not_made_twice(team):
    ContactTag.objects.create(team=team, name="Focal point")

    contact = services.contact_create(
        actor=SYSTEM, team=team, email="a@mission.example", tags=["focal POINT"]
    )

    assert list(contact.tags.values_list("name", flat=True)) == ["Focal point"]
    assert ContactTag.objects.filter(team=team).count() == 1


def test_removing_a_contact_takes_it_off_its_lists(team):
    contact = ContactFactory(team=team)
    contact_list = ContactListFactory(team=team, contacts=[contact])

    services.contact_delete(actor=SYSTEM, contact=contact)

    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert contact_list.contacts.count() == 0


def test_a_list_name_is_unique_in_the_team_without_regard_to_case(team):
    services.list_create(actor=SYSTEM, team=team, name="Focal points")

    with pytest.raises(ValidationError) as refusal:
        services.list_create(actor=SYSTEM, team=team, name="focal  POINTS")

    assert "already has a list" in refusal.value.message_dict["name"][0]


def test_a_list_gains_and_loses_members_who_stay_in_the_address_book(team):
    contacts = ContactFactory.create_batch(3, team=team)
    contact_list = services.list_create(actor=SYSTEM, team=team, name="Missions")

    assert (
        services.list_add_contacts(actor=SYSTEM, contact_list=contact_list, contacts=contacts) == 3
    )
    assert (
        services.list_add_contacts(actor=SYSTEM, contact_list=contact_list, contacts=contacts[:1])
        == 0
    )
    assert (
        services.list_remove_contacts(
            actor=SYSTEM, contact_list=contact_list, contacts=contacts[:2]
        )
        == 2
    )

    assert list(contact_list.contacts.all()) == contacts[2:]
    assert Contact.objects.filter(team=team).count() == 3


def test_another_teams_contact_cannot_join_a_list(team, other_team):
    contact_list = ContactListFactory(team=team)

    with pytest.raises(ValidationError):
        services.list_add_contacts(
            actor=SYSTEM, contact_list=contact_list, contacts=[ContactFactory(team=other_team)]
        )

    assert contact_list.contacts.count() == 0


def test_renaming_and_deleting_a_list_keeps_its_contacts(team):
    contact = ContactFactory(team=team)
    contact_list = ContactListFactory(team=team, name="Old", contacts=[contact])

    services.list_update(actor=SYSTEM, contact_list=contact_list, name="Focal points of the G77")
    assert ContactList.objects.get(pk=contact_list.pk).name == "Focal points of the G77"
    services.list_delete(actor=SYSTEM, contact_list=contact_list)

    assert not ContactList.objects.filter(pk=contact_list.pk).exists()
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_search_finds_name_email_and_organization_words(team):
    amina = ContactFactory(team=team, first_name="Amina", organization_name="Mission of Senegal")
    ContactFactory(team=team, first_name="Kofi", organization_name="Mission of Ghana")

    assert list(selectors.contacts(team, ContactFilters(search="senegal amina"))) == [amina]
    assert list(selectors.contacts(team, ContactFilters(search=amina.email.upper()))) == [amina]


def test_filters_by_list_tag_and_country(team):
    in_list = ContactFactory(team=team, country="GH", tags=["G77"])
    ContactFactory(team=team, country="GH")
    ContactFactory(team=team, country="SE", tags=["G77"])
    contact_list = ContactListFactory(team=team, contacts=[in_list])

    assert list(selectors.contacts(team, ContactFilters(list_id=contact_list.pk))) == [in_list]
    both = ContactFilters(tag="g77", country="GH")
    assert list(selectors.contacts(team, both)) == [in_list]


@pytest.mark.parametrize(
    ("role", "may_read", "may_change"),
    [
        (Membership.Role.OWNER, True, True),
        (Membership.Role.MANAGER, True, True),
        (Membership.Role.CHECK_IN, False, False),  # the door needs no address book
        (Membership.Role.VIEWER, True, False),
    ],
)
def test_members_but_check_in_staff_read_contacts_and_owners_and_managers_change_them(
    team, role, may_read, may_change
):
    user = MembershipFactory(organization=team, role=role).user

    assert user.has_perm("invitations.view_contacts", team) is may_read
    assert user.has_perm("invitations.change_contacts", team) is may_change


def test_someone_of_another_team_may_neither_read_nor_change(team, outsider):
    assert not outsider.has_perm("invitations.view_contacts", team)
    assert not outsider.has_perm("invitations.change_contacts", team)
