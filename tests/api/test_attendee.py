"""The attendee's own changes through the API, by the token in their manage_url."""

import pytest
from rest_framework.test import APIClient

from registration.emails import manage_url
from registration.models import Registration


def _url(registration, action, token=None):
    return f"/api/v1/registrations/manage/{token or registration.manage_token}/{action}/"


@pytest.fixture
def csrf_checking_client():
    """A browser-like client: the endpoints are public and must not need a CSRF token."""
    return APIClient(enforce_csrf_checks=True)


def test_cancel_answers_the_cancelled_registration(csrf_checking_client, hybrid_event, register):
    registration = register(hybrid_event)

    response = csrf_checking_client.post(_url(registration, "cancel"))

    assert response.status_code == 200
    assert response.json() == {
        "id": registration.pk,
        "status": "cancelled",
        "attendance_mode": "in_person",
        "manage_url": manage_url(registration),
    }
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_cancel_promotes_the_first_waitlisted(anonymous_client, hybrid_event, register):
    first = register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)

    anonymous_client.post(_url(first, "cancel"))

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_mode_switch_answers_the_moved_registration(csrf_checking_client, hybrid_event, register):
    registration = register(hybrid_event)

    response = csrf_checking_client.post(
        _url(registration, "mode"), {"attendance_mode": "virtual"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["attendance_mode"] == "virtual"
    assert response.json()["status"] == "confirmed"
    registration.refresh_from_db()
    assert registration.attendance_mode == "virtual"


@pytest.mark.parametrize("action", ["cancel", "mode"])
@pytest.mark.parametrize("token", ["{id}.wrong-secret", "999999.{secret}", "not-a-token"])
def test_unknown_token_is_not_found(anonymous_client, hybrid_event, register, action, token):
    registration = register(hybrid_event)
    token = token.format(id=registration.pk, secret=registration.manage_secret)

    response = anonymous_client.post(
        _url(registration, action, token), {"attendance_mode": "virtual"}, format="json"
    )

    assert response.status_code == 404
    registration.refresh_from_db()
    assert (registration.status, registration.attendance_mode) == ("confirmed", "in_person")


def test_cancelling_twice_is_a_conflict(anonymous_client, hybrid_event, register):
    registration = register(hybrid_event)
    anonymous_client.post(_url(registration, "cancel"))

    response = anonymous_client.post(_url(registration, "cancel"))

    assert response.status_code == 409
    assert response.json() == {"detail": "This registration is already cancelled."}


def test_switching_into_a_full_mode_is_a_conflict_and_changes_nothing(
    anonymous_client, hybrid_event, register
):
    register(hybrid_event)
    register(hybrid_event)
    online = register(hybrid_event, attendance_mode="virtual")

    response = anonymous_client.post(
        _url(online, "mode"), {"attendance_mode": "in_person"}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "All in person places are taken."}
    online.refresh_from_db()
    assert online.attendance_mode == "virtual"


def test_mode_switch_without_a_mode_is_a_field_error(anonymous_client, hybrid_event, register):
    registration = register(hybrid_event)

    response = anonymous_client.post(_url(registration, "mode"), {}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["attendance_mode"]


def test_mode_the_event_does_not_offer_is_a_field_error(anonymous_client, event, register):
    registration = register(event)

    response = anonymous_client.post(
        _url(registration, "mode"), {"attendance_mode": "virtual"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"attendance_mode": ["This event has no virtual attendance."]}
    registration.refresh_from_db()
    assert registration.attendance_mode == "in_person"
