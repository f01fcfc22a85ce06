"""The address book's services log each change once, with the team and the actor; the import
job logs its end as the system."""

import pytest

from events.audit import Actor
from events.models import LogEntry
from invitations.contacts import imports, services
from tests.factories import UserFactory

from .conftest import upload
from .factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return Actor.user(UserFactory(username="desk"))


def only_entry():
    (entry,) = LogEntry.objects.all()
    return entry


def test_creating_a_contact_logs_it_for_the_team(team, actor):
    contact = services.contact_create(actor=actor, team=team, email="Ana@Mission.example")

    entry = only_entry()
    assert (entry.action, entry.object_id, entry.team_id, entry.event_id) == (
        "contact.created",
        str(contact.pk),
        team.pk,
        None,
    )
    assert (entry.actor_kind, entry.actor_name) == ("user", "desk")
    assert entry.data["email"] == "ana@mission.example"


def test_updating_a_contact_logs_fields_and_tags_that_changed_and_nothing_otherwise(team, actor):
    contact = ContactFactory(team=team, first_name="Amina")

    services.contact_update(actor=actor, contact=contact, first_name="Amina")
    assert not LogEntry.objects.exists()
    services.contact_update(actor=actor, contact=contact, first_name="Aminata", tags=["G77"])

    entry = only_entry()
    assert entry.action == "contact.updated"
    assert entry.data == {
        "first_name": {"from": "Amina", "to": "Aminata"},
        "tags": {"from": [], "to": ["G77"]},
    }


def test_deleting_a_contact_logs_its_address(team, actor):
    contact = ContactFactory(team=team)

    services.contact_delete(actor=actor, contact=contact)

    entry = only_entry()
    assert (entry.action, entry.object_id, entry.data) == (
        "contact.deleted",
        str(contact.pk),
        {"email": contact.email},
    )


def test_lists_log_creation_renaming_members_and_deletion(team, actor):
    contact = ContactFactory(team=team)
    contact_list = services.list_create(actor=actor, team=team, name="Focal points")
    services.list_update(actor=actor, contact_list=contact_list, name="Focal points, Africa")
    services.list_add_contacts(actor=actor, contact_list=contact_list, contacts=[contact])
    services.list_add_contacts(actor=actor, contact_list=contact_list, contacts=[contact])
    services.list_remove_contacts(actor=actor, contact_list=contact_list, contacts=[contact])
    services.list_delete(actor=actor, contact_list=contact_list)

    logged = list(LogEntry.objects.order_by("id").values_list("action", "data"))
    assert logged == [
        ("contact_list.created", {"name": "Focal points", "contacts": 0}),
        (
            "contact_list.updated",
            {"name": {"from": "Focal points", "to": "Focal points, Africa"}},
        ),
        ("contact_list.contacts_added", {"count": 1}),
        ("contact_list.contacts_removed", {"count": 1}),
        ("contact_list.deleted", {"name": "Focal points, Africa"}),
    ]


def test_an_import_logs_its_start_by_the_user_and_its_end_by_the_job(team, actor):
    contact_import = imports.import_create(
        actor=actor,
        team=team,
        user=None,
        upload=upload("Email,First name\nana@mission.example,Ana\nnot-an-address,Bo\n"),
        start=True,
    )

    imports.run_import(contact_import.pk, actor=Actor.system("contact import"))

    started, finished = LogEntry.objects.order_by("id")
    assert (started.action, started.actor_kind) == ("import.started", "user")
    assert (finished.action, finished.actor_kind, finished.actor_name) == (
        "import.finished",
        "system",
        "contact import",
    )
    assert finished.data == {
        "file": "contacts.csv",
        "total": 2,
        "created": 1,
        "updated": 0,
        "refused": 1,
    }
    assert finished.object_id == str(contact_import.pk)


def test_the_import_task_is_logged_as_the_system(team, actor):
    from invitations import tasks

    contact_import = imports.import_create(
        actor=actor, team=team, user=None, upload=upload("Email\nana@mission.example\n"), start=True
    )

    tasks.run_contact_import.run(contact_import.pk)

    finished = LogEntry.objects.get(action="import.finished")
    assert (finished.actor_kind, finished.actor_name) == ("system", "contact import")


def test_discarding_a_draft_import_logs_it(team, actor):
    contact_import = imports.import_create(
        actor=actor, team=team, user=None, upload=upload("Email\nana@mission.example\n")
    )

    imports.import_discard(actor=actor, contact_import=contact_import)

    assert list(LogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "import.uploaded",
        "import.discarded",
    ]


def test_the_sweep_logs_an_import_it_gives_up_on_as_the_system(team, actor, settings):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from invitations.models import ContactImport

    tired = imports.import_create(
        actor=actor, team=team, user=None, upload=upload("Email\nb@m.example\n"), start=True
    )
    ContactImport.objects.filter(pk=tired.pk).update(
        status="running",
        heartbeat_at=timezone.now() - timedelta(seconds=settings.CONTACT_IMPORT_STALE_SECONDS + 1),
        attempts=settings.CONTACT_IMPORT_MAX_ATTEMPTS,
    )

    with mock.patch.object(imports, "queue_import"):
        imports.sweep()

    failed = LogEntry.objects.get(action="import.failed")
    assert (failed.actor_kind, failed.actor_name, failed.object_id) == (
        "system",
        "contact import sweep",
        str(tired.pk),
    )
    assert "stopped unexpectedly" in failed.data["message"]
