from types import SimpleNamespace

import pytest

from events.audit import Actor, changes, log_action, snapshot
from events.models import LogEntry
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_log_action_records_actor_object_event_team_and_data():
    event = EventFactory()
    user = UserFactory(first_name="Namie", last_name="Di Razza")

    entry = log_action(
        actor=Actor.user(user), action="event.updated", obj=event, data={"title": ["a", "b"]}
    )

    entry.refresh_from_db()
    assert (entry.actor_kind, entry.actor_name, entry.actor_user) == (
        "user",
        "Namie Di Razza",
        user,
    )
    assert (entry.event, entry.team, entry.action) == (event, event.organization, "event.updated")
    assert (entry.object_type, entry.object_id) == ("event", str(event.pk))
    assert entry.data == {"title": ["a", "b"]}


def test_actor_for_an_api_request_is_its_token():
    user = UserFactory(username="integrator")
    request = SimpleNamespace(user=user, auth=SimpleNamespace(name="CRM sync"))

    actor = Actor.for_request(request)

    assert (actor.kind, actor.name, actor.user_id) == ("token", "integrator · CRM sync", user.pk)


def test_actor_for_a_page_is_its_signed_in_user():
    user = UserFactory(username="desk")
    actor = Actor.for_request(SimpleNamespace(user=user))
    assert (actor.kind, actor.name) == ("user", "desk")


def test_changes_names_only_the_fields_that_differ_with_old_and_new_values():
    event = EventFactory(title="Before", venue_name="ECOSOC Chamber")
    before = snapshot(event, ["title", "venue_name", "starts_at"])

    event.title = "After"

    assert changes(before, event) == {"title": {"from": "Before", "to": "After"}}


def test_data_is_stored_as_json_whatever_its_python_types():
    event = EventFactory()
    log_action(
        actor=Actor.system("reminders"),
        action="event.updated",
        obj=event,
        data={"starts_at": [event.starts_at, None]},
    )
    stored = LogEntry.objects.get().data
    assert stored["starts_at"][0].startswith(str(event.starts_at.year))
