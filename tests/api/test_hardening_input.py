"""Bad input gets a 400 with a clear error and changes nothing (DESIGN rule 5), on the public
endpoints as much as on the organizer's: too-deep JSON, invisible or control characters in
names, loose booleans, unsupported languages, addresses mail cannot reach."""

import pytest

from events.models import Speaker
from notifications.models import Message
from registration.models import Registration
from tests.factories import InvitationFactory

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def _register_url(event):
    return f"/api/v1/events/{event.slug}/registrations/"


def _body(**fields):
    return {
        "email": "delegate@mission.example",
        "first_name": "Kristina",
        "last_name": "Zetterlund",
        "attendance_mode": "in_person",
        "consent": True,
    } | fields


# --- One JSON parser: too deep is a 400 everywhere -----------------------------------------------


@pytest.mark.parametrize("payload", [DEEP, DEEP_OBJECT])
def test_deeply_nested_json_to_register_is_a_400(anonymous_client, hybrid_event, payload):
    response = anonymous_client.post(
        _register_url(hybrid_event), payload, content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Registration.objects.exists()


def test_deeply_nested_json_to_the_token_endpoint_is_a_400(anonymous_client, manager):
    response = anonymous_client.post("/api/v1/auth/token/", DEEP, content_type="application/json")

    assert response.status_code == 400


def test_deeply_nested_json_to_decline_is_a_400(anonymous_client, organization):
    invitation = InvitationFactory(event__organization=organization)

    response = anonymous_client.post(
        f"/api/v1/invitations/{invitation.token}/decline/", DEEP, content_type="application/json"
    )

    invitation.refresh_from_db()
    assert response.status_code == 400
    assert invitation.status == "sent"


def test_deeply_nested_json_to_the_mode_endpoint_is_a_400(anonymous_client, hybrid_event, register):
    registration = register(hybrid_event)

    response = anonymous_client.post(
        f"/api/v1/registrations/manage/{registration.manage_token}/mode/",
        DEEP,
        content_type="application/json",
    )

    assert response.status_code == 400


def test_deeply_nested_json_to_an_organizer_endpoint_is_a_400(manager_client, event):
    response = manager_client.patch(
        f"/api/v1/events/{event.slug}/", DEEP_OBJECT, content_type="application/json"
    )

    assert response.status_code == 400


def test_moderately_nested_answers_are_still_read(anonymous_client, hybrid_event):
    response = anonymous_client.post(
        _register_url(hybrid_event), _body(answers={"1": [["a"]]}), format="json"
    )

    assert response.status_code == 400
    assert "answers" in response.json()  # a field error about the answer, not the parser's


# --- Names: no control or invisible characters ----------------------------------------------------

REFUSED_NAMES = [
    ("first_name", "Kristina\r\nBcc: all@example.org"),
    ("first_name", "Kristina\x00"),
    ("last_name", "\u200b\u200b"),  # zero-width spaces only
    ("last_name", "\u200d"),  # a joiner alone
    ("last_name", "Zetter\u202elund"),  # right-to-left override
    ("last_name", "Zetter\u2066lund\u2069"),  # bidi isolate
    ("last_name", "\u3164"),  # Hangul filler: a letter that draws nothing
    ("first_name", "Kri\u200dstina"),  # a joiner between Latin letters spells nothing
    ("organization_name", "Mission\u2028of Sweden"),  # line separator
    ("position", "Ambassador\u00ad"),  # soft hyphen
    ("honorific", "H.E.\tMs."),
    ("first_name", "=?utf-8?q?ceo=40example.org?="),  # an encoded word shown as an address
]


@pytest.mark.parametrize(("field", "value"), REFUSED_NAMES)
def test_names_with_control_or_invisible_characters_are_a_field_error(
    anonymous_client, hybrid_event, field, value
):
    response = anonymous_client.post(
        _register_url(hybrid_event), _body(**{field: value}), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Registration.objects.exists()
    assert not Message.objects.exists()


ACCEPTED_NAMES = [
    ("first_name", "Zoë"),
    ("first_name", "Nguyễn"),  # combining marks
    ("last_name", "Сергеевна"),
    ("last_name", "王小明"),
    ("last_name", "عبد الله"),
    ("last_name", "مُحَمَّد"),  # Arabic with vowel marks
    ("last_name", "می\u200cخواهم"),  # Persian: a non-joiner between Arabic letters
    ("last_name", "क्\u200dष"),  # Devanagari: a joiner inside a conjunct
    ("first_name", "José María"),
    ("first_name", "Jean\u00a0Pierre"),  # a no-break space
    ("organization_name", "Permanent Mission of Côte d’Ivoire"),
    ("position", "Deputy Permanent Representative (Political & Security)"),
]


@pytest.mark.parametrize(("field", "value"), ACCEPTED_NAMES)
def test_names_of_every_script_are_accepted(anonymous_client, hybrid_event, field, value):
    response = anonymous_client.post(
        _register_url(hybrid_event), _body(**{field: value}), format="json"
    )

    assert response.status_code == 201, response.json()
    assert getattr(Registration.objects.get(), field) == value


def test_the_web_form_refuses_a_bidi_override_on_the_field(client, event):
    response = client.post(
        f"/events/{event.slug}/register/",
        {
            "first_name": "Kristina",
            "last_name": "Zetter\u202elund",
            "email": "delegate@mission.example",
            "language": "en",
            "consent": "on",
        },
    )

    assert response.status_code == 200
    assert "last_name" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_an_organizer_correction_with_a_line_break_is_refused(manager_client, event, register):
    registration = register(event)

    response = manager_client.patch(
        f"/api/v1/events/{event.slug}/registrations/{registration.pk}/",
        {"last_name": "Zetterlund\nX-Header: 1"},
        format="json",
    )

    assert response.status_code == 400
    assert "last_name" in response.json()


def test_a_speakers_name_with_a_control_character_is_refused(manager_client, event):
    response = manager_client.post(
        f"/api/v1/events/{event.slug}/speakers/",
        {"name": "Ms.\x1bKristina", "role": "speaker"},
        format="json",
    )

    assert response.status_code == 400
    assert "name" in response.json()
    assert not Speaker.objects.exists()


# --- Strict booleans, languages, addresses --------------------------------------------------------


@pytest.mark.parametrize("consent", ["true", 1, "yes", "on", None])
def test_consent_must_be_json_true(anonymous_client, hybrid_event, consent):
    response = anonymous_client.post(
        _register_url(hybrid_event), _body(consent=consent), format="json"
    )

    assert response.status_code == 400
    assert "consent" in response.json()
    assert not Registration.objects.exists()


def test_missing_consent_is_a_field_error(anonymous_client, hybrid_event):
    body = _body()
    del body["consent"]

    response = anonymous_client.post(_register_url(hybrid_event), body, format="json")

    assert response.status_code == 400
    assert "consent" in response.json()


@pytest.mark.parametrize("language", ["tlh", "xx", "en-GB-oed"])
def test_a_language_plenary_does_not_speak_is_a_field_error(
    anonymous_client, hybrid_event, language
):
    response = anonymous_client.post(
        _register_url(hybrid_event), _body(language=language), format="json"
    )

    assert response.status_code == 400
    assert "language" in response.json()


def test_a_supported_language_is_kept(anonymous_client, hybrid_event):
    response = anonymous_client.post(
        _register_url(hybrid_event), _body(language="fr"), format="json"
    )

    assert response.status_code == 201
    assert Registration.objects.get().language == "fr"


@pytest.mark.parametrize(
    "email",
    [
        "a@localhost",
        "a@[127.0.0.1]",
        "a@[IPv6:::1]",
        "a@mission",
        "a@10.0.0.12",
        "a@printer.local",
        "a@mission.localhost",
        '"a\\\nb"@mission.example',
        '"a b"@mission.example',
    ],
)
def test_an_address_mail_cannot_reach_is_a_field_error(anonymous_client, hybrid_event, email):
    response = anonymous_client.post(_register_url(hybrid_event), _body(email=email), format="json")

    assert response.status_code == 400
    assert "email" in response.json()
    assert not Registration.objects.exists()


def test_an_invitation_with_a_local_address_is_refused_in_the_admin(admin_client, event):
    response = admin_client.post(
        "/admin/invitations/invitation/add/",
        {
            "event": event.pk,
            "email": "kofi@localhost",
            "first_name": "Kofi\u202e",
            "seats": 1,
            "language": "tlh",
        },
    )

    errors = response.context["adminform"].form.errors
    assert {"email", "first_name", "language"} <= set(errors)


# --- Found by the schema fuzzer -------------------------------------------------------------------


def test_an_event_in_a_year_of_local_mean_time_is_refused(manager_client, organization):
    # New York's offset in 1883 was -04:56:02, which no ISO 8601 offset can carry.
    response = manager_client.post(
        "/api/v1/events/",
        {
            "title": "Ancient briefing",
            "format": "virtual",
            "starts_at": "0220-12-08T08:35:18Z",
            "ends_at": "0220-12-08T10:35:18Z",
            "timezone": "America/New_York",
        },
        format="json",
    )

    assert response.status_code == 400
    assert {"starts_at", "ends_at"} <= set(response.json())


def test_an_event_title_with_control_characters_is_refused(manager_client, event):
    response = manager_client.patch(
        f"/api/v1/events/{event.slug}/", {"title": "Briefing\x0b\x1b[31m"}, format="json"
    )

    assert response.status_code == 400
    assert "title" in response.json()


def test_a_session_in_year_two_hundred_is_refused(manager_client, event):
    response = manager_client.post(
        f"/api/v1/events/{event.slug}/sessions/",
        {
            "title": "Working lunch",
            "starts_at": "0218-04-20T09:54:10+13:13",
            "ends_at": "2508-04-23T07:04:27-08:15",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()
