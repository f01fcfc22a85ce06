"""The event services and the event page log each change once, with the actor, the action and
the fields that changed; the programme's parts one entry per part created, changed or deleted."""

import pytest
from django.urls import reverse

from events.audit import Actor
from events.models import Event, LogEntry, Speaker
from events.services import (
    cancel_event,
    create_directory_entry,
    create_event,
    publish_event,
    update_event,
)
from tests.events.test_services import _fields
from tests.events.test_workspace import edit_form_data
from tests.factories import EventFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return Actor.user(UserFactory(first_name="Namie", last_name="Di Razza"))


def only_entry(**filters):
    (entry,) = LogEntry.objects.filter(**filters)
    return entry


def test_creating_an_event_logs_it_once(organization, actor):
    event = create_event(actor=actor, organization=organization, **_fields())

    entry = only_entry()
    assert (entry.action, entry.event, entry.team, entry.actor_name) == (
        "event.created",
        event,
        organization,
        "Namie Di Razza",
    )
    assert entry.data == {"title": "Peacekeeping in Africa", "slug": event.slug}


def test_an_update_logs_only_the_fields_that_changed_and_no_change_logs_nothing(event, actor):
    update_event(actor=actor, event=event, title=event.title, venue_name=event.venue_name)
    assert not LogEntry.objects.exists()

    update_event(actor=actor, event=event, title="New title", venue_name=event.venue_name)

    entry = only_entry()
    assert entry.action == "event.updated"
    assert entry.data == {"title": {"from": event.title, "to": "New title"}}


def test_publishing_and_cancelling_log_the_status_change(organization, actor):
    event = EventFactory(organization=organization, draft=True)

    publish_event(actor=actor, event=event)
    cancel_event(actor=actor, event=event)

    published, cancelled = LogEntry.objects.order_by("id")
    assert (published.action, published.data) == (
        "event.published",
        {"status": {"from": "draft", "to": "published"}},
    )
    assert (cancelled.action, cancelled.data) == (
        "event.cancelled",
        {"status": {"from": "published", "to": "cancelled"}},
    )


def test_a_refused_transition_logs_nothing(event, actor):
    from events.services import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        publish_event(actor=actor, event=event)  # already published

    assert not LogEntry.objects.exists()


def test_a_directory_entry_is_logged_without_an_event(actor):
    entry_org = create_directory_entry(actor=actor, name="Stimson Center", kind="think_tank")

    entry = only_entry()
    assert (entry.action, entry.object_id, entry.event) == (
        "directory_entry.created",
        str(entry_org.pk),
        None,
    )


@pytest.fixture
def manager_client(client, manager):
    manager.first_name, manager.last_name = "Ana", "Ruiz"
    manager.save()
    client.force_login(manager)
    return client


def _speaker_rows(*rows, initial=0):
    data = {"speakers-TOTAL_FORMS": str(len(rows)), "speakers-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data |= {f"speakers-{index}-{name}": value for name, value in row.items()}
    return data


def test_the_event_page_logs_each_part_created_changed_and_deleted(manager_client, event):
    kept = SpeakerFactory(event=event, name="Jean-Pierre Lacroix", position="USG", order=0)
    gone = SpeakerFactory(event=event, name="Bintou Keita", order=1)
    url = reverse("workspace:event_edit", kwargs={"slug": event.slug})
    data = edit_form_data(event) | _speaker_rows(
        {
            "id": kept.pk,
            "honorific": kept.honorific,
            "name": kept.name,
            "organization_name": kept.organization_name,
            "position": "Under-Secretary-General",
            "role": "speaker",
            "order": 0,
        },
        {"id": gone.pk, "name": gone.name, "role": "speaker", "order": 1, "DELETE": "on"},
        {"name": "Ivan Šimonović", "role": "moderator", "order": 2},
        initial=2,
    )

    response = manager_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    new = Speaker.objects.get(name="Ivan Šimonović")
    logged = {(e.action, e.object_id): e for e in LogEntry.objects.filter(object_type="speaker")}
    assert set(logged) == {
        ("speaker.updated", str(kept.pk)),
        ("speaker.deleted", str(gone.pk)),
        ("speaker.created", str(new.pk)),
    }
    assert logged["speaker.updated", str(kept.pk)].data == {
        "position": {"from": "USG", "to": "Under-Secretary-General"}
    }
    assert logged["speaker.created", str(new.pk)].data["role"] == "moderator"
    assert {(e.actor_kind, e.actor_name, e.event_id) for e in logged.values()} == {
        ("user", "Ana Ruiz", event.pk)
    }


def test_saving_the_event_page_unchanged_logs_nothing_for_its_parts(manager_client, event):
    speaker = SpeakerFactory(event=event, name="Bintou Keita", role="speaker", order=0)
    url = reverse("workspace:event_edit", kwargs={"slug": event.slug})
    data = edit_form_data(event) | _speaker_rows(
        {
            "id": speaker.pk,
            "honorific": speaker.honorific,
            "name": speaker.name,
            "position": speaker.position,
            "organization_name": speaker.organization_name,
            "role": "speaker",
            "order": 0,
        },
        initial=1,
    )

    manager_client.post(url, data)

    assert not LogEntry.objects.filter(object_type="speaker").exists()


def test_parts_changed_through_the_api_are_logged(manager, event):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")
    base = f"/api/v1/events/{event.slug}/speakers/"

    created = api.post(base, {"name": "Bintou Keita", "role": "speaker"}, format="json").json()
    api.patch(f"{base}{created['id']}/", {"position": "ASG"}, format="json")
    api.delete(f"{base}{created['id']}/")

    assert list(LogEntry.objects.order_by("id").values_list("action", "actor_kind")) == [
        ("speaker.created", "token"),
        ("speaker.updated", "token"),
        ("speaker.deleted", "token"),
    ]
    assert Event.objects.filter(pk=event.pk).exists()
