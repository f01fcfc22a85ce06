"""The workspace's contacts and lists pages: search, filters, pages, adding, editing, removing
after a confirmation, and what a viewer or another team's member gets."""

import pytest
from django.urls import reverse

from events.models import Membership
from invitations.models import Contact, ContactList
from tests.factories import MembershipFactory

from .factories import ContactFactory, ContactListFactory


def url(name, team, **kwargs):
    return reverse(f"contacts:{name}", kwargs={"team_id": team.pk, **kwargs})


def test_the_navigation_leads_to_my_teams_contacts(manager_client, team):
    page = manager_client.get("/workspace/").content.decode()
    assert 'href="/workspace/contacts/"' in page

    response = manager_client.get("/workspace/contacts/")

    assert response.status_code == 302
    assert response.url == f"/workspace/teams/{team.pk}/contacts/"


def test_an_empty_address_book_says_how_to_fill_it(manager_client, team):
    page = manager_client.get(url("list", team)).content.decode()

    assert "No contacts yet." in page
    assert url("upload", team) in page


def test_contacts_are_searched_filtered_and_paged(manager_client, team):
    amina = ContactFactory(team=team, first_name="Amina", last_name="Diallo", country="SN",
                           organization_name="Permanent Mission of Senegal", tags=["G77"])  # fmt: skip
    ContactFactory(team=team, first_name="Kofi", last_name="Mensah", country="GH",
                   organization_name="Permanent Mission of Ghana")  # fmt: skip
    contact_list = ContactListFactory(team=team, name="Focal points", contacts=[amina])

    def names(**query):
        page = manager_client.get(url("list", team), query).content.decode()
        return [name for name in ("Amina", "Kofi") if f"{name} " in page]

    assert names() == ["Amina", "Kofi"]
    assert names(search="senegal") == ["Amina"]
    assert names(list=contact_list.pk) == ["Amina"]
    assert names(tag="G77") == ["Amina"]
    assert names(country="GH") == ["Kofi"]
    page = manager_client.get(url("list", team), {"search": "nobody"}).content.decode()
    assert "No contacts match these filters." in page


def test_the_list_pages_by_fifty_and_keeps_the_filters(manager_client, team):
    ContactFactory.create_batch(55, team=team, country="SN")

    page = manager_client.get(url("list", team), {"country": "SN"}).content.decode()

    assert "Page 1 of 2" in page
    assert 'href="?country=SN&amp;page=2"' in page


def test_a_manager_adds_a_contact_with_tags_and_lists(manager_client, team):
    contact_list = ContactListFactory(team=team, name="Focal points")

    response = manager_client.post(url("create", team), {
        "email": "Amina@Senegal.example", "honorific": "H.E. Ms.", "first_name": "Amina",
        "last_name": "Diallo", "country": "SN", "language": "fr", "tags": "focal point; G77",
        "lists": [contact_list.pk],
    })  # fmt: skip

    assert response.status_code == 302
    contact = Contact.objects.get(team=team)
    assert contact.email == "amina@senegal.example"
    assert sorted(contact.tags.values_list("name", flat=True)) == ["G77", "focal point"]
    assert list(contact.lists.all()) == [contact_list]


def test_an_address_already_in_the_team_is_shown_on_the_email_field(manager_client, team):
    ContactFactory(team=team, email="kofi@ghana.example", first_name="Kofi", last_name="Mensah")

    response = manager_client.post(url("create", team), {"email": "KOFI@ghana.example"})

    assert response.status_code == 200
    form = response.context["form"]
    assert "already in your team's contacts" in form.errors["email"][0]
    assert "Nothing was saved" in response.content.decode()
    assert Contact.objects.count() == 1


def test_a_manager_edits_a_contact(manager_client, team):
    contact = ContactFactory(team=team, email="kofi@ghana.example", tags=["donor"])

    response = manager_client.post(url("edit", team, contact_id=contact.pk), {
        "email": "kofi@ghana.example", "first_name": "Kofi", "position": "Ambassador",
        "tags": "G77", "search": "kofi",
    })  # fmt: skip

    assert response.status_code == 302
    assert response.url.endswith("?search=kofi")
    contact.refresh_from_db()
    assert (contact.position, list(contact.tags.values_list("name", flat=True))) == (
        "Ambassador", ["G77"],
    )  # fmt: skip


