"""The event's Log page: who changed what, newest first, filtered, for members who may see the
event's private details."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from events.audit import SYSTEM, Actor, log_action
from events.models import LogEntry, Membership
from events.services import update_event
from tests.factories import EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def log_url(event, query=""):
    return reverse("workspace:event_log", kwargs={"slug": event.slug}) + query


@pytest.fixture
def viewer_client(client, organization):
    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user
    )
    return client


def test_an_update_is_shown_with_who_made_it_and_each_field_from_to(viewer_client, event, manager):
    manager.first_name, manager.last_name = "Namie", "Di Razza"
    manager.save()
    update_event(actor=Actor.user(manager), event=event, title="A <b>new</b> title")

    page = viewer_client.get(log_url(event))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Namie Di Razza" in html
    assert "event.updated" in html
    assert "A &lt;b&gt;new&lt;/b&gt; title" in html  # escaped
    assert 'class="log-data__old"' in html and "→" in html


def test_times_are_shown_in_the_event_time_zone(viewer_client, organization):
    event = EventFactory(organization=organization, timezone="America/New_York")
    entry = log_action(actor=SYSTEM, action="event.updated", obj=event)
    LogEntry.objects.filter(pk=entry.pk).update(at=datetime(2026, 3, 2, 15, 30, tzinfo=UTC))

    html = viewer_client.get(log_url(event)).content.decode()

    assert "10:30 EST" in html


def test_the_log_is_filtered_by_family_actor_kind_object_type_and_name(viewer_client, event):
    log_action(actor=Actor.attendee("Ana Ruiz"), action="invitation.declined", obj=event)
    log_action(actor=Actor.system("scheduled reminders"), action="invitation.reminded", obj=event)
    log_action(actor=Actor.system("beat"), action="event.updated", obj=event)

    def shown(query):
        html = viewer_client.get(log_url(event, query)).content.decode()
        return [
            a for a in ("invitation.declined", "invitation.reminded", "event.updated") if a in html
        ]

    assert shown("?family=invitation") == ["invitation.declined", "invitation.reminded"]
    assert shown("?actor_kind=attendee") == ["invitation.declined"]
    assert shown("?q=reminders") == ["invitation.reminded"]
    assert shown("?object_type=event") == [
        "invitation.declined",
        "invitation.reminded",
        "event.updated",
    ]
    assert (
        "No entries match these filters."
        in viewer_client.get(log_url(event, "?actor_kind=token")).content.decode()
    )


def test_the_log_is_paginated_keeping_the_filters(viewer_client, event):
    for _number in range(51):
        log_action(actor=SYSTEM, action="invitation.sent", obj=event)

    html = viewer_client.get(log_url(event, "?family=invitation")).content.decode()

    assert "Page 1 of 2" in html
    assert "family=invitation&amp;page=2" in html


def test_an_event_with_nothing_logged_says_so(viewer_client, event):
    html = viewer_client.get(log_url(event)).content.decode()
    assert "Nothing has been logged for this event yet." in html


def test_entries_of_another_event_are_not_shown(viewer_client, event, organization):
    other = EventFactory(organization=organization)
    log_action(actor=SYSTEM, action="event.published", obj=other)

    assert "event.published" not in viewer_client.get(log_url(event)).content.decode()


def test_check_in_staff_may_not_read_the_log(client, organization, event):
    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user
    )
    assert client.get(log_url(event)).status_code == 403


def test_another_teams_event_log_is_not_found(client, outsider, event):
    client.force_login(outsider)
    assert client.get(log_url(event)).status_code == 404


def test_signing_in_is_required(client, event):
    response = client.get(log_url(event))
    assert response.status_code == 302


def test_the_event_page_links_to_its_log(viewer_client, event):
    html = viewer_client.get(reverse("workspace:event_detail", kwargs={"slug": event.slug}))
    assert log_url(event) in html.content.decode()
