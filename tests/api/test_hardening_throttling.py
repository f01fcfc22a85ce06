"""Abuse is throttled: public endpoints per address (IP) and per email address, the token
endpoint per IP, and password guessing is locked out on every sign-in form. The API answers
429 with Retry-After; people get a page that says what happened and when to try again."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.authtoken.models import Token

from notifications import services as outbox
from registration.models import Registration
from tests.factories import InvitationFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def rates(settings):
    """Small limits, so a test reaches them in a few requests."""

    def set_rates(**scopes):
        settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, **scopes}

    return set_rates


def _register(client, event, email, ip="203.0.113.7"):
    return client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {
            "email": email,
            "first_name": "Kristina",
            "last_name": "Zetterlund",
            "attendance_mode": "virtual",
            "consent": True,
        },
        format="json",
        REMOTE_ADDR=ip,
    )


def test_the_defaults_throttle_every_public_scope(settings):
    for scope in (
        "register",
        "register_address",
        "token",
        "invitation",
        "attendee",
        "unsubscribe",
    ):
        assert settings.THROTTLE_RATES[scope], scope


def test_registering_is_throttled_per_ip_with_retry_after(anonymous_client, hybrid_event, rates):
    rates(register="3/minute")

    answers = [_register(anonymous_client, hybrid_event, f"d{n}@mission.example") for n in range(4)]

    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert "detail" in answers[-1].json()
    assert Registration.objects.count() == 3


def test_another_ip_is_not_held_back_by_the_first(anonymous_client, hybrid_event, rates):
    rates(register="1/minute")
    _register(anonymous_client, hybrid_event, "a@mission.example", ip="203.0.113.7")

    response = _register(anonymous_client, hybrid_event, "b@mission.example", ip="198.51.100.9")

    assert response.status_code == 201


def test_registering_one_address_is_throttled_whatever_the_ip(
    anonymous_client, organization, rates
):
    from tests.factories import EventFactory

    rates(register_address="2/hour")
    events = [EventFactory(organization=organization, virtual=True) for _ in range(3)]

    answers = [
        _register(anonymous_client, event, email, ip=ip)
        for event, email, ip in zip(
            events,
            ["kofi@mission.example", " Kofi@Mission.EXAMPLE", "kofi@mission.example"],
            ["203.0.113.1", "203.0.113.2", "203.0.113.3"],
            strict=True,
        )
    ]

    assert [answer.status_code for answer in answers] == [201, 201, 429]
    assert _register(anonymous_client, events[2], "ama@mission.example").status_code == 201


def test_a_duplicate_registration_counts_against_the_address(anonymous_client, hybrid_event, rates):
    rates(register_address="2/hour")

    answers = [_register(anonymous_client, hybrid_event, "kofi@mission.example") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [201, 409, 429]


def test_the_token_endpoint_is_throttled_per_ip(anonymous_client, manager, rates):
    rates(token="2/minute")

    answers = [
        anonymous_client.post(
            "/api/v1/auth/token/", {"username": f"nobody{n}", "password": "x"}, format="json"
        )
        for n in range(3)
    ]

    assert [answer.status_code for answer in answers] == [400, 400, 429]
    assert "Retry-After" in answers[-1]


def test_invitation_token_endpoints_are_throttled(anonymous_client, organization, rates):
    rates(invitation="2/minute")
    invitation = InvitationFactory(event__organization=organization)
    url = f"/api/v1/invitations/{invitation.token}/"

    answers = [anonymous_client.get(url), anonymous_client.get("/api/v1/invitations/1.x/")]
    answers.append(anonymous_client.post(url + "decline/", {}, format="json"))

    assert [answer.status_code for answer in answers] == [200, 404, 429]
    invitation.refresh_from_db()
    assert invitation.status == "sent"


def test_attendee_endpoints_are_throttled(anonymous_client, hybrid_event, register, rates):
    rates(attendee="2/minute")
    registration = register(hybrid_event)
    url = f"/api/v1/registrations/manage/{registration.manage_token}/"

    answers = [
        anonymous_client.post(url + "mode/", {"attendance_mode": "virtual"}, format="json"),
        anonymous_client.post("/api/v1/registrations/manage/1.wrong/cancel/"),
        anonymous_client.post(url + "cancel/"),
    ]

    assert [answer.status_code for answer in answers] == [200, 404, 429]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_the_registration_form_is_throttled_with_a_page_for_people(client, event, rates):
    rates(register="1/minute")
    form = {
        "first_name": "Kristina",
        "last_name": "Zetterlund",
        "language": "en",
        "consent": "on",
    }

    client.post(f"/events/{event.slug}/register/", form | {"email": "a@mission.example"})
    response = client.post(f"/events/{event.slug}/register/", form | {"email": "b@mission.example"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Too many attempts" in page
    assert 'class="site-header' in page  # in the site's layout
    assert Registration.objects.count() == 1


def test_unsubscribe_is_throttled(client, event, rates):
    rates(unsubscribe="1/minute")
    message = outbox.enqueue(
        kind="registration_link",
        dedupe_key="x",
        event=event,
        to_email="kofi@mission.example",
    )
    url = f"/email/unsubscribe/{message.pk}/{message.unsubscribe_token}/"

    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 429


# --- Password guessing: locked out after AXES_FAILURE_LIMIT wrong passwords -----------------------


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def test_the_token_endpoint_locks_out_after_wrong_passwords(anonymous_client, manager, limit):
    wrong = [
        anonymous_client.post(
            "/api/v1/auth/token/",
            {"username": manager.username, "password": f"guess {n}"},
            format="json",
        )
        for n in range(limit)
    ]
    right = anonymous_client.post(
        "/api/v1/auth/token/", {"username": manager.username, "password": PASSWORD}, format="json"
    )

    assert [answer.status_code for answer in wrong[:-1]] == [400] * (limit - 1)
    assert wrong[-1].status_code == 429
    assert right.status_code == 429
    assert int(right["Retry-After"]) > 0
    assert "detail" in right.json()
    assert not Token.objects.exists()


def test_the_lockout_ends_after_the_cool_off(anonymous_client, manager, limit, settings):
    for n in range(limit):
        anonymous_client.post(
            "/api/v1/auth/token/", {"username": manager.username, "password": f"g{n}"}, "json"
        )

    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with time_machine.travel(later):
        right = anonymous_client.post(
            "/api/v1/auth/token/", {"username": manager.username, "password": PASSWORD}, "json"
        )

    assert right.status_code == 200


def test_the_sign_in_page_locks_out_with_a_clear_page(client, manager, limit):
    for n in range(limit):
        client.post("/accounts/login/", {"username": manager.username, "password": f"g{n}"})

    response = client.post("/accounts/login/", {"username": manager.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "Retry-After" in response
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "Please wait 15 minutes, then sign in again." in page
    assert 'class="site-header' in page
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_locks_out(client, limit, db):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    for n in range(limit):
        client.post("/admin/login/", {"username": staff.username, "password": f"g{n}"})

    response = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_users_sign_in_is_not_locked_out(client, manager, limit):
    from tests.factories import UserFactory

    other = UserFactory()
    for n in range(limit):
        client.post("/accounts/login/", {"username": manager.username, "password": f"g{n}"})

    response = client.post("/accounts/login/", {"username": other.username, "password": PASSWORD})

    assert response.status_code == 302
