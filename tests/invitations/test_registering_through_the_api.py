"""POST /api/v1/events/{slug}/registrations/ with an invitation_token accepts the invitation."""

import pytest

from events.audit import Actor
from invitations import selectors
from invitations.models import Invitation
from notifications.models import Message
from registration.models import Registration


def _register(client, event, **fields):
    body = {
        "email": "kofi@ghana-mission.example",
        "first_name": "Kofi",
        "last_name": "Mensah",
        "attendance_mode": "in_person",
        "consent": True,
    } | fields
    return client.post(f"/api/v1/events/{event.slug}/registrations/", body, format="json")


@pytest.fixture
def api(db):
    from rest_framework.test import APIClient

    return APIClient()


def test_a_valid_token_registers_for_an_invitation_only_event(api, private_event, invitation):
    response = _register(api, private_event, invitation_token=invitation.token)

    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    registration = Registration.objects.get()
    assert registration.invitation_id == invitation.pk
    assert selectors.with_state(invitation).state == Invitation.State.REGISTERED
    assert Message.objects.filter(kind="registration_confirmed").count() == 1


def test_a_forged_token_answers_409_and_writes_nothing(api, private_event, invitation):
    forged = f"{invitation.pk}.{'x' * len(invitation.secret)}"

    response = _register(api, private_event, invitation_token=forged)

    assert response.status_code == 409
    assert "not valid" in response.json()["detail"]
    assert not Registration.objects.exists()
    assert not Message.objects.exists()


def test_a_personal_invitation_used_with_another_address_answers_400(
    api, private_event, invitation
):
    response = _register(
        api, private_event, invitation_token=invitation.token, email="someone@else.example"
    )

    assert response.status_code == 400
    assert "email" in response.json()
    assert not Registration.objects.exists()


def test_a_mission_token_takes_delegates_up_to_its_seats(api, private_event, mission_invitation):
    answers = [
        _register(
            api,
            private_event,
            invitation_token=mission_invitation.token,
            email=f"delegate{number}@sweden-mission.example",
        ).status_code
        for number in range(4)
    ]

    assert answers == [201, 201, 201, 409]
    assert Registration.objects.filter(invitation_id=mission_invitation.pk).count() == 3


def test_a_token_for_another_event_answers_409(api, private_event, invitation, hybrid_event):
    response = _register(api, hybrid_event, invitation_token=invitation.token)

    assert response.status_code == 409
    assert not Registration.objects.exists()


def test_stats_count_an_invitation_registered_only_while_someone_stands_registered(
    api, private_event, invitation, manager
):
    from registration import services as registration_services

    _register(api, private_event, invitation_token=invitation.token)
    registration_services.cancel(
        actor=Actor.system("test"), registration=Registration.objects.get()
    )
    api.force_authenticate(manager)

    stats = api.get(f"/api/v1/events/{private_event.slug}/stats/").json()

    counts = {key: stats["invitations"][key] for key in ("total", "sent", "declined", "registered")}
    assert counts == {"total": 1, "sent": 1, "declined": 0, "registered": 0}
    assert stats["invitations"]["no_answer"] == 1
