"""The import job: bad rows reported by their row number, good rows written, existing contacts
updated by email, list membership and tags in the same step, and a run that stops or runs twice
never loses or doubles a row."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from events.audit import SYSTEM
from invitations.contacts import files, imports, writing
from invitations.models import Contact, ContactImport, ContactImportError

from .conftest import upload
from .factories import ContactFactory, ContactListFactory

HEADER = "Email,Honorific,First name,Last name,Organization,Country,Language,Tags\n"


@pytest.fixture(params=["sql", "orm"])
def both_paths(request, monkeypatch):
    """PostgreSQL writes a chunk with array statements; other databases through the ORM."""
    if request.param == "orm":
        original = writing.ChunkWriter.__init__

        def orm_only(self, *args, **kwargs):
            original(self, *args, **kwargs)
            self.fast = False

        monkeypatch.setattr(writing.ChunkWriter, "__init__", orm_only)


def queued(team, text, **kwargs):
    return imports.import_create(
        actor=SYSTEM, team=team, user=None, upload=upload(text), start=True, **kwargs
    )


def run(contact_import):
    outcome = imports.run_import(contact_import.pk, actor=SYSTEM)
    contact_import.refresh_from_db()
    return outcome


@pytest.mark.usefixtures("both_paths")
def test_each_bad_row_is_reported_by_its_row_number_field_and_reason_and_good_rows_import(team):
    contact_import = queued(
        team,
        HEADER
        + "amina@senegal.example,H.E. Ms.,Amina,Diallo,Mission of Senegal,SN,fr,focal point\n"
        + "not an address,,Bad,Email,,,,\n"
        + "kofi@ghana.example,,Kofi,Mensah,,Narnia,,\n"
        + ",,No,Email,,,,\n"
        + "jan@nl.example,,Jan,de Vries,,Netherlands,Klingon,\n"
        + "li@china.example,,Li,Wei,,CN,Chinese,\n",
    )

    assert run(contact_import) == "done"

    assert contact_import.status == ContactImport.Status.DONE
    assert (contact_import.total, contact_import.created, contact_import.refused) == (6, 2, 4)
    assert list(contact_import.errors.values_list("row", "field", "message")) == [
        (3, "email", "“not an address” is not an email address."),
        (4, "country", "“Narnia” is not a country: use its English name or its two-letter code."),
        (5, "email", "No email address in this row."),
        (6, "language", mock.ANY),
    ]
    amina = Contact.objects.get(email="amina@senegal.example")
    assert (amina.honorific, amina.country, amina.language) == ("H.E. Ms.", "SN", "fr")
    assert Contact.objects.get(email="li@china.example").language == "zh-hans"


@pytest.mark.usefixtures("both_paths")
def test_an_existing_contact_is_updated_by_email_never_duplicated_and_empty_cells_keep_values(
    team,
):
    ContactFactory(
        team=team, email="kofi@ghana.example", first_name="Kofi", position="Counsellor",
        organization_name="Mission of Ghana", tags=["donor"],
    )  # fmt: skip
    contact_import = queued(
        team, "email,first name,position,organization,tags\nKOFI@Ghana.example,,Ambassador,,G77\n"
    )

    run(contact_import)

    assert (contact_import.created, contact_import.updated) == (0, 1)
    kofi = Contact.objects.get(team=team)
    assert (kofi.first_name, kofi.position, kofi.organization_name) == (
        "Kofi", "Ambassador", "Mission of Ghana",
    )  # fmt: skip
    assert sorted(kofi.tags.values_list("name", flat=True)) == ["G77", "donor"]


@pytest.mark.usefixtures("both_paths")
def test_an_address_twice_in_one_file_is_imported_once_and_the_second_row_reported(team):
    contact_import = queued(
        team,
        "email,first name\nana@mission.example,Ana\nx@mission.example,X\nANA@mission.example,Ana B\n",
    )

    run(contact_import)

    assert Contact.objects.filter(team=team).count() == 2
    assert Contact.objects.get(email="ana@mission.example").first_name == "Ana"
    assert list(contact_import.errors.values_list("row", "message")) == [
        (4, "ana@mission.example is also on row 2; only that row is imported.")
    ]


def test_duplicates_are_caught_across_chunks(team, settings):
    settings.CONTACT_IMPORT_CHUNK_ROWS = 2
    contact_import = queued(
        team, "email\na@m.example\nb@m.example\nc@m.example\nd@m.example\na@m.example\n"
    )

    run(contact_import)

    assert (contact_import.created, contact_import.refused) == (4, 1)
    assert list(contact_import.errors.values_list("row", flat=True)) == [6]


@pytest.mark.usefixtures("both_paths")
def test_imported_rows_join_the_chosen_list_new_and_existing_alike(team):
    existing = ContactFactory(team=team, email="old@mission.example")
    contact_list = ContactListFactory(team=team, name="Focal points")
    contact_import = queued(
        team, "email\nold@mission.example\nnew@mission.example\nbad\n", contact_list=contact_list
    )

    run(contact_import)

    assert sorted(contact_list.contacts.values_list("email", flat=True)) == [
        "new@mission.example", existing.email,
    ]  # fmt: skip


@pytest.mark.usefixtures("both_paths")
def test_another_teams_contacts_are_neither_read_nor_changed(team, other_team):
    theirs = ContactFactory(team=other_team, email="kofi@ghana.example", position="Counsellor")

    run(queued(team, "email,position\nkofi@ghana.example,Ambassador\n"))

    theirs.refresh_from_db()
    assert theirs.position == "Counsellor"
    assert Contact.objects.get(team=team).position == "Ambassador"


def test_the_file_is_deleted_when_the_import_ends(team):
    contact_import = queued(team, "email\na@m.example\n")
    name = contact_import.file.name
    assert default_storage.exists(name)

    run(contact_import)

    assert not default_storage.exists(name)
    assert contact_import.file.name == ""


def test_rows_are_written_a_chunk_at_a_time_with_progress_between(team, settings):
    settings.CONTACT_IMPORT_CHUNK_ROWS = 10
    contact_import = queued(team, "email\n" + "".join(f"p{n}@m.example\n" for n in range(25)))
    progress = []
    write = writing.ChunkWriter.write

    def spy(self, chunk, cleaner, seen):
        write(self, chunk, cleaner, seen)
        progress.append(ContactImport.objects.get(pk=contact_import.pk).rows_done)

    with mock.patch.object(writing.ChunkWriter, "write", spy):
        run(contact_import)

    assert progress == [10, 20, 25]
    assert Contact.objects.filter(team=team).count() == 25


def test_a_run_that_crashes_ends_failed_with_a_message_keeping_the_chunks_written(team, settings):
    settings.CONTACT_IMPORT_CHUNK_ROWS = 2
    contact_import = queued(team, "email\na@m.example\nb@m.example\nc@m.example\n")
    name = contact_import.file.name
    write = writing.ChunkWriter.write
    calls = []

    def crash_on_second(self, chunk, cleaner, seen):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        write(self, chunk, cleaner, seen)

    with mock.patch.object(writing.ChunkWriter, "write", crash_on_second):
        assert run(contact_import) == "failed"

    assert contact_import.status == ContactImport.Status.FAILED
    assert "stopped after 2 rows" in contact_import.message
    assert Contact.objects.filter(team=team).count() == 2
    assert not default_storage.exists(name)


def test_a_run_twice_writes_once(team):
    contact_import = queued(team, "email\na@m.example\nbad\n")

    assert run(contact_import) == "done"
    assert run(contact_import) == "skipped"

    assert (contact_import.created, contact_import.refused) == (1, 1)
    assert ContactImportError.objects.count() == 1


def test_a_crashed_run_is_resumed_after_its_last_committed_chunk(team, settings):
    """A worker killed mid-import leaves it running; after the stale time another run takes it
    over and writes only the rows not committed yet."""
    settings.CONTACT_IMPORT_CHUNK_ROWS = 2
    contact_import = queued(
        team, "email\na@m.example\nb@m.example\nbad\nc@m.example\nd@m.example\n"
    )
    write = writing.ChunkWriter.write
    calls = []

    def killed_after_first(self, chunk, cleaner, seen):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit  # the process dies: nothing marks the import
        write(self, chunk, cleaner, seen)

    with (
        mock.patch.object(writing.ChunkWriter, "write", killed_after_first),
        pytest.raises(SystemExit),
    ):
        imports.run_import(contact_import.pk, actor=SYSTEM)
    contact_import.refresh_from_db()
    assert (contact_import.status, contact_import.rows_done) == ("running", 2)
    assert imports.run_import(contact_import.pk, actor=SYSTEM) == "skipped"  # not stale yet

    ContactImport.objects.filter(pk=contact_import.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.CONTACT_IMPORT_STALE_SECONDS + 1)
    )
    assert run(contact_import) == "done"

    assert (contact_import.total, contact_import.created, contact_import.refused) == (5, 4, 1)
    assert contact_import.attempts == 2
    assert list(contact_import.errors.values_list("row", flat=True)) == [4]


def test_a_run_taken_over_by_another_stops_writing(team, settings):
    settings.CONTACT_IMPORT_CHUNK_ROWS = 1
    contact_import = queued(team, "email\na@m.example\nb@m.example\n")
    write = writing.ChunkWriter.write

    def taken_over(self, chunk, cleaner, seen):
        ContactImport.objects.filter(pk=contact_import.pk).update(claim_token=None)
        write(self, chunk, cleaner, seen)

    with mock.patch.object(writing.ChunkWriter, "write", taken_over):
        assert imports.run_import(contact_import.pk, actor=SYSTEM) == "lost"

    assert not Contact.objects.exists()


def test_the_sweep_queues_stale_runs_again_and_fails_them_after_the_last_attempt(team, settings):
    stale = timezone.now() - timedelta(seconds=settings.CONTACT_IMPORT_STALE_SECONDS + 1)
    crashed = queued(team, "email\na@m.example\n")
    tired = queued(team, "email\nb@m.example\n")
    never_ran = queued(team, "email\nc@m.example\n")
    ContactImport.objects.filter(pk=crashed.pk).update(
        status="running", heartbeat_at=stale, attempts=1
    )
    ContactImport.objects.filter(pk=tired.pk).update(
        status="running", heartbeat_at=stale, attempts=settings.CONTACT_IMPORT_MAX_ATTEMPTS
    )
    ContactImport.objects.filter(pk=never_ran.pk).update(heartbeat_at=stale)

    with mock.patch.object(imports, "queue_import") as queue:
        counts = imports.sweep()

    assert sorted(call.args[0] for call in queue.call_args_list) == sorted(
        [crashed.pk, never_ran.pk]
    )
    assert counts == {"requeued": 2, "failed": 1, "discarded": 0}
    tired.refresh_from_db()
    assert tired.status == "failed"
    assert "stopped unexpectedly 3 times" in tired.message
    assert not default_storage.exists(tired.file.name or "missing")
    assert imports.run_import(crashed.pk, actor=SYSTEM) == "done"


def test_the_sweep_drops_drafts_never_started_and_their_files(
    team, django_capture_on_commit_callbacks
):
    draft = imports.import_create(
        actor=SYSTEM, team=team, user=None, upload=upload("email\na@m.example\n")
    )
    name = draft.file.name
    ContactImport.objects.filter(pk=draft.pk).update(created_at=timezone.now() - timedelta(days=2))

    with (
        mock.patch.object(imports, "queue_import"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert imports.sweep()["discarded"] == 1

    assert not ContactImport.objects.exists()
    assert not default_storage.exists(name)


def test_the_dry_run_shows_rows_and_errors_and_writes_nothing(team):
    ContactFactory(team=team, email="old@mission.example")
    draft = imports.import_create(actor=SYSTEM,
        team=team, user=None,
        upload=upload("email,country\nold@mission.example,GH\nnew@mission.example,XX\nn2@m.example,\n"),
    )  # fmt: skip

    preview = imports.import_preview(draft)

    assert [number for number, _values, _problems in preview.rows] == [2, 3, 4]
    assert [(row, field) for row, field, _message in preview.errors] == [(3, "country")]
    assert (preview.checked, preview.new, preview.existing) == (3, 1, 1)
    assert Contact.objects.filter(team=team).count() == 1
    draft.refresh_from_db()
    assert draft.status == ContactImport.Status.DRAFT


def test_rows_stream_from_the_stored_file(team):
    draft = imports.import_create(
        actor=SYSTEM, team=team, user=None, upload=upload("email\n" + "a@m.example\n" * 5)
    )

    with files.open_rows(draft) as rows:
        first = next(rows)

    assert first == (2, ["a@m.example"])
