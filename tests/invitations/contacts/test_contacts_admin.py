"""Staff see contacts, lists, tags and imports in the admin; imports only to read."""

import pytest

from invitations.models import ContactImport

from .factories import ContactFactory, ContactListFactory


@pytest.mark.parametrize("model", ["contact", "contactlist", "contacttag", "contactimport"])
def test_changelist_loads(admin_client, team, model):
    contact = ContactFactory(team=team, tags=["G77"])
    ContactListFactory(team=team, contacts=[contact])
    ContactImport.objects.create(team=team, file_name="guests.csv", status="done")

    assert admin_client.get(f"/admin/invitations/{model}/").status_code == 200


def test_an_import_is_read_only_in_the_admin(admin_client, team):
    contact_import = ContactImport.objects.create(team=team, file_name="guests.csv")
    contact_import.errors.create(row=3, field="email", message="“x” is not an email address.")

    page = admin_client.get(f"/admin/invitations/contactimport/{contact_import.pk}/change/")

    assert "is not an email address" in page.content.decode()
    assert admin_client.get("/admin/invitations/contactimport/add/").status_code == 403
