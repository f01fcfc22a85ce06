"""The workspace import: upload, the columns and a dry run that write nothing, the start, and
the progress the page polls until the import is done."""

from django.urls import reverse

from events.audit import SYSTEM
from invitations.contacts import imports
from invitations.models import Contact, ContactImport

from .conftest import upload
from .factories import ContactListFactory

FILE = "Courriel;Prénom;Famille\namina@senegal.example;Amina;Diallo\nnot-an-address;X;Y\n"


def url(name, team, **kwargs):
    return reverse(f"contacts:{name}", kwargs={"team_id": team.pk, **kwargs})


def uploaded(manager_client, team, content=FILE, **data):
    response = manager_client.post(url("upload", team), {"file": upload(content), **data})
    assert response.status_code == 302, response.context["form"].errors
    return ContactImport.objects.get()


def test_an_upload_shows_the_guessed_columns_and_a_dry_run_that_writes_nothing(
    manager_client, team
):
    contact_import = uploaded(manager_client, team)

    response = manager_client.get(url("import", team, import_id=contact_import.pk))

    page = response.content.decode()
    assert response.context["form"]["field_email"].value() == "0"
    assert response.context["form"]["field_first_name"].value() == "1"
    assert "Famille" in page  # not recognised: the organizer chooses it
    assert "amina@senegal.example" in page
    assert "“not-an-address” is not an email address." in page
    assert "Import 2 rows" in page
    assert not Contact.objects.exists()


def test_choosing_a_column_previews_again_and_starting_imports_with_it(
    manager_client, team, django_capture_on_commit_callbacks, monkeypatch
):
    contact_list = ContactListFactory(team=team, name="Focal points")
    contact_import = uploaded(manager_client, team)
    detail = url("import", team, import_id=contact_import.pk)
    choice = {"field_email": "0", "field_first_name": "1", "field_last_name": "2",
              "contact_list": contact_list.pk}  # fmt: skip

    preview = manager_client.get(detail, choice).content.decode()
    assert "Diallo" in preview
    assert 'name="field_last_name" value="2"' in preview
    queued = []
    monkeypatch.setattr(imports, "queue_import", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            url("import_start", team, import_id=contact_import.pk), choice
        )

    assert response.url == detail
    assert queued == [contact_import.pk]
    progress = manager_client.get(detail).content.decode()
    assert "Queued" in progress
    assert 'hx-trigger="every 1s"' in progress
    assert '<meta http-equiv="refresh"' in progress

    imports.run_import(contact_import.pk, actor=SYSTEM)
    finished = manager_client.get(url("import_progress", team, import_id=contact_import.pk),
                                  headers={"HX-Request": "true"})  # fmt: skip
    assert finished.headers["HX-Refresh"] == "true"
    page = manager_client.get(detail).content.decode()
    assert "1 contacts added, 0 updated, 1 rows not imported." in page
    assert "hx-trigger" not in page
    assert "not-an-address" in page
    assert Contact.objects.get().last_name == "Diallo"
    assert list(contact_list.contacts.all()) == [Contact.objects.get()]


def test_the_list_chosen_with_the_file_is_kept_when_the_guessed_columns_are_imported(
    manager_client, team, django_capture_on_commit_callbacks, monkeypatch
):
    contact_list = ContactListFactory(team=team, name="Focal points")
    contact_import = uploaded(manager_client, team, contact_list=contact_list.pk)

    page = manager_client.get(url("import", team, import_id=contact_import.pk)).content.decode()

    assert f'<input type="hidden" name="contact_list" value="{contact_list.pk}">' in page
    assert "and add them to “Focal points”" in page
    monkeypatch.setattr(imports, "queue_import", lambda pk: None)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            url("import_start", team, import_id=contact_import.pk),
            {"field_email": "0", "contact_list": contact_list.pk},
        )
    contact_import.refresh_from_db()
    assert contact_import.contact_list == contact_list


def test_a_mapping_without_the_email_column_cannot_start(manager_client, team):
    contact_import = uploaded(manager_client, team)

    page = manager_client.get(
        url("import", team, import_id=contact_import.pk), {"field_first_name": "1"}
    ).content.decode()
    assert "Choose the column that holds the email addresses." in page

    manager_client.post(
        url("import_start", team, import_id=contact_import.pk), {"field_first_name": "1"}
    )
    contact_import.refresh_from_db()
    assert contact_import.status == ContactImport.Status.DRAFT


def test_a_refused_file_is_said_on_the_upload_form_and_nothing_is_stored(
    manager_client, team, settings
):
    settings.CONTACT_IMPORT_MAX_BYTES = 10

    response = manager_client.post(url("upload", team), {"file": upload(FILE)})

    assert "The file is larger than 10" in response.content.decode()
    assert not ContactImport.objects.exists()


def test_a_draft_can_be_cancelled(manager_client, team, django_capture_on_commit_callbacks):
    contact_import = uploaded(manager_client, team)

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(url("import_discard", team, import_id=contact_import.pk))

    assert not ContactImport.objects.exists()


def test_a_viewer_may_follow_an_import_but_not_make_one(viewer_client, team):
    contact_import = imports.import_create(
        actor=SYSTEM, team=team, user=None, upload=upload(FILE), start=True
    )

    assert viewer_client.get(url("import", team, import_id=contact_import.pk)).status_code == 200
    assert viewer_client.post(url("upload", team), {"file": upload(FILE)}).status_code == 403
    assert (
        viewer_client.post(url("import_discard", team, import_id=contact_import.pk)).status_code
        == 403
    )


def test_another_teams_import_is_not_found(manager_client, team, other_team):
    theirs = imports.import_create(actor=SYSTEM, team=other_team, user=None, upload=upload(FILE))

    assert manager_client.get(url("import", team, import_id=theirs.pk)).status_code == 404
    assert manager_client.get(url("import_progress", team, import_id=theirs.pk)).status_code == 404
    assert manager_client.post(url("import_start", team, import_id=theirs.pk)).status_code == 404
