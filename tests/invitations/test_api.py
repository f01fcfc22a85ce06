"""The invitee's side of the API, by the token in the invitation link."""

import pytest
from rest_framework.test import APIClient

from events.audit import Actor
from invitations import selectors, services
from invitations.models import Invitation


@pytest.fixture
def api():
    """A browser-like client: the endpoints are public and must not need a CSRF token."""
    return APIClient(enforce_csrf_checks=True)


def _url(token, action=""):
    return f"/api/v1/invitations/{token}/" + (f"{action}/" if action else "")


def test_get_answers_the_event_the_invitee_and_seats_left(api, mission_invitation, delegate):
    services.register_by_invitation(
        actor=Actor.system("test"),
        token=mission_invitation.token,
        event=mission_invitation.event,
        **delegate(),
    )

    response = api.get(_url(mission_invitation.token))

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "registered"
    assert body["organization_name"] == "Permanent Mission of Sweden"
    assert (body["seats"], body["seats_left"], body["transferable"]) == (3, 2, True)
    assert body["event"]["title"] == "Impact-Driven Peacekeeping Partnerships"
    assert body["event"]["public_url"] == mission_invitation.event.public_url
    assert body["event"]["starts_at"].endswith(("-05:00", "-04:00"))  # New York time
    assert "secret" not in body and "online_join_url" not in body["event"]


def test_get_names_a_personal_invitee(api, invitation):
    body = api.get(_url(invitation.token)).json()

    assert body["full_name"] == "H.E. Mr. Kofi Mensah"
    assert (body["email"], body["seats_left"], body["transferable"]) == (
        "kofi@ghana-mission.example",
        1,
        False,
    )


@pytest.mark.parametrize("token", ["garbage", "1.", "999.abc"])
def test_unknown_token_is_404(api, invitation, token):
    assert api.get(_url(token)).status_code == 404
    assert api.post(_url(token, "decline")).status_code == 404


def test_forged_token_is_404(api, invitation):
    assert api.get(_url(f"{invitation.pk}.{'x' * 32}")).status_code == 404


def test_decline_with_a_reason(api, invitation):
    response = api.post(
        _url(invitation.token, "decline"), {"reason": "Travelling that week."}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["seats_left"]) == ("declined", 0)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.decline_reason == "Travelling that week."


def test_decline_without_a_body(api, invitation):
    assert api.post(_url(invitation.token, "decline")).status_code == 200


def test_declining_twice_answers_409(api, invitation):
    api.post(_url(invitation.token, "decline"))

    response = api.post(_url(invitation.token, "decline"))

    assert response.status_code == 409
    assert response.json() == {"detail": "This invitation is already declined."}


def test_declining_after_registering_answers_409(api, invitation, delegate):
    services.register_by_invitation(
        actor=Actor.system("test"),
        token=invitation.token,
        event=invitation.event,
        **delegate(email=invitation.email),
    )

    response = api.post(_url(invitation.token, "decline"))

    assert response.status_code == 409
    assert selectors.with_state(invitation).state == Invitation.State.REGISTERED


def test_too_long_reason_answers_400(api, invitation):
    response = api.post(_url(invitation.token, "decline"), {"reason": "x" * 2001}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()


def test_schema_documents_the_invitation_endpoints(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()

    assert "/api/v1/invitations/{token}/" in schema["paths"]
    assert "/api/v1/invitations/{token}/decline/" in schema["paths"]
