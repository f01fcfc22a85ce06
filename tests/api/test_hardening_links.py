"""A private link reaches only its address (DESIGN rule 6): registering through the public API
answers the manage link only to a caller who manages the event; anyone else finds it in the
email sent to the address they typed."""

import pytest
from django.conf import settings

from events.models import Membership
from notifications.models import Message
from registration.emails import manage_url
from registration.models import Registration
from tests.factories import InvitationFactory, MembershipFactory


def _url(event):
    return f"/api/v1/events/{event.slug}/registrations/"


def _body(**fields):
    return {
        "email": "ambassador@mission.example",
        "first_name": "Kristina",
        "last_name": "Zetterlund",
        "attendance_mode": "in_person",
        "consent": True,
    } | fields


def test_anonymous_registering_gets_no_manage_link_and_is_told_it_was_emailed(
    anonymous_client, hybrid_event
):
    response = anonymous_client.post(_url(hybrid_event), _body(), format="json")

    registration = Registration.objects.get()
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "status", "attendance_mode", "detail"}
    assert body["id"] == registration.pk
    assert "ambassador@mission.example" in body["detail"]
    assert registration.manage_secret not in response.content.decode()
    assert registration.ticket_code not in response.content.decode()
    # The link goes to the address, in the confirmation.
    assert Message.objects.get(kind="registration_confirmed").to_email == registration.email


def test_a_manager_registering_on_someones_behalf_gets_the_manage_link(
    manager_client, hybrid_event
):
    response = manager_client.post(_url(hybrid_event), _body(), format="json")

    registration = Registration.objects.get()
    assert response.status_code == 201
    assert response.json()["manage_url"] == manage_url(registration)
    assert response.json()["manage_url"].startswith(settings.SITE_URL)


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.CHECK_IN])
def test_a_team_member_who_does_not_manage_gets_no_manage_link(
    client_for, organization, hybrid_event, role
):
    member = MembershipFactory(organization=organization, role=role).user

    response = client_for(member).post(_url(hybrid_event), _body(), format="json")

    assert response.status_code == 201
    assert "manage_url" not in response.json()


def test_another_teams_manager_gets_no_manage_link(client_for, outsider, hybrid_event):
    response = client_for(outsider).post(_url(hybrid_event), _body(), format="json")

    assert response.status_code == 201
    assert "manage_url" not in response.json()


def test_a_bad_token_is_401_and_registers_nobody(anonymous_client, hybrid_event):
    anonymous_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = anonymous_client.post(_url(hybrid_event), _body(), format="json")

    assert response.status_code == 401
    assert not Registration.objects.exists()


def test_registering_twice_answers_409_without_the_link(anonymous_client, hybrid_event, register):
    existing = register(hybrid_event, email="ambassador@mission.example")

    response = anonymous_client.post(_url(hybrid_event), _body(), format="json")

    assert response.status_code == 409
    assert set(response.json()) == {"detail"}
    assert existing.manage_secret not in response.content.decode()


def test_registering_by_a_mission_invitation_gets_no_manage_link(anonymous_client, organization):
    invitation = InvitationFactory(mission=True, event__organization=organization)

    response = anonymous_client.post(
        _url(invitation.event),
        _body(invitation_token=invitation.token, email="delegate@mission.example"),
        format="json",
    )

    assert response.status_code == 201
    assert "manage_url" not in response.json()


def test_the_schema_says_manage_url_is_for_managers_only(anonymous_client, db):
    schema = anonymous_client.get("/api/v1/schema/?format=json").json()

    registered = schema["components"]["schemas"]["Registered"]
    assert "manage_url" not in registered.get("required", [])
    assert "manager" in registered["properties"]["manage_url"]["description"]
