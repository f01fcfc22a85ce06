"""Check-in staff see what the door needs (name, honorific, organization, status, attendance
mode, check-in state) and nothing else: no email, answers, join link or manage link, through
the API or the workspace. Managers keep the full view."""

import pytest
from django.urls import reverse

from events.models import Membership
from registration.models import Question
from tests.factories import MembershipFactory

DOOR_FIELDS = {
    "id",
    "honorific",
    "first_name",
    "last_name",
    "organization_name",
    "status",
    "attendance_mode",
    "checked_in_at",
    "attended",
}


@pytest.fixture
def check_in_user(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user


@pytest.fixture
def door_client(client_for, check_in_user):
    return client_for(check_in_user)


@pytest.fixture
def delegate(hybrid_event, register):
    question = Question.objects.create(event=hybrid_event, label="Dietary needs")
    return register(
        hybrid_event,
        email="kristina.zetterlund@gov.se",
        honorific="H.E. Ms.",
        first_name="Kristina",
        last_name="Zetterlund",
        organization_name="Permanent Mission of Sweden",
        attendance_mode="in_person",
        answers={str(question.pk): "Vegetarian"},
    )


def _private_values(registration):
    return [
        registration.email,
        "Vegetarian",
        registration.manage_secret,
        registration.ticket_code,
        registration.event.online_join_url,
    ]


def test_check_in_staff_list_registrants_with_the_door_fields_only(
    door_client, hybrid_event, delegate
):
    response = door_client.get(f"/api/v1/events/{hybrid_event.slug}/registrations/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert set(row) == DOOR_FIELDS
    assert row["last_name"] == "Zetterlund"
    for value in _private_values(delegate):
        assert value not in response.content.decode()


def test_check_in_staff_read_one_registrant_with_the_door_fields_only(
    door_client, hybrid_event, delegate
):
    response = door_client.get(f"/api/v1/events/{hybrid_event.slug}/registrations/{delegate.pk}/")

    assert response.status_code == 200
    assert set(response.json()) == DOOR_FIELDS


def test_managers_keep_the_full_registrant(manager_client, hybrid_event, delegate):
    response = manager_client.get(f"/api/v1/events/{hybrid_event.slug}/registrations/")

    [row] = response.json()["results"]
    assert row["email"] == "kristina.zetterlund@gov.se"
    assert list(row["answers"].values()) == ["Vegetarian"]


def test_check_in_staff_do_not_read_the_join_link(door_client, manager_client, hybrid_event):
    staff_view = door_client.get(f"/api/v1/events/{hybrid_event.slug}/")
    manager_view = manager_client.get(f"/api/v1/events/{hybrid_event.slug}/")

    assert staff_view.status_code == 200
    assert "online_join_url" not in staff_view.json()
    assert hybrid_event.online_join_url not in staff_view.content.decode()
    assert manager_view.json()["online_join_url"] == hybrid_event.online_join_url


def test_check_in_staff_do_not_read_the_join_link_in_the_event_list(door_client, hybrid_event):
    response = door_client.get("/api/v1/events/")

    assert response.status_code == 200
    assert hybrid_event.online_join_url not in response.content.decode()


def test_check_in_staff_do_not_read_the_outbox(door_client, hybrid_event, delegate):
    response = door_client.get(f"/api/v1/events/{hybrid_event.slug}/messages/")

    assert response.status_code == 403
    assert delegate.email not in response.content.decode()


def test_check_in_staff_still_check_people_in(door_client, organization, register):
    from tests.factories import EventFactory

    event = EventFactory(organization=organization)
    registration = register(event, email="kofi@ghana-mission.example")

    response = door_client.post(
        f"/api/v1/events/{event.slug}/checkins/",
        {"ticket_code": registration.ticket_code},
        format="json",
    )

    assert response.status_code == 200
    assert "email" not in response.json()["registration"]


# --- The workspace --------------------------------------------------------------------------


def test_check_in_staff_are_refused_the_registrants_page_and_the_outbox(
    client, check_in_user, hybrid_event, delegate
):
    client.force_login(check_in_user)

    registrants = client.get(reverse("registrants:list", kwargs={"slug": hybrid_event.slug}))
    outbox = client.get(reverse("outbox:outbox", kwargs={"slug": hybrid_event.slug}))

    assert registrants.status_code == 403
    assert outbox.status_code == 403


def test_check_in_staff_see_no_join_link_or_private_pages_on_the_event(
    client, check_in_user, hybrid_event
):
    client.force_login(check_in_user)

    page = client.get(reverse("workspace:event_detail", kwargs={"slug": hybrid_event.slug}))

    html = page.content.decode()
    assert page.status_code == 200
    assert hybrid_event.online_join_url not in html
    assert reverse("registrants:list", kwargs={"slug": hybrid_event.slug}) not in html
    assert reverse("outbox:outbox", kwargs={"slug": hybrid_event.slug}) not in html
    assert reverse("checkin:desk", kwargs={"slug": hybrid_event.slug}) in html


def test_the_desk_shows_check_in_staff_no_email(client, check_in_user, hybrid_event, delegate):
    client.force_login(check_in_user)

    page = client.get(reverse("checkin:desk", kwargs={"slug": hybrid_event.slug}), {"q": "Zetter"})

    html = page.content.decode()
    assert "Zetterlund" in html
    assert delegate.email not in html


def test_managers_see_the_email_at_the_desk_and_the_join_link(
    client, manager, hybrid_event, delegate
):
    client.force_login(manager)

    desk = client.get(reverse("checkin:desk", kwargs={"slug": hybrid_event.slug}), {"q": "Zetter"})
    detail = client.get(reverse("workspace:event_detail", kwargs={"slug": hybrid_event.slug}))

    assert delegate.email in desk.content.decode()
    assert hybrid_event.online_join_url in detail.content.decode()


def test_the_schema_requires_only_the_door_fields_of_a_registration(anonymous_client, db):
    schema = anonymous_client.get("/api/v1/schema/?format=json").json()

    registration = schema["components"]["schemas"]["Registration"]
    assert set(registration["required"]) <= DOOR_FIELDS
    assert "email" in registration["properties"]
