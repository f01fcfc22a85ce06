"""/api/v1/contacts/, /api/v1/contact-lists/, POST /api/v1/contacts/import/ and
GET /api/v1/imports/{id}/: shapes, field errors, and another team's records as 404."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.parsers import MultiPartParser
from rest_framework.test import APIClient

from events.audit import SYSTEM
from events.models import Membership
from invitations.contacts import imports
from invitations.models import Contact, ContactImport, ContactList
from tests.factories import MembershipFactory

from .conftest import upload, xlsx_bytes
from .factories import ContactFactory, ContactListFactory


@pytest.fixture
def api_for(db):
    def build(user):
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return build


@pytest.fixture
def api(api_for, manager):
    return api_for(manager)


def test_a_manager_of_one_team_creates_a_contact_without_naming_the_team(api, team):
    response = api.post(
        "/api/v1/contacts/",
        {"email": "Amina@Senegal.example", "honorific": "H.E. Ms.", "first_name": "Amina",
         "last_name": "Diallo", "country": "SN", "language": "fr", "tags": ["focal point"]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body | {"id": 0, "created_at": "", "updated_at": ""} == {
        "id": 0, "team": team.pk, "email": "amina@senegal.example", "honorific": "H.E. Ms.",
        "first_name": "Amina", "last_name": "Diallo", "full_name": "H.E. Ms. Amina Diallo",
        "position": "", "organization_name": "", "country": "SN", "language": "fr",
        "tags": ["focal point"], "lists": [], "created_at": "", "updated_at": "",
    }  # fmt: skip


def test_an_address_already_in_the_team_answers_400_on_email(api, team):
    ContactFactory(team=team, email="kofi@ghana.example")

    response = api.post("/api/v1/contacts/", {"email": "KOFI@ghana.example"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert "already in your team's contacts" in response.json()["email"][0]


def test_a_bad_field_answers_400_with_the_field(api, team):
    response = api.post("/api/v1/contacts/", {"email": "nope", "country": "XX"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"email", "country"}


def test_a_manager_of_two_teams_must_say_which(api, manager, other_team):
    MembershipFactory(user=manager, organization=other_team, role=Membership.Role.MANAGER)

    response = api.post("/api/v1/contacts/", {"email": "a@m.example"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["team"]

    response = api.post(
        "/api/v1/contacts/", {"email": "a@m.example", "team": other_team.pk}, format="json"
    )
    assert response.status_code == 201
    assert Contact.objects.get().team == other_team


def test_a_viewer_reads_contacts_but_may_not_change_them(api_for, viewer, team):
    contact = ContactFactory(team=team)
    api = api_for(viewer)

    assert api.get("/api/v1/contacts/").json()["count"] == 1
    assert api.get(f"/api/v1/contacts/{contact.pk}/").status_code == 200
    response = api.post("/api/v1/contacts/", {"email": "a@m.example", "team": team.pk})
    assert response.status_code == 403
    assert api.patch(f"/api/v1/contacts/{contact.pk}/", {"position": "X"}).status_code == 403
    assert api.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 403
    assert Contact.objects.count() == 1


def test_another_teams_contacts_lists_and_imports_are_404(api, other_team):
    theirs = ContactFactory(team=other_team)
    their_list = ContactListFactory(team=other_team)
    their_import = ContactImport.objects.create(team=other_team, file_name="x.csv")

    assert api.get("/api/v1/contacts/").json()["count"] == 0
    assert api.get(f"/api/v1/contacts/{theirs.pk}/").status_code == 404
    assert api.patch(f"/api/v1/contacts/{theirs.pk}/", {"position": "X"}).status_code == 404
    assert api.delete(f"/api/v1/contacts/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/v1/contact-lists/{their_list.pk}/").status_code == 404
    assert api.get(f"/api/v1/imports/{their_import.pk}/").status_code == 404
    response = api.post(
        "/api/v1/contacts/", {"email": "a@m.example", "team": other_team.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["team"]


def test_the_list_filters_by_search_list_tag_and_country(api, team):
    amina = ContactFactory(team=team, first_name="Amina", country="SN", tags=["G77"])
    ContactFactory(team=team, first_name="Kofi", country="GH", tags=["G77"])
    ContactFactory(team=team, first_name="Jan", country="NL")
    contact_list = ContactListFactory(team=team, contacts=[amina])

    def emails(**query):
        return [row["email"] for row in api.get("/api/v1/contacts/", query).json()["results"]]

    assert emails(search="amina") == [amina.email]
    assert emails(list=contact_list.pk) == [amina.email]
    assert len(emails(tag="g77")) == 2
    assert emails(tag="G77", country="SN") == [amina.email]


def test_patch_changes_a_contact_and_deleting_removes_it(api, team):
    contact = ContactFactory(team=team, tags=["donor"])

    response = api.patch(
        f"/api/v1/contacts/{contact.pk}/",
        {"position": "Ambassador", "tags": ["G77"]},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["position"], response.json()["tags"]) == ("Ambassador", ["G77"])
    assert (
        api.patch(f"/api/v1/contacts/{contact.pk}/", {"team": 999}, format="json").status_code
        == 400
    )

    assert api.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204
    assert not Contact.objects.exists()


def test_contact_lists_are_created_renamed_filled_and_deleted(api, team, other_team):
    contacts = ContactFactory.create_batch(2, team=team)

    response = api.post(
        "/api/v1/contact-lists/",
        {"name": "Focal points", "contacts": [contacts[0].pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("team", "name", "contacts", "size")} == {
        "team": team.pk, "name": "Focal points", "contacts": [contacts[0].pk], "size": 1,
    }  # fmt: skip

    url = f"/api/v1/contact-lists/{body['id']}/"
    response = api.patch(url, {"name": "G77", "contacts": [c.pk for c in contacts]}, format="json")
    assert (response.json()["name"], response.json()["size"]) == ("G77", 2)

    theirs = ContactFactory(team=other_team)
    response = api.patch(url, {"contacts": [theirs.pk]}, format="json")
    assert response.status_code == 400
    assert "contacts" in response.json()

    duplicate = api.post("/api/v1/contact-lists/", {"name": "g77"}, format="json")
    assert duplicate.status_code == 400
    assert list(duplicate.json()) == ["name"]

    assert api.delete(url).status_code == 204
    assert not ContactList.objects.exists()
    assert Contact.objects.filter(team=team).count() == 2


def test_an_import_is_accepted_with_202_and_reports_its_rows(
    api, team, django_capture_on_commit_callbacks, monkeypatch
):
    contact_list = ContactListFactory(team=team)
    queued = []
    monkeypatch.setattr(imports, "queue_import", queued.append)
    content = "Courriel;Nom\nana@m.example;Lima\nbad;X\n"

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/contacts/import/",
            {"file": upload(content), "contact_list": contact_list.pk,
             "mapping": '{"last_name": "Nom"}'},
            format="multipart",
        )  # fmt: skip

    assert response.status_code == 202, response.json()
    import_id = response.json()["id"]
    assert queued == [import_id]
    imports.run_import(import_id, actor=SYSTEM)
    body = api.get(f"/api/v1/imports/{import_id}/").json()
    assert {k: body[k] for k in ("status", "total", "created", "updated", "refused", "errors")} == {
        "status": "done", "total": 2, "created": 1, "updated": 0, "refused": 1,
        "errors": [{"row": 3, "field": "email", "message": "“bad” is not an email address."}],
    }  # fmt: skip
    assert Contact.objects.get().last_name == "Lima"
    assert list(contact_list.contacts.all()) == [Contact.objects.get()]


def test_an_xlsx_import_goes_through_the_api(api, team):
    content = xlsx_bytes([["email", "first name"], ["amina@senegal.example", "Amina"]])

    response = api.post(
        "/api/v1/contacts/import/",
        {"file": upload(content, name="c.xlsx")},
        format="multipart",
    )

    assert response.status_code == 202
    imports.run_import(response.json()["id"], actor=SYSTEM)
    assert Contact.objects.get().first_name == "Amina"


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        (b"", "file", "empty"),
        (b"%PDF-1.4\n\x00\x01\x02", "file", "neither"),
        (b"name\nKofi\n", "mapping", "email addresses"),
    ],
)
def test_a_refused_import_answers_400_and_writes_nothing(api, team, content, field, words):
    response = api.post("/api/v1/contacts/import/", {"file": upload(content)}, format="multipart")

    assert response.status_code == 400
    assert words in response.json()[field][0]
    assert not ContactImport.objects.exists()


def test_a_mapping_naming_a_missing_column_answers_400(api, team):
    response = api.post(
        "/api/v1/contacts/import/",
        {"file": upload("email\na@m.example\n"), "mapping": '{"last_name": "Surname"}'},
        format="multipart",
    )

    assert response.status_code == 400
    assert "no column “Surname”" in response.json()["mapping"][0]


def test_a_viewer_may_not_import(api_for, viewer, team):
    response = api_for(viewer).post(
        "/api/v1/contacts/import/",
        {"file": upload("email\na@m.example\n"), "team": team.pk},
        format="multipart",
    )

    assert response.status_code == 403
    assert not ContactImport.objects.exists()


def test_the_schema_documents_the_contacts_endpoints(client, db):
    schema = client.get("/api/v1/schema/").content.decode()

    for path in ("/api/v1/contacts/", "/api/v1/contacts/import/", "/api/v1/contact-lists/",
                 "/api/v1/imports/{id}/"):  # fmt: skip
        assert f"{path}:" in schema
    assert "neither CSV nor XLSX" in schema


def test_an_upload_too_large_is_refused_before_its_body_is_read(api, team, settings, monkeypatch):
    settings.CONTACT_IMPORT_MAX_BYTES = 1000
    content = "email\n" + "someone@mission.example\n" * 5000

    def unread(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", unread)

    response = api.post("/api/v1/contacts/import/", {"file": upload(content)}, format="multipart")

    assert response.status_code == 400
    assert "larger than 1000" in response.json()["file"][0]
    assert not ContactImport.objects.exists()