def test_removing_a_contact_asks_first_and_only_the_post_removes(manager_client, team):
    contact = ContactFactory(team=team)

    page = manager_client.get(url("delete", team, contact_id=contact.pk))
    assert "Remove this contact?" in page.content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()

    response = manager_client.post(url("delete", team, contact_id=contact.pk))
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_ticked_contacts_are_added_to_a_list(manager_client, team):
    contacts = ContactFactory.create_batch(3, team=team)
    contact_list = ContactListFactory(team=team)

    manager_client.post(url("add_to_list", team), {
        "contacts": [contacts[0].pk, contacts[2].pk], "contact_list": contact_list.pk,
    })  # fmt: skip

    assert set(contact_list.contacts.all()) == {contacts[0], contacts[2]}


def test_lists_are_created_renamed_filled_emptied_and_deleted_after_a_confirmation(
    manager_client, team
):
    kofi = ContactFactory(team=team, email="kofi@ghana.example")
    response = manager_client.post(url("lists", team), {"name": "Focal points"})
    contact_list = ContactList.objects.get(team=team)
    assert response.url == url("list_detail", team, list_id=contact_list.pk)

    manager_client.post(
        url("list_detail", team, list_id=contact_list.pk),
        {"emails": "KOFI@ghana.example, stranger@nowhere.example"},
    )
    assert list(contact_list.contacts.all()) == [kofi]
    page = manager_client.get(url("list_detail", team, list_id=contact_list.pk), follow=True)
    assert "kofi@ghana.example" in page.content.decode()

    manager_client.post(url("list_edit", team, list_id=contact_list.pk), {"name": "G77"})
    contact_list.refresh_from_db()
    assert contact_list.name == "G77"

    manager_client.post(url("list_remove", team, list_id=contact_list.pk), {"contacts": kofi.pk})
    assert contact_list.contacts.count() == 0

    confirm = manager_client.get(url("list_delete", team, list_id=contact_list.pk))
    assert "Delete this list?" in confirm.content.decode()
    assert ContactList.objects.exists()
    manager_client.post(url("list_delete", team, list_id=contact_list.pk))
    assert not ContactList.objects.exists()
    assert Contact.objects.filter(pk=kofi.pk).exists()


def test_a_list_name_taken_is_shown_on_the_name_field(manager_client, team):
    ContactListFactory(team=team, name="Focal points")

    response = manager_client.post(url("lists", team), {"name": "focal points"})

    assert "already has a list" in response.context["form"].errors["name"][0]


def test_a_viewer_looks_but_every_change_is_forbidden(viewer_client, team):
    contact = ContactFactory(team=team)
    contact_list = ContactListFactory(team=team)

    page = viewer_client.get(url("list", team)).content.decode()
    assert contact.email in page
    assert url("create", team) not in page
    assert viewer_client.get(url("list_detail", team, list_id=contact_list.pk)).status_code == 200
    for name, kwargs in [("create", {}), ("edit", {"contact_id": contact.pk}),
                         ("delete", {"contact_id": contact.pk}), ("upload", {}),
                         ("list_edit", {"list_id": contact_list.pk}),
                         ("list_delete", {"list_id": contact_list.pk})]:  # fmt: skip
        assert viewer_client.get(url(name, team, **kwargs)).status_code == 403, name
        assert viewer_client.post(url(name, team, **kwargs)).status_code == 403, name
    assert viewer_client.post(url("lists", team), {"name": "Mine"}).status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert ContactList.objects.count() == 1


def test_another_teams_contacts_and_lists_are_not_found(manager_client, team, other_team):
    theirs = ContactFactory(team=other_team)
    their_list = ContactListFactory(team=other_team)

    assert manager_client.get(url("list", other_team)).status_code == 404
    assert manager_client.get(url("edit", team, contact_id=theirs.pk)).status_code == 404
    assert manager_client.post(url("delete", team, contact_id=theirs.pk)).status_code == 404
    assert manager_client.get(url("list_detail", team, list_id=their_list.pk)).status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()


def test_someone_in_two_teams_switches_between_them(manager_client, manager, team, other_team):
    MembershipFactory(user=manager, organization=other_team, role=Membership.Role.VIEWER)
    ContactFactory(team=other_team, email="theirs@norway.example")

    page = manager_client.get(url("list", team)).content.decode()
    assert url("list", other_team) in page

    other = manager_client.get(url("list", other_team)).content.decode()
    assert "theirs@norway.example" in other
    assert url("create", other_team) not in other


@pytest.mark.parametrize("name", ["list", "lists", "upload"])
def test_contacts_pages_need_a_signed_in_user(client, team, name):
    response = client.get(url(name, team))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
