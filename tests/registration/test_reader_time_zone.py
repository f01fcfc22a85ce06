"""The registrant's own time zone: the form reads it from the browser, the API takes it, and a
name that is not a zone never reaches a reminder."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from registration.models import Registration

pytestmark = pytest.mark.django_db


def _form(**fields):
    return {
        "first_name": "Kristina", "last_name": "Zetterlund", "email": "kristina@gov.example",
        "language": "en", "consent": "on",
    } | fields  # fmt: skip


def test_the_form_keeps_the_browsers_time_zone(client, event):
    page = client.get(reverse("registration:register", args=[event.slug]))
    assert b'type="hidden" name="timezone"' in page.content
    assert b"js/browser-zone.js" in page.content

    client.post(reverse("registration:register", args=[event.slug]), _form(timezone="Europe/Paris"))

    assert Registration.objects.get().timezone == "Europe/Paris"


def test_the_form_ignores_a_time_zone_it_does_not_know(client, event):
    response = client.post(
        reverse("registration:register", args=[event.slug]), _form(timezone="Mars/Olympus_Mons")
    )

    assert response.status_code == 302
    assert Registration.objects.get().timezone == ""


def _register_by_api(event, **fields):
    return APIClient().post(
        f"/api/v1/events/{event.slug}/registrations/",
        {"email": "kofi@mission.example", "first_name": "Kofi", "last_name": "Mensah",
         "consent": True, **fields},
        format="json",
    )  # fmt: skip


def test_the_api_takes_an_optional_time_zone(event):
    assert _register_by_api(event, timezone="Asia/Tokyo").status_code == 201

    assert Registration.objects.get().timezone == "Asia/Tokyo"


def test_the_api_refuses_an_unknown_time_zone_and_registers_nobody(event):
    response = _register_by_api(event, timezone="Europe/Atlantis")

    assert response.status_code == 400
    assert "time zone" in response.json()["timezone"][0]
    assert not Registration.objects.exists()


def test_the_service_refuses_an_unknown_time_zone(event, register):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        register(event, time_zone="../../etc/passwd")

    assert "timezone" in refused.value.message_dict
